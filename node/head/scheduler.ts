/**
 * The head's nonce scheduler. It polls the chain for each scheduled topic's unfulfilled worker
 * nonces. For every new one it sends one execute request to the head's own workers, through the
 * same path as the REST execute (roll call, execute, aggregate), and the workers then submit
 * their inferences for that nonce.
 *
 * Each nonce is scheduled at most once: it is recorded before its request starts, in a file
 * that survives a restart, and only nonces above the highest recorded one count as new. A
 * nonce whose submission window has closed by the time the head sees it is skipped. When the
 * chain cannot be read, polls back off from 1 s to 30 s.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { NonceRecord } from "../nonce_record.ts";
import { backoffDelayMs } from "../worker/boot.ts";
import type { ExecuteApiRequest } from "./job.ts";
import type { ExecuteResponseBody } from "./types.ts";
import { sleep, withDeadline } from "./wait.ts";

/** Default interval between polls of the chain. */
export const DEFAULT_SCHEDULE_INTERVAL_MS = 2_000;
/** Roll-call window of scheduled requests, in seconds; every worker that accepts runs it. */
export const SCHEDULED_ROLL_CALL_TIMEOUT_S = 2;
/** Time given to scheduled requests in flight when the scheduler stops. */
const STOP_GRACE_MS = 5_000;

/** A topic the head schedules, with the argument its requests carry. */
export interface ScheduledTopic {
  topicId: bigint;
  /** `ALLORA_ARG_PARAMS` of every request, e.g. a token symbol. */
  defaultArg: string;
}

/** A topic's worker nonces as the chain reports them. */
export interface TopicNonces {
  /** Unfulfilled worker nonces (block heights), latest first. */
  nonces: bigint[];
  /** The chain's latest block height. */
  height: bigint;
  /** The topic's worker submission window, in blocks. */
  window: bigint;
}

/** The chain queries of the scheduler. */
export interface ScheduleChain {
  /** @throws when the chain cannot be read; the scheduler backs off and retries */
  topicNonces(topicId: bigint, signal: AbortSignal): Promise<TopicNonces>;
}

/** Runs one execute request through the head; never rejects for a failed request. */
export type ScheduleExecutor = (body: ExecuteApiRequest) => Promise<ExecuteResponseBody>;

/** Options of {@link NonceScheduler}. */
export interface NonceSchedulerOptions {
  topics: readonly ScheduledTopic[];
  chain: ScheduleChain;
  execute: ScheduleExecutor;
  /** Nonces already scheduled; the scheduler adds to it. */
  record: NonceRecord;
  /** The node function the requests run. */
  functionId: string;
  method: string;
  logger: Logger;
  /** @default DEFAULT_SCHEDULE_INTERVAL_MS */
  intervalMs?: number;
  /** Delay before poll `attempt + 1` after `attempt` failed polls. @default 1 s doubling to 30 s */
  retryDelayMs?: (attempt: number) => number;
}

/** Sends one request per new worker nonce of each scheduled topic. */
export class NonceScheduler {
  readonly #options: NonceSchedulerOptions;
  readonly #logger: Logger;
  readonly #controller = new AbortController();
  readonly #pending = new Set<Promise<void>>();
  #failures = 0;
  #loop: Promise<void> | undefined;

  constructor(options: NonceSchedulerOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "scheduler" });
  }

  /** Starts polling in the background. */
  start(): void {
    const { topics, intervalMs = DEFAULT_SCHEDULE_INTERVAL_MS } = this.#options;
    this.#logger.info("scheduling worker nonces", {
      topics: topics.map((topic) => topic.topicId),
      interval_ms: intervalMs,
    });
    this.#loop ??= this.#run(intervalMs);
  }

  /** Requests started and not finished yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Polls every topic once and starts a request for each new nonce.
   *
   * @returns whether every topic could be read
   */
  async poll(): Promise<boolean> {
    let ok = true;
    for (const topic of this.#options.topics) {
      try {
        await this.#pollTopic(topic);
      } catch (error) {
        if (this.#controller.signal.aborted) return false;
        ok = false;
        this.#logger.warn("cannot read worker nonces", { topic: topic.topicId, error });
      }
    }
    return ok;
  }

  /** Waits for every started request to finish. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Stops polling and waits up to 5 s for requests in flight. */
  async stop(): Promise<void> {
    this.#controller.abort(new Error("scheduler stopping"));
    await this.#loop;
    await withDeadline(this.settled(), STOP_GRACE_MS);
  }

  async #run(intervalMs: number): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      const ok = await this.poll();
      let delayMs = intervalMs;
      if (ok && this.#failures > 0) {
        this.#logger.info("reading worker nonces again", { failed_polls: this.#failures });
        this.#failures = 0;
      } else if (!ok) {
        const retryDelayMs = this.#options.retryDelayMs ?? backoffDelayMs;
        delayMs = Math.max(intervalMs, retryDelayMs(this.#failures));
        this.#failures += 1;
        this.#logger.warn("retrying the chain", { attempt: this.#failures, retry_in_ms: delayMs });
      }
      await sleep(delayMs, signal).catch(() => {});
    }
  }

  async #pollTopic({ topicId, defaultArg }: ScheduledTopic): Promise<void> {
    const { record, chain } = this.#options;
    const { nonces, height, window } = await chain.topicNonces(topicId, this.#controller.signal);
    // NOTE: a chain reset is noticed only while its height is below the recorded nonces, so
    // nonces it reaches while the head cannot read it may be taken for old ones.
    await record.dropAbove(height);
    const nonce = nonces[0];
    if (nonce === undefined || record.has(topicId, nonce)) return;
    const latest = record.latest(topicId);
    if (latest !== undefined && nonce <= latest) return;

    const log = this.#logger.child({ topic: topicId, nonce });
    // The chain accepts payloads while nonce <= height < nonce + window.
    if (height >= nonce + window) {
      await record.add({ topicId, nonce, outcome: "window-closed" });
      log.info("skipped a nonce whose submission window has closed", { height, window });
      return;
    }
    await record.add({ topicId, nonce, outcome: "scheduled" });
    const task = this.#request(topicId, nonce, defaultArg, log);
    this.#pending.add(task);
    task.finally(() => this.#pending.delete(task));
  }

  async #request(topicId: bigint, nonce: bigint, arg: string, log: Logger): Promise<void> {
    const started = performance.now();
    log.debug("sending the request for a new nonce");
    try {
      const body = await this.#options.execute({
        function_id: this.#options.functionId,
        method: this.#options.method,
        topic: topicId.toString(),
        config: {
          env_vars: [
            { name: "ALLORA_ARG_PARAMS", value: arg },
            { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: nonce.toString() },
          ],
          number_of_nodes: -1,
          timeout: SCHEDULED_ROLL_CALL_TIMEOUT_S,
        },
      });
      const fields = {
        request_id: body.request_id,
        code: body.code,
        workers: body.cluster.peers?.length ?? 0,
        latency_ms: Math.round(performance.now() - started),
        ...(body.message !== undefined && { reason: body.message }),
      };
      if (body.code === "200") log.info("scheduled request finished", fields);
      else if (this.#controller.signal.aborted) {
        log.info("scheduled request ended by the stop", fields);
      } else log.warn("scheduled request failed", fields);
    } catch (error) {
      log.error("scheduled request failed", { error });
    }
  }
}
