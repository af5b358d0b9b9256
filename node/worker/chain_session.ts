/**
 * The worker's link to the chain: it connects in the background with retries, registers the
 * worker's account in each of its topics once connected (checking the balance against the
 * registration fee first), and reports to the payload submitter whether a topic takes payloads.
 *
 * Nothing here stops the worker: an unreachable chain, a missing topic or a low balance is
 * logged with a next step, and the worker keeps serving without submitting for that topic.
 *
 * @module
 */
import {
  type ChainAccount,
  ChainClient,
  ensureWorkerRegistered,
  formatAllo,
  type TopicRegistrationStatus,
  UnsupportedChainError,
} from "../chain/mod.ts";
import type { Logger } from "../log.ts";
import { sleep, TIMED_OUT, withDeadline } from "../head/wait.ts";
import { backoffDelayMs } from "./boot.ts";
import { CHAIN_TX_POLL_MS, REGISTRATION_RETRY_MS } from "./constants.ts";

/** Options of {@link ChainSession.start}. */
export interface ChainSessionOptions {
  /** CometBFT RPC URL. */
  rpc: string;
  /** @default "auto" */
  emissionsVersion?: string;
  /** @default "auto" */
  gasPrice?: string;
  /** The account that registers and signs payloads. */
  account: ChainAccount;
  /** Allora topic ids the worker serves. */
  topics: readonly bigint[];
  logger: Logger;
  /** Deadline of each chain call. @default the client's 15 s */
  timeoutMs?: number;
  /** Time after a failed registration before a payload tries again. @default 60_000 */
  registrationRetryMs?: number;
  /** Jitter source of the reconnect delays. @default Math.random */
  random?: () => number;
  /** Runs once connected, before the registration; a failure is logged, not thrown. */
  onConnect?: (client: ChainClient) => Promise<void>;
}

/** Whether payloads for a topic can be sent now, and with which client. */
export type TopicReadiness =
  | { ready: true; client: ChainClient }
  | { ready: false; reason: string; hint: string };

interface TopicState {
  status: TopicRegistrationStatus;
  checkedAt: number;
  /** A registration retry in progress. */
  retry?: Promise<void>;
}

/** A connection to the chain that keeps the worker registered in its topics. */
export class ChainSession {
  readonly account: ChainAccount;
  readonly #options: ChainSessionOptions;
  readonly #logger: Logger;
  readonly #controller = new AbortController();
  readonly #topics = new Map<bigint, TopicState>();
  readonly #started: Promise<void>;
  #client: ChainClient | undefined;

  private constructor(options: ChainSessionOptions) {
    this.#options = options;
    this.account = options.account;
    this.#logger = options.logger.child({ address: options.account.address });
    this.#started = this.#connectAndRegister().catch((error) => {
      if (!this.#controller.signal.aborted) {
        this.#logger.error("chain session failed", { error });
      }
    });
  }

  /** Starts connecting and registering in the background and returns at once. */
  static start(options: ChainSessionOptions): ChainSession {
    return new ChainSession(options);
  }

  /** The connected client, once connected. */
  get client(): ChainClient | undefined {
    return this.#client;
  }

  /** Resolves when the first connection and registration pass has ended (or the session closed). */
  get started(): Promise<void> {
    return this.#started;
  }

  /**
   * Tells whether a payload for `topicId` can be sent: the worker serves the topic, the chain
   * is connected and the account is registered. Waits at most `waitMs` for the start-up pass. A
   * topic whose registration failed is tried again once `registrationRetryMs` have passed, so a
   * wallet funded later starts submitting without a restart.
   */
  async readiness(
    topicId: bigint,
    { waitMs, signal }: { waitMs: number; signal?: AbortSignal },
  ): Promise<TopicReadiness> {
    if (!this.#options.topics.includes(topicId)) {
      return {
        ready: false,
        reason: `topic ${topicId} is not one of this worker's topics`,
        hint: `serve it with --topic ${topicId}`,
      };
    }
    if (await withDeadline(this.#started, waitMs, signal) === TIMED_OUT || !this.#client) {
      return {
        ready: false,
        reason: `not connected to the chain at ${this.#options.rpc}`,
        hint: "check chain.rpc in config.yaml and that the node is up",
      };
    }
    const state = this.#topics.get(topicId);
    if (state === undefined) {
      return { ready: false, reason: "registration has not run", hint: "retry later" };
    }
    const retryMs = this.#options.registrationRetryMs ?? REGISTRATION_RETRY_MS;
    if (state.status.status === "failed" && Date.now() - state.checkedAt >= retryMs) {
      state.retry ??= this.#register([topicId]).finally(() => state.retry = undefined);
      await state.retry;
    }
    const current = this.#topics.get(topicId)!.status;
    if (current.status === "failed") {
      return {
        ready: false,
        reason: `not registered in topic ${topicId}: ${current.reason}`,
        hint: current.hint ?? "register with 'allora chain register'",
      };
    }
    return { ready: true, client: this.#client };
  }

  /** Stops connecting and closes the client. */
  close(): void {
    this.#controller.abort(new Error("chain session closed"));
    this.#client?.close();
  }

  async #connectAndRegister(): Promise<void> {
    const client = await this.#connect();
    if (client === undefined) return;
    this.#client = client;
    await this.#options.onConnect?.(client).catch((error) =>
      this.#logger.warn("chain connection hook failed", { error })
    );
    const balance = await client.balance(this.account.address).catch(() => undefined);
    this.#logger.info("connected to the chain", {
      rpc: this.#options.rpc,
      chain_id: client.chainId,
      emissions_version: client.emissionsVersion,
      balance_allo: balance === undefined ? undefined : formatAllo(balance),
    });
    await this.#register(this.#options.topics);
  }

  async #connect(): Promise<ChainClient | undefined> {
    const { rpc, emissionsVersion, gasPrice, timeoutMs, random } = this.#options;
    const signal = this.#controller.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await ChainClient.connect({
          rpc,
          emissionsVersion,
          gasPrice,
          timeoutMs,
          pollIntervalMs: CHAIN_TX_POLL_MS,
          logger: this.#logger.child({ component: "chain" }),
          signal,
        }, { signal });
      } catch (error) {
        if (signal.aborted) return undefined;
        if (error instanceof UnsupportedChainError) {
          this.#logger.error("cannot use the chain; payloads are not submitted", {
            rpc,
            error,
            hint: "point chain.rpc at an Allora chain, or upgrade allora",
          });
          return undefined;
        }
        const delayMs = backoffDelayMs(attempt, random);
        this.#logger.warn("cannot reach the chain; retrying", {
          rpc,
          attempt: attempt + 1,
          retry_in_ms: delayMs,
          error,
        });
        await sleep(delayMs, signal).catch(() => {});
      }
    }
    return undefined;
  }

  async #register(topics: readonly bigint[]): Promise<void> {
    const client = this.#client!;
    const statuses = await ensureWorkerRegistered({
      client,
      account: this.account,
      topics,
      logger: this.#logger,
      signal: this.#controller.signal,
    });
    for (const status of statuses) {
      this.#topics.set(status.topicId, { status, checkedAt: Date.now() });
      if (status.status === "failed") {
        this.#logger.warn("payloads for this topic are not submitted until it is registered", {
          topic: status.topicId,
          retry_after_ms: this.#options.registrationRetryMs ?? REGISTRATION_RETRY_MS,
        });
      }
    }
  }
}
