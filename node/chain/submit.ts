/**
 * Sends transactions for one account, one at a time: gas price, simulation, signing (SIGN_MODE_
 * DIRECT), `broadcast_tx_sync`, then polling `tx_search` until the transaction is in a block.
 *
 * Overlapping submissions from one account race on its sequence number, so each account gets
 * one queue and a submission holds it until its transaction is in a block. A sequence mismatch
 * (another process sending from the same wallet) is retried with the sequence the chain expects.
 *
 * @module
 */
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { toHex } from "@cosmjs/encoding";
import { type EncodeObject, encodePubkey, type Registry } from "@cosmjs/proto-signing";
import {
  calculateFee,
  type GasPrice,
  type SigningStargateClient,
  type StdFee,
} from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import type { Logger } from "../log.ts";
import type { ChainAccount } from "./account.ts";
import { AccountNotFoundError, ChainError } from "./errors.ts";
import { gasLimitFor } from "./fees.ts";
import { ChainTimeoutError, withCallSignal } from "./rpc.ts";

/** A transaction included in a block with code 0. */
export interface TxResult {
  txHash: string;
  height: number;
  gasUsed: bigint;
  gasWanted: bigint;
  fee: StdFee;
}

/** Options of one submission. */
export interface SubmitOptions {
  memo?: string;
  signal?: AbortSignal;
}

/** Client services a submitter uses. */
export interface SubmitContext {
  comet: CometClient;
  registry: Registry;
  chainId: string;
  logger: Logger;
  gasMultiplier: number;
  broadcastTimeoutMs: number;
  pollIntervalMs: number;
  gasPrice(signal: AbortSignal): Promise<GasPrice>;
}

const SEQUENCE_RETRIES = 2;
// "account sequence mismatch, expected 5, got 4: incorrect account sequence"
const EXPECTED_SEQUENCE_REGEXP = /account sequence mismatch, expected (\d+), got \d+/;
const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";

/** Serializes the transactions of one account. */
export class AccountSubmitter {
  readonly account: ChainAccount;
  readonly #context: SubmitContext;
  readonly #signing: SigningStargateClient;
  #queue: Promise<unknown> = Promise.resolve();
  // The sequence the chain's last mismatch expected. A transaction of another process can be
  // in the mempool, ahead of the committed sequence that the account query returns.
  #expectedSequence: number | undefined;

  constructor(context: SubmitContext, account: ChainAccount, signing: SigningStargateClient) {
    this.#context = context;
    this.account = account;
    this.#signing = signing;
  }

  /**
   * Queues `messages` as one transaction and resolves when it is in a block.
   *
   * @param operation what the transaction does, for messages, e.g. "register in topic 1"
   * @throws {ChainError} when the chain rejects it (the code mapped to a next step)
   * @throws {AccountNotFoundError} when the account has never been funded
   * @throws {ChainTimeoutError} when it is not in a block within the broadcast timeout
   */
  submit(
    operation: string,
    messages: readonly EncodeObject[],
    options: SubmitOptions = {},
  ): Promise<TxResult> {
    const run = this.#queue.then(() => this.#submitWithRetry(operation, messages, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #submitWithRetry(
    operation: string,
    messages: readonly EncodeObject[],
    options: SubmitOptions,
  ): Promise<TxResult> {
    const signal = options.signal ?? new AbortController().signal;
    for (let attempt = 0;; attempt++) {
      try {
        return await withCallSignal(
          signal,
          () => this.#submitOnce(operation, messages, options.memo ?? "", signal),
        );
      } catch (error) {
        const mismatch = error instanceof ChainError && error.kind === "sequence-mismatch";
        if (!mismatch || attempt >= SEQUENCE_RETRIES) throw error;
        const expected = EXPECTED_SEQUENCE_REGEXP.exec(error.log)?.[1];
        this.#expectedSequence = expected === undefined ? undefined : Number(expected);
        this.#context.logger.warn("account sequence mismatch, resynchronizing", {
          address: this.account.address,
          attempt: attempt + 1,
          expected: this.#expectedSequence,
        });
      }
    }
  }

  async #submitOnce(
    operation: string,
    messages: readonly EncodeObject[],
    memo: string,
    signal: AbortSignal,
  ): Promise<TxResult> {
    const { address } = this.account;
    const { accountNumber, sequence } = await this.#sequence();
    this.#expectedSequence = undefined;
    const gasPrice = await this.#context.gasPrice(signal);
    const gasUsed = await this.#simulate(operation, messages, memo, sequence);
    const fee = calculateFee(Number(gasLimitFor(gasUsed, this.#context.gasMultiplier)), gasPrice);
    const signerData = { accountNumber, sequence, chainId: this.#context.chainId };
    const txRaw = await this.#signing.sign(address, messages, fee, memo, signerData);
    const txHash = await this.#broadcast(operation, TxRaw.encode(txRaw).finish());
    this.#context.logger.info("transaction broadcast", { operation, txHash, sequence });
    return await this.#waitForBlock(operation, txHash, fee, signal);
  }

  async #sequence(): Promise<{ accountNumber: bigint; sequence: number }> {
    try {
      const onChain = await this.#signing.getSequence(this.account.address);
      const sequence = Math.max(onChain.sequence, this.#expectedSequence ?? 0);
      return { accountNumber: onChain.accountNumber, sequence };
    } catch (error) {
      if (/does not exist on chain/.test((error as Error).message)) {
        throw new AccountNotFoundError(this.account.address, { cause: error });
      }
      throw error;
    }
  }

  async #simulate(
    operation: string,
    messages: readonly EncodeObject[],
    memo: string,
    sequence: number,
  ): Promise<bigint> {
    const tx = Tx.fromPartial({
      body: TxBody.fromPartial({
        messages: messages.map((message) => this.#context.registry.encodeAsAny(message)),
        memo,
      }),
      authInfo: AuthInfo.fromPartial({
        fee: Fee.fromPartial({}),
        signerInfos: [{
          publicKey: encodePubkey(encodeSecp256k1Pubkey(this.account.publicKey)),
          sequence: BigInt(sequence),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
        }],
      }),
      signatures: [new Uint8Array()],
    });
    const request = SimulateRequest.encode({ txBytes: Tx.encode(tx).finish() }).finish();
    const response = await this.#context.comet.abciQuery({ path: SIMULATE_PATH, data: request });
    rejectFailure(operation, response);
    return SimulateResponse.decode(response.value).gasInfo?.gasUsed ?? 0n;
  }

  async #broadcast(operation: string, tx: Uint8Array): Promise<string> {
    const response = await this.#context.comet.broadcastTxSync({ tx });
    const txHash = toHex(response.hash).toUpperCase();
    rejectFailure(operation, response, txHash);
    return txHash;
  }

  async #waitForBlock(
    operation: string,
    txHash: string,
    fee: StdFee,
    signal: AbortSignal,
  ): Promise<TxResult> {
    const { broadcastTimeoutMs, pollIntervalMs, comet } = this.#context;
    const deadline = Date.now() + broadcastTimeoutMs;
    while (Date.now() < deadline) {
      await sleep(pollIntervalMs, signal);
      const search = await comet.txSearch({ query: `tx.hash='${txHash}'` });
      const found = search.txs[0];
      if (found === undefined) continue;
      const { result } = found;
      rejectFailure(operation, result, txHash);
      return {
        txHash,
        height: found.height,
        gasUsed: result.gasUsed,
        gasWanted: result.gasWanted,
        fee,
      };
    }
    throw new ChainTimeoutError(operation, broadcastTimeoutMs, txHash);
  }
}

/** Throws a {@link ChainError} for an ABCI result with a non-zero code. */
function rejectFailure(
  operation: string,
  result: { code?: number; codespace?: string; log?: string },
  txHash?: string,
): void {
  if (!result.code) return;
  const { code, codespace = "", log = "" } = result;
  throw new ChainError(operation, { code, codespace, log, txHash });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
