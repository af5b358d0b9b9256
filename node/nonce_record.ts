/**
 * A bounded record of handled worker nonces, as (topic, nonce) pairs with an outcome, kept in a
 * JSON file. The worker records the nonces it has submitted payloads for and the head the
 * nonces it has scheduled, so neither acts twice on one nonce, also across a restart.
 *
 * The file is replaced atomically (a temporary file, then a rename). An unreadable file is
 * logged and treated as empty: the chain still rejects a second payload for a nonce (code 78).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { type Logger, silentLogger } from "./log.ts";

/** Entries kept by default; the oldest go first. */
export const DEFAULT_MAX_NONCE_ENTRIES = 1_000;
const FORMAT = 1;

/** One handled nonce. */
export interface NonceEntry {
  topicId: bigint;
  nonce: bigint;
  /** The outcome, e.g. "landed", "already-submitted", "window-closed", "scheduled". */
  outcome: string;
  txHash?: string;
  /** When it was recorded, ISO 8601. */
  time: string;
}

/** Options of {@link NonceRecord.open}. */
export interface NonceRecordOptions {
  /** @default DEFAULT_MAX_NONCE_ENTRIES */
  maxEntries?: number;
  logger?: Logger;
}

interface StoredEntry {
  topic: string;
  nonce: string;
  outcome: string;
  tx_hash?: string;
  time: string;
}

/** Handled (topic, nonce) pairs, oldest first, optionally persisted in a file. */
export class NonceRecord {
  /** The JSON file, or undefined for a record in memory only. */
  readonly path: string | undefined;
  readonly #entries = new Map<string, NonceEntry>();
  readonly #maxEntries: number;
  readonly #logger: Logger;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string | undefined, options: NonceRecordOptions) {
    this.path = path;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_NONCE_ENTRIES;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Loads the record at `path`; a missing file gives an empty record, and so does an unreadable
   * one (with a warning). Without `path` the record lives in memory only.
   */
  static async open(
    path: string | undefined,
    options: NonceRecordOptions = {},
  ): Promise<NonceRecord> {
    const record = new NonceRecord(path, options);
    if (path !== undefined) await record.#load(path);
    return record;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the entry of `nonce` in `topicId`, if recorded. */
  get(topicId: bigint, nonce: bigint): NonceEntry | undefined {
    return this.#entries.get(keyOf(topicId, nonce));
  }

  /** Returns whether `nonce` in `topicId` is recorded. */
  has(topicId: bigint, nonce: bigint): boolean {
    return this.#entries.has(keyOf(topicId, nonce));
  }

  /** Returns the highest nonce recorded for `topicId`. */
  latest(topicId: bigint): bigint | undefined {
    let latest: bigint | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.topicId === topicId && (latest === undefined || entry.nonce > latest)) {
        latest = entry.nonce;
      }
    }
    return latest;
  }

  /**
   * Removes the entries above `height` and writes the file. A nonce is a block height, so
   * entries above the chain's height belong to an earlier chain, e.g. a devnet started anew.
   *
   * @returns the number of entries removed
   */
  async dropAbove(height: bigint): Promise<number> {
    const stale = [...this.#entries].filter(([, entry]) => entry.nonce > height);
    if (stale.length === 0) return 0;
    for (const [key] of stale) this.#entries.delete(key);
    this.#logger.warn("forgetting recorded nonces above the chain height; the chain was reset", {
      height,
      forgotten: stale.length,
    });
    await this.#persist();
    return stale.length;
  }

  /**
   * Records a nonce (replacing an earlier entry for it), drops the oldest entries beyond the
   * limit and writes the file. A failed write is logged, not thrown: the entry still counts
   * in memory.
   */
  async add(entry: Omit<NonceEntry, "time"> & { time?: string }): Promise<void> {
    const key = keyOf(entry.topicId, entry.nonce);
    this.#entries.delete(key);
    this.#entries.set(key, { ...entry, time: entry.time ?? new Date().toISOString() });
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    await this.#persist();
  }

  async #persist(): Promise<void> {
    if (this.path === undefined) return;
    const text = this.#serialize();
    const path = this.path;
    // Writes run one after another, so an older snapshot never replaces a newer one.
    this.#writes = this.#writes.then(() => writeAtomically(path, text)).catch((error) =>
      this.#logger.warn("cannot write the nonce record", { path, error })
    );
    await this.#writes;
  }

  async #load(path: string): Promise<void> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      this.#logger.warn("cannot read the nonce record; starting empty", { path, error });
      return;
    }
    try {
      const document = JSON.parse(text) as { format?: number; entries?: StoredEntry[] };
      if (document.format !== FORMAT || !Array.isArray(document.entries)) {
        throw new Error(`expected format ${FORMAT} with an entries list`);
      }
      for (const stored of document.entries.slice(-this.#maxEntries)) {
        const entry: NonceEntry = {
          topicId: BigInt(stored.topic),
          nonce: BigInt(stored.nonce),
          outcome: String(stored.outcome),
          time: String(stored.time),
          ...(stored.tx_hash !== undefined && { txHash: String(stored.tx_hash) }),
        };
        this.#entries.set(keyOf(entry.topicId, entry.nonce), entry);
      }
    } catch (error) {
      this.#entries.clear();
      this.#logger.warn("ignoring an invalid nonce record; starting empty", { path, error });
    }
  }

  #serialize(): string {
    const entries: StoredEntry[] = [...this.#entries.values()].map((entry) => ({
      topic: entry.topicId.toString(),
      nonce: entry.nonce.toString(),
      outcome: entry.outcome,
      ...(entry.txHash !== undefined && { tx_hash: entry.txHash }),
      time: entry.time,
    }));
    return JSON.stringify({ format: FORMAT, entries }, null, 1) + "\n";
  }
}

function keyOf(topicId: bigint, nonce: bigint): string {
  return `${topicId}/${nonce}`;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temporary, text);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
