/**
 * Readers of package bytes, which are verified and unpacked afterwards. They read a manifest
 * URL (the gateway or a `MsgInstallFunction` URL), a local package folder, or an in-memory
 * package.
 *
 * @module
 */
import { downloadBytes } from "./download.ts";
import { InstallError } from "./errors.ts";
import {
  archiveFileName,
  archiveRef,
  type Manifest,
  parseManifest,
  resolveArchiveUrls,
} from "./manifest.ts";

/** A local provider of packages by CID, tried before the network. */
export type FunctionSource =
  /** A folder holding `<cid>/manifest.json` and the archive beside it. */
  | { kind: "directory"; path: string }
  /** One package in memory: "manifest.json" and the archive file mapped to their bytes. */
  | { kind: "package"; cid: string; files: Map<string, Uint8Array> };

/** Package bytes read from somewhere, not yet verified. */
export interface PackageBytes {
  manifestBytes: Uint8Array;
  manifest: Manifest;
  archive: Uint8Array;
  /** File name of the archive in the package folder, e.g. "x.tar.gz". */
  archiveName: string;
  /** Lowercase hex SHA-256 the manifest gives for the archive. */
  checksum: string;
  /** Manifest URL or local path, for the record and messages. */
  origin: string;
  archiveUrl?: string;
}

/** Limits and I/O shared by the readers. */
export interface ReadContext {
  fetch: typeof fetch;
  maxManifestBytes: number;
  maxArchiveBytes: number;
  manifestTimeoutMs: number;
  archiveTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Downloads a manifest and the archive it names.
 *
 * @throws {InstallError} "manifest" or "download" for failed requests, "limit" for oversized
 *   bodies
 */
export async function fetchPackage(
  manifestUrl: string,
  cid: string,
  context: ReadContext,
): Promise<PackageBytes> {
  const { fetch, signal } = context;
  const manifestBytes = await downloadBytes(manifestUrl, {
    fetch,
    signal,
    maxBytes: context.maxManifestBytes,
    timeoutMs: context.manifestTimeoutMs,
    code: "manifest",
    cid,
    label: "manifest",
  });
  const manifest = parseManifest(manifestBytes, cid, manifestUrl);
  const { location, checksum } = archiveRef(manifest, cid, manifestUrl);
  const candidates = resolveArchiveUrls(location, manifestUrl, cid);

  for (const [index, url] of candidates.entries()) {
    try {
      const archive = await downloadBytes(url.href, {
        fetch,
        signal,
        maxBytes: context.maxArchiveBytes,
        timeoutMs: context.archiveTimeoutMs,
        code: "download",
        cid,
        label: "archive",
      });
      return {
        manifestBytes,
        manifest,
        archive,
        archiveName: archiveFileName(location),
        checksum,
        origin: manifestUrl,
        archiveUrl: url.href,
      };
    } catch (error) {
      // Only a 404 at the host-rooted URL moves on to the manifest-relative one.
      const last = index === candidates.length - 1;
      if (last || !(error instanceof InstallError) || error.status !== 404) throw error;
    }
  }
  throw new Error("unreachable: resolveArchiveUrls returns at least one URL");
}

/**
 * Reads a package from a local source when the source has `cid`.
 *
 * @returns undefined when the source does not hold that CID
 */
export async function readFromSource(
  source: FunctionSource,
  cid: string,
  context: ReadContext,
): Promise<PackageBytes | undefined> {
  if (source.kind === "package") {
    return source.cid === cid ? readPackageFiles(source.files, cid, `package ${cid}`) : undefined;
  }
  const folder = `${source.path}/${cid}`;
  if (!(await isFile(`${folder}/manifest.json`))) return undefined;
  return await readPackageFolder(folder, cid, context);
}

/** Reads a package folder: `manifest.json` and the archive its `runtime.url` names. */
export async function readPackageFolder(
  folder: string,
  cid: string,
  context: Pick<ReadContext, "maxManifestBytes" | "maxArchiveBytes">,
): Promise<PackageBytes> {
  const manifestPath = `${folder}/manifest.json`;
  const manifestBytes = await readLocalFile(
    manifestPath,
    context.maxManifestBytes,
    cid,
    "manifest",
  );
  const manifest = parseManifest(manifestBytes, cid, manifestPath);
  const { location, checksum } = archiveRef(manifest, cid, manifestPath);
  const archiveName = localArchiveName(location, cid, manifestPath);
  const archive = await readLocalFile(
    `${folder}/${archiveName}`,
    context.maxArchiveBytes,
    cid,
    "archive",
  );
  return { manifestBytes, manifest, archive, archiveName, checksum, origin: folder };
}

/** Reads a package given as a map of its folder's files. */
export function readPackageFiles(
  files: Map<string, Uint8Array>,
  cid: string,
  origin: string,
): PackageBytes {
  const manifestBytes = files.get("manifest.json");
  if (manifestBytes === undefined) {
    throw new InstallError("manifest", cid, `Cannot read ${origin}: it has no manifest.json`, {
      source: origin,
    });
  }
  const manifest = parseManifest(manifestBytes, cid, origin);
  const { location, checksum } = archiveRef(manifest, cid, origin);
  const archiveName = localArchiveName(location, cid, origin);
  const archive = files.get(archiveName);
  if (archive === undefined) {
    throw new InstallError(
      "archive",
      cid,
      `Cannot read ${origin}: archive "${archiveName}" is missing`,
      {
        source: origin,
      },
    );
  }
  return { manifestBytes, manifest, archive, archiveName, checksum, origin };
}

/**
 * Reads a local file of at most `maxBytes`.
 *
 * @throws {InstallError} "not-found" for a missing file, "limit" for a larger one
 */
export async function readLocalFile(
  path: string,
  maxBytes: number,
  cid: string,
  label: string,
): Promise<Uint8Array> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new InstallError("not-found", cid, `Cannot read ${label} "${path}": file not found`, {
      source: path,
      cause: error,
    });
  }
  if (!info.isFile) {
    throw new InstallError("not-found", cid, `Cannot read ${label} "${path}": not a regular file`, {
      source: path,
    });
  }
  if (info.size > maxBytes) {
    throw new InstallError(
      "limit",
      cid,
      `Cannot read ${label} "${path}": ${info.size} bytes is over the ${maxBytes}-byte limit`,
      { source: path },
    );
  }
  return await Deno.readFile(path);
}

// A local package names its archive by a plain file name beside manifest.json.
function localArchiveName(location: string, cid: string, origin: string): string {
  const name = archiveFileName(location);
  if (name !== location) {
    throw new InstallError(
      "manifest",
      cid,
      `Cannot read ${origin}: runtime.url "${location}" must be a file name beside manifest.json`,
      { source: origin },
    );
  }
  return name;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
