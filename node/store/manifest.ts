/**
 * The function manifest (`manifest.json` of a package): its fields, a validating parser, and
 * where the archive it names is found.
 *
 * The installer reads only `runtime.url`/`runtime.checksum`, or `deployment.uri`/
 * `deployment.checksum` when `runtime.url` is empty. Every other field is informational and
 * kept as written.
 *
 * @module
 */
import { InstallError } from "./errors.ts";

/** One entry of `methods`: a module of the package and how it is called. */
export interface ManifestMethod {
  name?: string;
  /** File name of the module inside the archive. */
  entry?: string;
  arguments?: unknown[];
  envvars?: unknown[];
  result_type?: string;
}

/** A b7s function manifest. Unknown fields are kept. */
export interface Manifest {
  id?: string;
  name?: string;
  description?: string;
  function?: {
    id?: string;
    name?: string;
    version?: string;
    runtime?: string;
    extensions?: string[];
  };
  /** Archive location, possibly relative to the manifest's host, and its SHA-256 in hex. */
  runtime?: { url?: string; checksum?: string };
  /** Absolute archive URL and its SHA-256, used when `runtime.url` is empty. */
  deployment?: { cid?: string; uri?: string; checksum?: string; methods?: ManifestMethod[] };
  methods?: ManifestMethod[];
  [key: string]: unknown;
}

/** Location and expected SHA-256 of a manifest's archive. */
export interface ArchiveRef {
  /** `runtime.url` or `deployment.uri` as written. */
  location: string;
  /** Lowercase hex SHA-256. */
  checksum: string;
}

const SHA256_HEX_REGEXP = /^[0-9a-fA-F]{64}$/;
const SCHEME_REGEXP = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes and checks manifest bytes.
 *
 * @throws {InstallError} code "manifest" for invalid JSON, a non-object, or fields of the
 *   wrong type
 */
export function parseManifest(bytes: Uint8Array, cid: string, source: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new InstallError("manifest", cid, `Cannot read manifest from ${source}: invalid JSON`, {
      source,
      cause: error,
    });
  }
  if (!isObject(value)) {
    throw new InstallError("manifest", cid, `Cannot read manifest from ${source}: not an object`, {
      source,
    });
  }
  for (const key of ["function", "runtime", "deployment"]) {
    if (value[key] !== undefined && !isObject(value[key])) {
      throw new InstallError(
        "manifest",
        cid,
        `Cannot read manifest from ${source}: "${key}" must be an object`,
        { source },
      );
    }
  }
  return value as Manifest;
}

/**
 * Picks the archive a manifest names: `runtime.url` with `runtime.checksum`, or else
 * `deployment.uri` with `deployment.checksum`.
 *
 * @throws {InstallError} code "manifest" when no location or no valid SHA-256 is given
 */
export function archiveRef(manifest: Manifest, cid: string, source: string): ArchiveRef {
  const runtimeUrl = stringField(manifest.runtime?.url);
  const [location, checksum, names] = runtimeUrl
    ? [runtimeUrl, manifest.runtime?.checksum, "runtime.url/runtime.checksum"]
    : [stringField(manifest.deployment?.uri), manifest.deployment?.checksum, "deployment.uri"];
  if (!location) {
    throw new InstallError(
      "manifest",
      cid,
      `Cannot read manifest from ${source}: neither runtime.url nor deployment.uri is set`,
      { source },
    );
  }
  if (typeof checksum !== "string" || !SHA256_HEX_REGEXP.test(checksum)) {
    throw new InstallError(
      "manifest",
      cid,
      `Cannot read manifest from ${source}: the checksum beside ${names} is not a SHA-256 hex ` +
        `string (got ${JSON.stringify(checksum ?? null)})`,
      { source },
    );
  }
  return { location, checksum: checksum.toLowerCase() };
}

/**
 * Resolves an archive location against the manifest URL as the original installer does: a
 * missing scheme or host is taken from the manifest URL and the path is host-rooted, so
 * `x.tar.gz` beside `https://h/a/manifest.json` becomes `https://h/x.tar.gz`.
 *
 * @returns the URL, plus a second candidate relative to the manifest's folder when that
 *   differs, for gateways that serve a package under a path such as `/ipfs/<cid>/`
 * @throws {InstallError} code "manifest" for an unparsable URL or a scheme other than http(s)
 */
export function resolveArchiveUrls(location: string, manifestUrl: string, cid: string): URL[] {
  const base = new URL(manifestUrl);
  let urls: URL[];
  try {
    if (SCHEME_REGEXP.test(location)) {
      urls = [new URL(location)];
    } else if (location.startsWith("//")) {
      urls = [new URL(base.protocol + location)];
    } else {
      const rooted = new URL("/" + location.replace(/^\/+/, ""), base.origin);
      const relative = new URL(location, base);
      urls = rooted.href === relative.href ? [rooted] : [rooted, relative];
    }
  } catch (error) {
    throw new InstallError("manifest", cid, `Cannot resolve archive URL "${location}"`, {
      source: manifestUrl,
      cause: error,
    });
  }
  for (const url of urls) {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new InstallError(
        "manifest",
        cid,
        `Cannot download archive "${location}": only http and https URLs are allowed`,
        { source: manifestUrl },
      );
    }
  }
  return urls;
}

/** Returns the file name an archive URL or path ends in, or "archive.tar.gz" without one. */
export function archiveFileName(location: string): string {
  const path = location.replace(/[?#].*$/, "");
  let name = path.slice(path.lastIndexOf("/") + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape keeps the name as written.
  }
  const safe = name !== "" && name !== "." && name !== ".." && !/[\\/\0]/.test(name) &&
    name !== "manifest.json";
  return safe ? name : "archive.tar.gz";
}

function stringField(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
