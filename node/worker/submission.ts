/**
 * Payload submission: after the worker has replied to an execute request for a worker nonce,
 * it signs the inference and sends `InsertWorkerPayloadRequest` from its account.
 *
 * The worker sends each (topic, nonce) at most once. The nonce record in the workspace keeps
 * the nonces already handled across restarts, and an in-memory set covers requests for the same
 * nonce that run at the same time. When the record is lost, the chain's simulation rejects a
 * second payload (code 78) before anything is broadcast. A nonce is recorded when its transaction landed, when the
 * chain rejected it (a window that closed does not reopen), and when it was sent without a
 * confirmation. Only failures to reach the chain leave it open for a later request.
 *
 * @module
 */
import {
  AccountNotFoundError,
  type ChainClient,
  ChainError,
  ChainTimeoutError,
  InferenceOutputError,
  parseInferenceOutput,
  submitWorkerPayload,
  type WorkerOutput,
} from "../chain/mod.ts";
import type { Logger } from "../log.ts";
import type { NonceRecord } from "../nonce_record.ts";
import { sleep, withDeadline } from "../head/wait.ts";
import type { ChainSession } from "./chain_session.ts";
import {
  SEQUENCE_MISMATCH_ATTEMPTS,
  SEQUENCE_RETRY_DELAY_MS,
  SUBMIT_READY_WAIT_MS,
  SUBMIT_STOP_GRACE_MS,
} from "./constants.ts";

/** A checked inference for one worker nonce. */
export interface InferencePayload {
  requestId: string;
  topicId: bigint;
  /** Block height of the worker nonce (`ALLORA_BLOCK_HEIGHT_CURRENT`). */
  nonce: bigint;
  /** The function's standard output. */
  stdout: string;
}

/** Environment variable that carries the worker nonce of a request. */
export const BLOCK_HEIGHT_ENV = "ALLORA_BLOCK_HEIGHT_CURRENT";
const TOPIC_ID_ENV = "TOPIC_ID";
const UINT_REGEXP = /^\d{1,19}$/;

/**
 * Returns the payload of a request's output when the request names a worker nonce: `TOPIC_ID`
 * is a topic id (not a reputer topic) and `ALLORA_BLOCK_HEIGHT_CURRENT` a positive height.
 * The last entry of a repeated variable wins, as in the function's environment.
 */
export function payloadOfRequest(
  requestId: string,
  env: readonly [string, string][],
  stdout: string,
): InferencePayload | undefined {
  const topic = env.findLast(([name]) => name === TOPIC_ID_ENV)?.[1]?.trim();
  const height = env.findLast(([name]) => name === BLOCK_HEIGHT_ENV)?.[1]?.trim();
  if (topic === undefined || height === undefined) return undefined;
  if (!UINT_REGEXP.test(topic) || !UINT_REGEXP.test(height)) return undefined;
  const nonce = BigInt(height);
  if (nonce === 0n) return undefined;
  return { requestId, topicId: BigInt(topic), nonce, stdout };
}

/** The outcome of one payload. */
export type SubmissionOutcome =
  | { status: "landed"; txHash: string; height: number }
  /** The nonce was handled before, or is being handled by another request. */
  | { status: "duplicate" }
  /** The chain already has a payload of this account for the nonce. */
  | { status: "already-submitted" }
  /** Sent, but not seen in a block before the deadline; it may still land. */
  | { status: "unconfirmed"; txHash: string }
  /** The chain rejected it; `kind` is the {@link ChainError} kind. */
  | { status: "rejected"; kind: string; reason: string; hint: string }
  /** Not sent: not registered, not connected, or an output the chain would reject. */
  | { status: "skipped"; reason: string; hint?: string };

/** The receiver of the execute handler's checked inferences. */
export interface PayloadSink {
  /** Sends the payload unless its nonce was handled; never rejects. */
  submit(payload: InferencePayload): Promise<SubmissionOutcome>;
}

/** Options of {@link PayloadSubmitter}. */
export interface PayloadSubmitterOptions {
  session: Pick<ChainSession, "account" | "readiness">;
  record: NonceRecord;
  logger: Logger;
  /** How long a payload waits for the chain session's start-up. @default 30_000 */
  readyWaitMs?: number;
  /** First delay of a retry after a sequence mismatch. @default 250 */
  sequenceRetryDelayMs?: number;
}

/** Sends the worker's payloads, once per nonce. */
export class PayloadSubmitter implements PayloadSink {
  readonly #session: PayloadSubmitterOptions["session"];
  readonly #record: NonceRecord;
  readonly #logger: Logger;
  readonly #readyWaitMs: number;
  readonly #retryDelayMs: number;
  readonly #inFlight = new Set<string>();
  readonly #pending = new Set<Promise<SubmissionOutcome>>();
  readonly #controller = new AbortController();

  constructor(options: PayloadSubmitterOptions) {
    this.#session = options.session;
    this.#record = options.record;
    this.#logger = options.logger;
    this.#readyWaitMs = options.readyWaitMs ?? SUBMIT_READY_WAIT_MS;
    this.#retryDelayMs = options.sequenceRetryDelayMs ?? SEQUENCE_RETRY_DELAY_MS;
  }

  submit(payload: InferencePayload): Promise<SubmissionOutcome> {
    const log = this.#logger.child({
      request_id: payload.requestId,
      topic: payload.topicId,
      nonce: payload.nonce,
    });
    const task = this.#submit(payload, log).catch((error): SubmissionOutcome => {
      log.error("payload submission failed", { error });
      return { status: "skipped", reason: String(error) };
    });
    this.#pending.add(task);
    task.finally(() => this.#pending.delete(task));
    return task;
  }

  /** Waits up to `graceMs` for submissions in flight, then aborts the rest. */
  async close(graceMs = SUBMIT_STOP_GRACE_MS): Promise<void> {
    await withDeadline(Promise.allSettled([...this.#pending]), graceMs);
    this.#controller.abort(new Error("worker stopping"));
    await Promise.allSettled([...this.#pending]);
  }

  async #submit(payload: InferencePayload, log: Logger): Promise<SubmissionOutcome> {
    const { topicId, nonce } = payload;
    const key = `${topicId}/${nonce}`;
    const handled = this.#record.get(topicId, nonce);
    if (handled !== undefined || this.#inFlight.has(key)) {
      log.info("payload for this nonce already handled; not sending it again", {
        outcome: handled?.outcome ?? "in progress",
      });
      return { status: "duplicate" };
    }

    let output: WorkerOutput;
    try {
      output = parseInferenceOutput(payload.stdout);
    } catch (error) {
      if (!(error instanceof InferenceOutputError)) throw error;
      log.warn("payload not submitted: the chain would reject the output", { reason: error });
      return { status: "skipped", reason: error.message };
    }

    this.#inFlight.add(key);
    try {
      const readiness = await this.#session.readiness(topicId, {
        waitMs: this.#readyWaitMs,
        signal: this.#controller.signal,
      });
      if (!readiness.ready) {
        log.warn("payload not submitted", { reason: readiness.reason, hint: readiness.hint });
        return { status: "skipped", reason: readiness.reason, hint: readiness.hint };
      }
      return await this.#send(readiness.client, payload, output, log);
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #send(
    client: ChainClient,
    payload: InferencePayload,
    output: WorkerOutput,
    log: Logger,
  ): Promise<SubmissionOutcome> {
    const { topicId, nonce } = payload;
    const signal = this.#controller.signal;
    const account = this.#session.account;
    for (let attempt = 1;; attempt++) {
      try {
        const result = await submitWorkerPayload({
          client,
          account,
          topicId,
          nonce,
          output,
          signal,
        });
        await this.#record.add({ topicId, nonce, outcome: "landed", txHash: result.txHash });
        log.info("payload landed on chain", { tx_hash: result.txHash, height: result.height });
        return { status: "landed", txHash: result.txHash, height: result.height };
      } catch (error) {
        const retry = error instanceof ChainError && error.kind === "sequence-mismatch" &&
          attempt < SEQUENCE_MISMATCH_ATTEMPTS && !signal.aborted;
        if (!retry) return await this.#settleFailure(error, payload, log);
        const delayMs = this.#retryDelayMs * 2 ** (attempt - 1);
        log.warn("account sequence mismatch; retrying the payload", {
          attempt,
          retry_in_ms: delayMs,
        });
        await sleep(delayMs, signal);
      }
    }
  }

  async #settleFailure(
    error: unknown,
    { topicId, nonce }: InferencePayload,
    log: Logger,
  ): Promise<SubmissionOutcome> {
    if (error instanceof ChainError && error.kind === "already-submitted") {
      await this.#record.add({ topicId, nonce, outcome: "already-submitted" });
      log.info("payload for this nonce is already on chain");
      return { status: "already-submitted" };
    }
    if (error instanceof ChainError) {
      await this.#record.add({ topicId, nonce, outcome: error.kind, txHash: error.txHash });
      log.warn("chain rejected the payload", {
        reason: error.message,
        hint: error.hint,
        tx_hash: error.txHash,
      });
      return { status: "rejected", kind: error.kind, reason: error.message, hint: error.hint };
    }
    if (error instanceof ChainTimeoutError && error.txHash !== undefined) {
      await this.#record.add({ topicId, nonce, outcome: "unconfirmed", txHash: error.txHash });
      log.warn("payload sent but not seen in a block in time", {
        tx_hash: error.txHash,
        hint: "look the transaction up later by its hash",
      });
      return { status: "unconfirmed", txHash: error.txHash };
    }
    const hint = error instanceof AccountNotFoundError
      ? error.hint
      : "check chain.rpc in config.yaml and that the node is up";
    log.warn("cannot submit payload", { reason: error, hint });
    return { status: "skipped", reason: String(error), hint };
  }
}
