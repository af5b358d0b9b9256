/**
 * The node of the chain double: committed state, the check state and mempool, block
 * production (deliver each pending transaction, end-block hooks, commit) and the block and
 * transaction index the RPC reads.
 *
 * Old blocks and transactions are pruned (see {@link RETAINED_BLOCKS}), like a pruning node.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import type { Logger } from "../log.ts";
import type { App, TxOutcome, TxResult } from "./app.ts";
import { SDK_CODES, sdkError } from "./errors.ts";
import type { AbciEvent, QueryContext } from "./module.ts";
import { toTaggedJson } from "./snapshot.ts";
import { type Account, type AppState, balanceOf } from "./state.ts";
import { txHash } from "./tx.ts";

/** Block headers kept for the `block` method. */
export const RETAINED_BLOCKS = 1_000;
/** Delivered transactions kept for `tx` and `tx_search`. */
export const RETAINED_TXS = 5_000;
/** Maximum number of transactions in the mempool; more are rejected. */
export const MEMPOOL_CAPACITY = 5_000;

/** One committed block. */
export interface BlockRecord {
  height: number;
  /** RFC 3339 block time. */
  time: string;
  /** Uppercase hex hashes. */
  hash: string;
  lastBlockHash: string;
  /** App hash of the state before this block's transactions, as in a CometBFT header. */
  appHash: string;
  dataHash: string;
  txHashes: string[];
  /** Events of the end-of-block hooks. */
  events: AbciEvent[];
}

/** One delivered transaction and its result. */
export interface TxRecord {
  hash: string;
  height: number;
  index: number;
  tx: Uint8Array;
  result: TxResult;
}

/** Everything the node persists. */
export interface ChainSnapshot {
  format: 1;
  chainId: string;
  genesisTime: string;
  /** The fake validator's 32-byte key; it signs nothing. */
  validatorKey: Uint8Array;
  feeDenom: string;
  minGasPrice: bigint;
  /** App hash after the last committed block. */
  appHash: string;
  blocks: BlockRecord[];
  txs: TxRecord[];
  app: AppState;
}

/** The CheckTx result of a broadcast transaction. */
export interface CheckResult extends TxOutcome {
  hash: string;
}

/** A committed state machine with a mempool. */
export class DevnetChain {
  readonly app: App;
  #snapshot: ChainSnapshot;
  #checkState: AppState;
  #mempool: Uint8Array[] = [];
  #mempoolHashes = new Set<string>();
  #txIndex = new Map<string, TxRecord>();
  #listeners = new Set<(block: BlockRecord) => void>();
  #logger: Logger;

  constructor(snapshot: ChainSnapshot, app: App, logger: Logger) {
    this.#snapshot = snapshot;
    this.app = app;
    this.#logger = logger;
    this.#checkState = structuredClone(snapshot.app);
    for (const record of snapshot.txs) this.#txIndex.set(record.hash, record);
  }

  /** The chain id. */
  get chainId(): string {
    return this.#snapshot.chainId;
  }

  /** Height of the last committed block; 0 before the first block. */
  get height(): number {
    return this.#snapshot.blocks.at(-1)?.height ?? 0;
  }

  /** The last committed block, if any. */
  get latestBlock(): BlockRecord | undefined {
    return this.#snapshot.blocks.at(-1);
  }

  /** The oldest block still kept. */
  get earliestBlock(): BlockRecord | undefined {
    return this.#snapshot.blocks[0];
  }

  /** App hash after the last committed block. */
  get appHash(): string {
    return this.#snapshot.appHash;
  }

  /** The committed application state. Treat as read-only. */
  get state(): AppState {
    return this.#snapshot.app;
  }

  /** The fake validator key. */
  get validatorKey(): Uint8Array {
    return this.#snapshot.validatorKey;
  }

  /** Number of transactions waiting for the next block. */
  get mempoolSize(): number {
    return this.#mempool.length;
  }

  /** Returns the committed balance of `address` in `denom` (default: the fee denom). */
  balance(address: string, denom = this.app.params.feeDenom): bigint {
    return balanceOf(this.#snapshot.app, address, denom);
  }

  /** Returns the committed account of `address`, if it exists. */
  account(address: string): Readonly<Account> | undefined {
    return this.#snapshot.app.accounts.get(address);
  }

  /** Returns the block at `height` if it is kept. */
  block(height: number): BlockRecord | undefined {
    const first = this.earliestBlock?.height ?? 1;
    return this.#snapshot.blocks[height - first];
  }

  /** Returns the delivered transaction with this uppercase hex hash, if it is kept. */
  tx(hash: string): TxRecord | undefined {
    return this.#txIndex.get(hash.toUpperCase());
  }

  /** Returns the kept transactions, oldest first. */
  txs(): IterableIterator<TxRecord> {
    return this.#txIndex.values();
  }

  /** Calls `listener` after each commit; returns a function that removes it. */
  onBlock(listener: (block: BlockRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs CheckTx and, on success, adds the transaction to the mempool. */
  checkTx(bytes: Uint8Array): CheckResult {
    const hash = txHash(bytes);
    if (this.#mempoolHashes.has(hash) || this.#txIndex.has(hash)) {
      throw new MempoolError("tx already exists in cache");
    }
    if (this.#mempool.length >= MEMPOOL_CAPACITY) {
      throw new MempoolError(`mempool is full: ${this.#mempool.length} transactions`);
    }
    const [outcome, state] = this.app.runTx(this.#checkState, bytes, "check", this.#nextEnv());
    if (outcome.code === 0) {
      this.#checkState = state;
      this.#mempool.push(bytes);
      this.#mempoolHashes.add(hash);
    } else {
      this.#logTx("rejected transaction in CheckTx", outcome, hash);
    }
    return { ...outcome, hash };
  }

  /** Simulates a transaction on the check state, as the SDK's Simulate service does. */
  simulate(bytes: Uint8Array): TxOutcome {
    return this.app.runTx(this.#checkState, bytes, "simulate", this.#nextEnv())[0];
  }

  /**
   * Runs an ABCI query on committed state.
   *
   * @throws {AbciError} for unknown paths, historical heights and handler errors
   */
  query(path: string, data: Uint8Array, height = 0): Uint8Array {
    if (height !== 0 && height !== this.height) {
      throw sdkError(
        SDK_CODES.invalidHeight,
        `cannot query state at height ${height}: the devnet keeps only the latest state (height ${this.height})`,
      );
    }
    return this.app.query(this.queryContext(), path, data);
  }

  /** Returns the context query handlers read. */
  queryContext(): QueryContext {
    return {
      state: this.#snapshot.app,
      height: this.height,
      time: new Date(this.latestBlock?.time ?? this.#snapshot.genesisTime),
      params: this.app.params,
    };
  }

  /** Delivers the mempool in a new block at `time`, commits it and returns it. */
  produceBlock(time: Date): BlockRecord {
    const height = this.height + 1;
    const previous = this.latestBlock;
    const blockTime = previous && time.getTime() <= Date.parse(previous.time)
      ? new Date(Date.parse(previous.time) + 1)
      : time;
    const env = { height, time: blockTime };
    let state = this.#snapshot.app;
    const records: TxRecord[] = this.#mempool.map((bytes, index) => {
      const [outcome, next] = this.app.runTx(state, bytes, "deliver", env);
      state = next;
      this.#logTx("delivered transaction", outcome, txHash(bytes));
      const { code, codespace, log, gasWanted, gasUsed, events, data } = outcome;
      return {
        hash: txHash(bytes),
        height,
        index,
        tx: bytes,
        result: { code, codespace, log, gasWanted, gasUsed, events, data },
      };
    });
    if (state === this.#snapshot.app) state = structuredClone(state);
    const events: AbciEvent[] = [];
    this.app.endBlock(state, env, events);
    const block = this.#makeBlock(height, blockTime, records, events);
    this.#commit(block, state, records);
    return block;
  }

  #makeBlock(height: number, time: Date, records: TxRecord[], events: AbciEvent[]): BlockRecord {
    const txHashes = records.map((record) => record.hash);
    const header = {
      chainId: this.chainId,
      height,
      time: time.toISOString(),
      lastBlockHash: this.latestBlock?.hash ?? "",
      appHash: this.#snapshot.appHash,
      dataHash: txHashes.length === 0 ? "" : hexHash(txHashes.join("")),
    };
    return { ...header, hash: hexHash(JSON.stringify(header)), txHashes, events };
  }

  #commit(block: BlockRecord, state: AppState, records: TxRecord[]) {
    const snapshot = this.#snapshot;
    snapshot.app = state;
    snapshot.appHash = hexHash(toTaggedJson(state));
    snapshot.blocks.push(block);
    if (snapshot.blocks.length > RETAINED_BLOCKS) snapshot.blocks.shift();
    for (const record of records) this.#txIndex.set(record.hash, record);
    snapshot.txs.push(...records);
    while (snapshot.txs.length > RETAINED_TXS) this.#txIndex.delete(snapshot.txs.shift()!.hash);
    this.#mempool = [];
    this.#mempoolHashes.clear();
    this.#checkState = structuredClone(state);
    this.#logger.debug("committed block", {
      height: block.height,
      txs: records.length,
      app_hash: snapshot.appHash,
    });
    for (const listener of this.#listeners) listener(block);
  }

  #logTx(message: string, outcome: TxOutcome, hash: string) {
    this.#logger.info(message, {
      hash,
      type: outcome.tx?.msgs.map((msg) => msg.typeUrl).join(",") ?? "undecodable",
      code: outcome.code,
      ...(outcome.code === 0 ? {} : { codespace: outcome.codespace, log: outcome.log }),
    });
  }

  #nextEnv() {
    return { height: this.height + 1, time: new Date() };
  }
}

/** A transaction the mempool rejects before CheckTx (duplicate, or mempool full). */
export class MempoolError extends Error {
  override name = "MempoolError";
}

function hexHash(text: string): string {
  return toHex(sha256(new TextEncoder().encode(text))).toUpperCase();
}
