/**
 * Content identifiers of function packages, computed the way `ipfs add -r --cid-version=1`
 * (Kubo) computes them: UnixFS, 256 KiB fixed-size chunks, balanced DAG with at most 174 links
 * per node, sha2-256, raw leaves, and a dag-pb directory node that links the files by name.
 * CIDv0 (`Qm…`, what `ipfs add -r` gives without `--cid-version`) is computed with the same
 * layout but dag-pb leaves, as Kubo does.
 *
 * The DAG is built by `ipfs-unixfs-importer`, the importer of the JavaScript IPFS
 * implementations, into an in-memory blockstore, so the chunking and node encoding are
 * theirs rather than a re-implementation.
 *
 * @module
 */
import { MemoryBlockstore } from "blockstore-core";
import { importer, type ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";

/** Chunk size of `ipfs add` without `--chunker`. */
export const CHUNK_SIZE_BYTES = 262_144;
/** Links per file node of `ipfs add`'s balanced layout. */
export const MAX_LINKS_PER_NODE = 174;
/** Multicodec code of dag-pb, the codec of UnixFS directory and file nodes. */
export const DAG_PB_CODE = 0x70;

/** CID version to compute: 1 (raw leaves, base32 `bafy…`) or 0 (dag-pb leaves, `Qm…`). */
export type CidVersion = 0 | 1;

/** Options of {@link computeFileCid} and {@link computeDirectoryCid}. */
export interface CidOptions {
  /** @default 1 */
  version?: CidVersion;
}

/** Computes the CID `ipfs add --cid-version=1` gives a file with these bytes. */
export async function computeFileCid(bytes: Uint8Array, options: CidOptions = {}): Promise<string> {
  const root = await importRoot([{ content: bytes }], false, options.version ?? 1);
  return root.toString();
}

/**
 * Computes the CID `ipfs add -r --cid-version=1 <folder>` gives a folder holding these files.
 *
 * @param files relative paths (`a.txt`, `sub/b.txt`) mapped to contents; subfolders are implied
 * @throws {RangeError} for no files or a path that is empty, absolute or has `.`/`..` segments
 */
export async function computeDirectoryCid(
  files: Map<string, Uint8Array>,
  options: CidOptions = {},
): Promise<string> {
  if (files.size === 0) throw new RangeError("Cannot compute a directory CID: no files given");
  for (const path of files.keys()) checkRelativePath(path);

  // Sorted input keeps the importer's output order stable; the directory node itself sorts
  // its links by name either way.
  const entries = [...files.keys()].sort().map((path) => ({ path, content: files.get(path)! }));
  const root = await importRoot(entries, true, options.version ?? 1);
  return root.toString();
}

/**
 * Returns the version of `id` when it is a dag-pb CID (what a package folder gets), otherwise
 * undefined. Accepts CIDv0 and base32 or base58btc CIDv1 strings.
 */
export function packageCidVersion(id: string): CidVersion | undefined {
  const cid = parseCid(id);
  if (cid === undefined || cid.code !== DAG_PB_CODE) return undefined;
  return cid.version === 0 ? 0 : 1;
}

/** Returns whether two CID strings name the same content, whatever their multibase. */
export function sameCid(a: string, b: string): boolean {
  const left = parseCid(a);
  const right = parseCid(b);
  return left !== undefined && right !== undefined && left.equals(right);
}

function parseCid(id: string): CID | undefined {
  try {
    return CID.parse(id);
  } catch {
    return undefined;
  }
}

async function importRoot(
  entries: { path?: string; content: Uint8Array }[],
  wrapWithDirectory: boolean,
  version: CidVersion,
): Promise<CID> {
  const options: ImporterOptions = {
    cidVersion: version,
    // Kubo turns raw leaves on with --cid-version=1 and keeps them off for CIDv0.
    rawLeaves: version === 1,
    chunker: fixedSize({ chunkSize: CHUNK_SIZE_BYTES }),
    layout: balanced({ maxChildrenPerNode: MAX_LINKS_PER_NODE }),
    reduceSingleLeafToSelf: true,
    wrapWithDirectory,
  };
  let root: CID | undefined;
  // The root comes last: files first, then the directory that wraps them.
  for await (const entry of importer(entries, new MemoryBlockstore(), options)) root = entry.cid;
  if (root === undefined) throw new Error("Cannot compute a CID: the importer returned no node");
  return root;
}

function checkRelativePath(path: string): void {
  const segments = path.split("/");
  const bad = path === "" || path.startsWith("/") || path.includes("\\") || path.includes("\0") ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (bad) {
    throw new RangeError(
      `Cannot compute a directory CID: invalid file path "${path}"; use relative paths like "a/b.txt"`,
    );
  }
}
