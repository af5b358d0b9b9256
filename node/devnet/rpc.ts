/**
 * The CometBFT JSON-RPC methods the chain double serves, as functions from params to results.
 * Errors are {@link RpcError}s carrying a JSON-RPC code and CometBFT's message in `data`.
 *
 * @module
 */
import { fromBase64, fromHex, toBase64, toHex } from "@cosmjs/encoding";
import type { DevnetChain, TxRecord } from "./chain.ts";
import { MempoolError } from "./chain.ts";
import { AbciError } from "./errors.ts";
import { blockJson, blockResultsJson, resultJson, txJson, validatorAddress } from "./rpc_shapes.ts";
import { matchesTx, parseTxQuery, TxQueryError } from "./tx_query.ts";

/** Versions the node reports. */
export interface NodeVersions {
  /** CometBFT version in `status`; cosmjs picks its client from the "0.38." prefix. */
  comet: string;
  /** Application version in `abci_info`. */
  app: string;
}

/** JSON-RPC error codes (JSON-RPC 2.0 §5.1). */
export const RPC_ERROR = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
} as const;

const RPC_MESSAGES: Record<number, string> = {
  [-32700]: "Parse error",
  [-32600]: "Invalid Request",
  [-32601]: "Method not found",
  [-32602]: "Invalid params",
  [-32603]: "Internal error",
};

/** A JSON-RPC error response. */
export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  readonly data: string;

  constructor(code: number, data: string) {
    super(RPC_MESSAGES[code] ?? "Server error");
    this.code = code;
    this.data = data;
  }
}

/** Named params of one call. */
export type Params = Record<string, unknown>;
/** One RPC method. */
export type Method = (params: Params) => unknown;

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const BROADCAST_COMMIT_TIMEOUT_MS = 30_000;

/** Returns the RPC methods of a node, by name. */
export function createMethods(chain: DevnetChain, versions: NodeVersions, rpcAddress: string) {
  const methods: Record<string, Method> = {
    health: () => ({}),
    status: () => statusJson(chain, versions, rpcAddress),
    abci_info: () => ({
      response: {
        data: "allora",
        version: versions.app,
        app_version: "0",
        last_block_height: String(chain.height),
        last_block_app_hash: toBase64(fromHex(chain.appHash)),
      },
    }),
    abci_query: (params) => abciQuery(chain, params),
    broadcast_tx_sync: (params) => broadcastSync(chain, params),
    broadcast_tx_async: (params) => {
      const result = broadcastSync(chain, params);
      // CometBFT replies to async broadcasts before CheckTx has a result.
      return { ...result, code: 0, log: "", codespace: "" };
    },
    broadcast_tx_commit: (params) => broadcastCommit(chain, params),
    num_unconfirmed_txs: () => ({
      n_txs: String(chain.mempoolSize),
      total: String(chain.mempoolSize),
      total_bytes: "0",
      txs: null,
    }),
    block: (params) => blockJson(chain, blockAt(chain, params.height)),
    block_results: (params) => blockResultsJson(chain, blockAt(chain, params.height)),
    tx: (params) => {
      const hash = toHex(fromBase64(stringParam(params, "hash"))).toUpperCase();
      const record = chain.tx(hash);
      if (record === undefined) throw new RpcError(RPC_ERROR.internal, `tx (${hash}) not found`);
      return txJson(record);
    },
    tx_search: (params) => txSearch(chain, params),
  };
  return methods;
}

function statusJson(chain: DevnetChain, versions: NodeVersions, rpcAddress: string) {
  const latest = chain.latestBlock;
  const earliest = chain.earliestBlock;
  const validator = validatorAddress(chain);
  return {
    node_info: {
      protocol_version: { p2p: "8", block: "11", app: "0" },
      id: validator.toLowerCase(),
      listen_addr: "tcp://127.0.0.1:26656",
      network: chain.chainId,
      version: versions.comet,
      channels: "40202122233038606100",
      moniker: "allora-devnet",
      other: { tx_index: "on", rpc_address: rpcAddress },
    },
    sync_info: {
      latest_block_hash: latest?.hash ?? "",
      latest_app_hash: chain.appHash,
      latest_block_height: String(chain.height),
      latest_block_time: latest?.time ?? "",
      earliest_block_hash: earliest?.hash ?? "",
      earliest_app_hash: earliest?.appHash ?? "",
      earliest_block_height: String(earliest?.height ?? 0),
      earliest_block_time: earliest?.time ?? "",
      catching_up: false,
    },
    validator_info: {
      address: validator,
      pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(chain.validatorKey) },
      voting_power: "10",
    },
  };
}

function abciQuery(chain: DevnetChain, params: Params) {
  const path = stringParam(params, "path");
  const data = hexParam(params.data);
  const height = params.height === undefined ? 0 : integerParam(params.height, "height");
  const base = { info: "", index: "0", key: null, proofOps: null, height: String(chain.height) };
  try {
    const value = chain.query(path, data, height);
    return { response: { ...base, code: 0, log: "", value: toBase64(value), codespace: "" } };
  } catch (error) {
    if (!(error instanceof AbciError)) throw error;
    return {
      response: {
        ...base,
        code: error.code,
        log: error.log,
        value: null,
        codespace: error.codespace,
      },
    };
  }
}

function broadcastSync(chain: DevnetChain, params: Params) {
  const bytes = fromBase64(stringParam(params, "tx"));
  try {
    const result = chain.checkTx(bytes);
    return {
      code: result.code,
      data: "",
      log: result.log,
      codespace: result.codespace,
      hash: result.hash,
    };
  } catch (error) {
    if (error instanceof MempoolError) throw new RpcError(RPC_ERROR.internal, error.message);
    throw error;
  }
}

async function broadcastCommit(chain: DevnetChain, params: Params) {
  const bytes = fromBase64(stringParam(params, "tx"));
  let checked;
  try {
    checked = chain.checkTx(bytes);
  } catch (error) {
    if (error instanceof MempoolError) throw new RpcError(RPC_ERROR.internal, error.message);
    throw error;
  }
  const base = { check_tx: resultJson(checked), hash: checked.hash };
  if (checked.code !== 0) return { ...base, tx_result: resultJson(checked), height: "0" };
  const record = await waitForTx(chain, checked.hash);
  return { ...base, tx_result: resultJson(record.result), height: String(record.height) };
}

function waitForTx(chain: DevnetChain, hash: string): Promise<TxRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(
        new RpcError(RPC_ERROR.internal, "timed out waiting for tx to be included in a block"),
      );
    }, BROADCAST_COMMIT_TIMEOUT_MS);
    const remove = chain.onBlock(() => {
      const record = chain.tx(hash);
      if (record === undefined) return;
      clearTimeout(timer);
      remove();
      resolve(record);
    });
  });
}

function txSearch(chain: DevnetChain, params: Params) {
  let conditions;
  try {
    conditions = parseTxQuery(stringParam(params, "query"));
  } catch (error) {
    if (error instanceof TxQueryError) throw new RpcError(RPC_ERROR.internal, error.message);
    throw error;
  }
  const matches = [...chain.txs()].filter((record) => matchesTx(record, conditions));
  if (params.order_by === "desc") matches.reverse();
  const perPage = Math.min(
    params.per_page === undefined ? DEFAULT_PER_PAGE : integerParam(params.per_page, "per_page"),
    MAX_PER_PAGE,
  );
  const pages = Math.max(1, Math.ceil(matches.length / perPage));
  const page = params.page === undefined ? 1 : integerParam(params.page, "page");
  if (page < 1 || page > pages) {
    throw new RpcError(
      RPC_ERROR.internal,
      `page should be within [1, ${pages}] range, given ${page}`,
    );
  }
  const txs = matches.slice((page - 1) * perPage, page * perPage).map(txJson);
  return { txs, total_count: String(matches.length) };
}

function blockAt(chain: DevnetChain, heightParam: unknown) {
  const latest = chain.height;
  const height = heightParam === undefined || heightParam === null
    ? latest
    : integerParam(heightParam, "height");
  if (height <= 0) {
    throw new RpcError(RPC_ERROR.internal, `height must be greater than 0, but got ${height}`);
  }
  if (height > latest) {
    throw new RpcError(
      RPC_ERROR.internal,
      `height ${height} must be less than or equal to the current blockchain height ${latest}`,
    );
  }
  const block = chain.block(height);
  if (block === undefined) {
    const lowest = chain.earliestBlock?.height ?? latest;
    throw new RpcError(
      RPC_ERROR.internal,
      `height ${height} is not available, lowest height is ${lowest}`,
    );
  }
  return block;
}

function stringParam(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== "string") {
    throw new RpcError(RPC_ERROR.invalidParams, `missing or invalid string parameter '${name}'`);
  }
  return value;
}

function integerParam(value: unknown, name: string): number {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text)) {
    throw new RpcError(
      RPC_ERROR.invalidParams,
      `parameter '${name}' must be a whole number, got ${JSON.stringify(value)}`,
    );
  }
  return Number(text);
}

function hexParam(value: unknown): Uint8Array {
  if (value === undefined || value === null || value === "") return new Uint8Array();
  if (typeof value !== "string" || !/^(0x)?([0-9a-fA-F]{2})*$/.test(value)) {
    throw new RpcError(RPC_ERROR.invalidParams, "parameter 'data' must be hex");
  }
  return fromHex(value.replace(/^0x/, ""));
}
