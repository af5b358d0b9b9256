/**
 * The devnet state file: loading with a clear error for a damaged or foreign file, and atomic
 * saving.
 *
 * @module
 */
import type { ChainSnapshot } from "./chain.ts";
import { fromTaggedJson, toTaggedJson, writeFileAtomic } from "./snapshot.ts";

/** A state file that cannot be read or does not hold a devnet state. */
export class StateFileError extends Error {
  override name = "StateFileError";
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/**
 * Reads the snapshot at `path`; returns `undefined` when the file does not exist.
 *
 * @throws {StateFileError} when the file is unreadable, not JSON, or of another format
 */
export function loadSnapshot(path: string): ChainSnapshot | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new StateFileError(path, `Cannot read devnet state ${path}`, { cause: error });
  }
  let snapshot: ChainSnapshot;
  try {
    snapshot = fromTaggedJson<ChainSnapshot>(text);
  } catch (error) {
    throw new StateFileError(path, `Cannot parse devnet state ${path}: not valid JSON`, {
      cause: error,
    });
  }
  if (snapshot?.format !== 1 || typeof snapshot.chainId !== "string") {
    throw new StateFileError(
      path,
      `Cannot load devnet state ${path}: unknown format ${JSON.stringify(snapshot?.format)}`,
    );
  }
  return snapshot;
}

/** Writes the snapshot to `path` atomically, creating the folder. */
export function saveSnapshot(path: string, snapshot: ChainSnapshot): void {
  const folder = path.slice(0, path.lastIndexOf("/"));
  if (folder !== "") Deno.mkdirSync(folder, { recursive: true });
  writeFileAtomic(path, toTaggedJson(snapshot));
}
