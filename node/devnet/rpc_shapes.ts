/**
 * CometBFT 0.38 JSON shapes of blocks, transactions and results, as @cosmjs/tendermint-rpc's
 * comet38 adaptor decodes them: heights and gas as decimal strings, hashes as uppercase hex,
 * binary data as base64.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { toBase64, toHex } from "@cosmjs/encoding";
import type { TxResult } from "./app.ts";
import type { BlockRecord, DevnetChain, TxRecord } from "./chain.ts";

/** CometBFT block protocol version. */
export const BLOCK_PROTOCOL = "11";

/** Returns the hex address of the fake validator. */
export function validatorAddress(chain: DevnetChain): string {
  return toHex(sha256(chain.validatorKey).slice(0, 20)).toUpperCase();
}

/** Renders a transaction result (`tx_result`, `check_tx`). */
export function resultJson(result: TxResult) {
  return {
    code: result.code,
    data: result.data.length === 0 ? null : toBase64(result.data),
    log: result.log,
    info: "",
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    events: result.events,
    codespace: result.codespace,
  };
}

/** Renders a delivered transaction, as `tx` and `tx_search` return it. */
export function txJson(record: TxRecord) {
  return {
    hash: record.hash,
    height: String(record.height),
    index: record.index,
    tx_result: resultJson(record.result),
    tx: toBase64(record.tx),
  };
}

function blockId(hash: string) {
  return hash === ""
    ? { hash: "", parts: { total: 0, hash: "" } }
    : { hash, parts: { total: 1, hash: hexOf(`parts:${hash}`) } };
}

/** Renders a block with its id, as the `block` method returns it. */
export function blockJson(chain: DevnetChain, block: BlockRecord) {
  const txs = block.txHashes.map((hash) => toBase64(chain.tx(hash)?.tx ?? new Uint8Array()));
  const validatorsHash = hexOf(`validators:${validatorAddress(chain)}`);
  return {
    block_id: blockId(block.hash),
    block: {
      header: {
        version: { block: BLOCK_PROTOCOL, app: "0" },
        chain_id: chain.chainId,
        height: String(block.height),
        time: block.time,
        last_block_id: blockId(block.lastBlockHash),
        last_commit_hash: block.lastBlockHash === "" ? "" : hexOf(`commit:${block.lastBlockHash}`),
        data_hash: block.dataHash,
        validators_hash: validatorsHash,
        next_validators_hash: validatorsHash,
        consensus_hash: hexOf("consensus"),
        app_hash: block.appHash,
        last_results_hash: "",
        evidence_hash: "",
        proposer_address: validatorAddress(chain),
      },
      data: { txs },
      evidence: { evidence: [] },
      last_commit: {
        height: String(Math.max(block.height - 1, 0)),
        round: 0,
        block_id: blockId(block.lastBlockHash),
        // NOTE: the devnet has no consensus, so commits carry no validator signatures.
        signatures: [],
      },
    },
  };
}

/** Renders `block_results`. */
export function blockResultsJson(chain: DevnetChain, block: BlockRecord) {
  return {
    height: String(block.height),
    txs_results: block.txHashes
      .map((hash) => chain.tx(hash))
      .filter((record) => record !== undefined)
      .map((record) => resultJson(record.result)),
    finalize_block_events: block.events,
    validator_updates: [],
    consensus_param_updates: null,
    app_hash: chain.block(block.height + 1)?.appHash ?? chain.appHash,
  };
}

function hexOf(text: string): string {
  return toHex(sha256(new TextEncoder().encode(text))).toUpperCase();
}
