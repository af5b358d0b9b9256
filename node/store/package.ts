/**
 * Packaging of node functions in the layout b7s installs: a folder with `manifest.json` and a
 * `<name>.tar.gz` archive holding the `.wasm` modules. The folder's CID is the `function_id`.
 *
 * Output is byte-for-byte reproducible, so the same modules always get the same CID. Tar
 * entries are sorted by name, with mtime 0, uid/gid 0, empty user and group names and mode
 * 0644. Gzip comes from `fflate` (pinned) at level 9 with mtime 0 and no file name. The
 * runtime's `CompressionStream` is not used for packing because its deflate output belongs
 * to the runtime's zlib build and may change with a Deno upgrade, which would change the CID.
 *
 * @module
 */
import { gzipSync } from "fflate";
import { packTar, type TarEntry } from "modern-tar";
import { computeDirectoryCid, computeFileCid } from "./cid.ts";
import type { Manifest } from "./manifest.ts";

/** Input of {@link packFunction}. */
export interface FunctionSpec {
  /** Package name; also the archive's base name. Letters, digits, `.`, `_` and `-`. */
  name: string;
  version: string;
  /** Module file names (`*.wasm`, no folders) mapped to their bytes. */
  wasm: Map<string, Uint8Array>;
}

/** A packed function: the folder's files and its CID. */
export interface FunctionPackage {
  /** CIDv1 of the folder {manifest.json, archive}: the `function_id`. */
  cid: string;
  manifest: Manifest;
  manifestBytes: Uint8Array;
  archiveName: string;
  /** The tar.gz bytes. */
  archive: Uint8Array;
  /** The folder: "manifest.json" and the archive name mapped to their bytes. */
  files: Map<string, Uint8Array>;
}

/** Fields of {@link buildManifest}. */
export interface ManifestSpec {
  name: string;
  version: string;
  /** CID of the archive file, written as `function.id`. */
  archiveCid: string;
  archiveName: string;
  /** Lowercase hex SHA-256 of the archive. */
  checksum: string;
  /** Module file names, one method each. */
  modules: string[];
}

const NAME_REGEXP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MODULE_REGEXP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}\.wasm$/;
const PACKAGE_MTIME = new Date(0);
const encoder = new TextEncoder();

/**
 * Packs modules into a function package.
 *
 * @throws {RangeError} for an invalid name, an empty version, no modules, or a module name
 *   that is not a plain `*.wasm` file name
 */
export async function packFunction(spec: FunctionSpec): Promise<FunctionPackage> {
  const { name, version, wasm } = spec;
  if (!NAME_REGEXP.test(name)) {
    throw new RangeError(
      `Cannot pack function: invalid name "${name}"; use letters, digits, ".", "_" and "-"`,
    );
  }
  if (version.trim() === "") throw new RangeError("Cannot pack function: version is empty");
  if (wasm.size === 0) {
    throw new RangeError(`Cannot pack function "${name}": no .wasm modules given`);
  }
  for (const fileName of wasm.keys()) {
    if (!MODULE_REGEXP.test(fileName)) {
      throw new RangeError(
        `Cannot pack function "${name}": invalid module file name "${fileName}"; ` +
          `use a plain name ending in .wasm`,
      );
    }
  }

  const modules = [...wasm.keys()].sort();
  const archive = await packArchive(new Map(modules.map((file) => [file, wasm.get(file)!])));
  const archiveName = `${name}.tar.gz`;
  const manifest = buildManifest({
    name,
    version,
    archiveCid: await computeFileCid(archive),
    archiveName,
    checksum: await sha256Hex(archive),
    modules,
  });
  return await assemblePackage(manifest, archiveName, archive);
}

/** Builds the manifest b7s reads for an archive: `runtime.url` relative, one method a module. */
export function buildManifest(spec: ManifestSpec): Manifest {
  return {
    function: { id: spec.archiveCid, name: spec.name, version: spec.version, runtime: "wasi" },
    runtime: { url: spec.archiveName, checksum: spec.checksum },
    methods: spec.modules.map((file) => ({ name: file, entry: file, result_type: "string" })),
  };
}

/** Serializes a manifest and computes the CID of the folder it forms with its archive. */
export async function assemblePackage(
  manifest: Manifest,
  archiveName: string,
  archive: Uint8Array,
): Promise<FunctionPackage> {
  const manifestBytes = encoder.encode(JSON.stringify(manifest, null, 2) + "\n");
  const files = new Map([["manifest.json", manifestBytes], [archiveName, archive]]);
  const cid = await computeDirectoryCid(files);
  return { cid, manifest, manifestBytes, archiveName, archive, files };
}

/** Packs files into a reproducible tar.gz, in the order given. */
export async function packArchive(files: Map<string, Uint8Array>): Promise<Uint8Array> {
  const entries: TarEntry[] = [...files].map(([name, body]) => ({
    header: {
      name,
      size: body.byteLength,
      type: "file",
      mode: 0o644,
      mtime: PACKAGE_MTIME,
      uid: 0,
      gid: 0,
      uname: "",
      gname: "",
    },
    body,
  }));
  const tar = await packTar(entries);
  return gzipSync(tar, { level: 9, mtime: 0 });
}

/** Returns the lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
