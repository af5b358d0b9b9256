/**
 * Packages from a local path, for development: a package folder (`manifest.json` plus
 * archive), a bare `.tar.gz` archive, or a single `.wasm` module. Archives and modules get a
 * generated manifest, and every package is registered under the CID of its folder unless the
 * caller names an id.
 *
 * @module
 */
import { computeDirectoryCid, computeFileCid } from "./cid.ts";
import { InstallError } from "./errors.ts";
import { assemblePackage, buildManifest, packFunction, sha256Hex } from "./package.ts";
import {
  type PackageBytes,
  type ReadContext,
  readLocalFile,
  readPackageFolder,
} from "./sources.ts";
import { decodeArchive, type UnpackLimits } from "./unpack.ts";

/** A local package and the id it is installed under. */
export interface LocalPackage {
  cid: string;
  bytes: PackageBytes;
  /** Whether `cid` was computed from these bytes, so no further CID check is needed. */
  computed: boolean;
}

const LOCAL_VERSION = "0.0.0";

/**
 * Reads a local package folder, archive or module.
 *
 * @param cid the id to register under; computed from the package when absent
 * @throws {InstallError} "not-found" for a missing path, "manifest" or "archive" for a
 *   package that cannot be read
 */
export async function readLocalPackage(
  path: string,
  cid: string | undefined,
  context: Pick<ReadContext, "maxManifestBytes" | "maxArchiveBytes"> & UnpackLimits,
): Promise<LocalPackage> {
  const label = cid ?? "";
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new InstallError("not-found", label, `Cannot install from "${path}": path not found`, {
      source: path,
      cause: error,
    });
  }

  let bytes: PackageBytes;
  if (info.isDirectory) {
    bytes = await readPackageFolder(path, label, context);
  } else if (path.toLowerCase().endsWith(".wasm")) {
    bytes = await packModule(path, label, context.maxArchiveBytes);
  } else {
    bytes = await packBareArchive(path, label, context);
  }
  if (cid !== undefined) return { cid, bytes, computed: false };

  const files = new Map([["manifest.json", bytes.manifestBytes], [
    bytes.archiveName,
    bytes.archive,
  ]]);
  return { cid: await computeDirectoryCid(files), bytes, computed: true };
}

async function packModule(path: string, cid: string, maxBytes: number): Promise<PackageBytes> {
  const fileName = baseName(path);
  const wasm = await readLocalFile(path, maxBytes, cid, "module");
  const name = fileName.replace(/\.wasm$/i, "");
  try {
    const pkg = await packFunction({
      name,
      version: LOCAL_VERSION,
      wasm: new Map([[fileName, wasm]]),
    });
    return toPackageBytes(pkg, path);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InstallError("manifest", cid, `Cannot install "${path}": ${error.message}`, {
      source: path,
      cause: error,
    });
  }
}

async function packBareArchive(
  path: string,
  cid: string,
  limits: { maxArchiveBytes: number } & UnpackLimits,
): Promise<PackageBytes> {
  const archiveName = baseName(path);
  const archive = await readLocalFile(path, limits.maxArchiveBytes, cid, "archive");
  const name = archiveName.replace(/\.(tar\.gz|tgz)$/i, "");
  const manifest = buildManifest({
    name,
    version: LOCAL_VERSION,
    archiveCid: await computeFileCid(archive),
    archiveName,
    checksum: await sha256Hex(archive),
    modules: await listTopLevelModules(archive, limits, cid),
  });
  return toPackageBytes(await assemblePackage(manifest, archiveName, archive), path);
}

/** Lists the `.wasm` files at the root of a .tar.gz archive without writing anything. */
async function listTopLevelModules(
  archive: Uint8Array,
  limits: UnpackLimits,
  cid: string,
): Promise<string[]> {
  const modules: string[] = [];
  try {
    for await (const entry of decodeArchive(archive, limits, cid)) {
      await entry.body.cancel();
      const name = entry.header.name.replace(/^(\.\/)+/, "");
      if (entry.header.type === "file" && !name.includes("/") && name.endsWith(".wasm")) {
        modules.push(name);
      }
    }
  } catch (error) {
    if (error instanceof InstallError) throw error;
    throw new InstallError("archive", cid, "Cannot read archive: not a valid .tar.gz", {
      cause: error,
    });
  }
  return modules.sort();
}

function toPackageBytes(
  pkg: {
    manifestBytes: Uint8Array;
    manifest: PackageBytes["manifest"];
    archive: Uint8Array;
    archiveName: string;
  },
  origin: string,
): PackageBytes {
  return {
    manifestBytes: pkg.manifestBytes,
    manifest: pkg.manifest,
    archive: pkg.archive,
    archiveName: pkg.archiveName,
    checksum: pkg.manifest.runtime!.checksum!,
    origin,
  };
}

function baseName(path: string): string {
  return path.replace(/\/+$/, "").slice(path.replace(/\/+$/, "").lastIndexOf("/") + 1);
}
