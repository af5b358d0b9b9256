/**
 * The scheduler's view of the chain through the chain client: it connects on first use and
 * again after a failed call, so a chain that restarts is picked up without restarting the
 * head. Each topic's submission window is read once and kept.
 *
 * @module
 */
import { ChainClient, readTopic } from "../chain/mod.ts";
import type { Logger } from "../log.ts";
import type { ScheduleChain, TopicNonces } from "./scheduler.ts";

/** Options of {@link ClientScheduleChain}. */
export interface ClientScheduleChainOptions {
  /** CometBFT RPC URL. */
  rpc: string;
  /** @default "auto" */
  emissionsVersion?: string;
  /** Deadline of each chain call. @default 10_000 */
  timeoutMs?: number;
  logger: Logger;
}

const CALL_TIMEOUT_MS = 10_000;

/** Reads worker nonces, the height and submission windows with a {@link ChainClient}. */
export class ClientScheduleChain implements ScheduleChain {
  readonly #options: ClientScheduleChainOptions;
  readonly #windows = new Map<bigint, bigint>();
  #client: ChainClient | undefined;

  constructor(options: ClientScheduleChainOptions) {
    this.#options = options;
  }

  async topicNonces(topicId: bigint, signal: AbortSignal): Promise<TopicNonces> {
    const client = await this.#connect(signal);
    try {
      const call = { signal };
      const window = await this.#window(client, topicId, signal);
      const nonces = await client.call(
        `read the worker nonces of topic ${topicId}`,
        call,
        () => client.query.emissions.unfulfilledWorkerNonces(topicId),
      );
      const { height } = await client.status(call);
      return { nonces, height: BigInt(height), window };
    } catch (error) {
      // A new connection next time: the chain may have restarted behind the same URL.
      this.close();
      throw error;
    }
  }

  /** Closes the client; the next call connects again. */
  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }

  async #connect(signal: AbortSignal): Promise<ChainClient> {
    if (this.#client !== undefined) return this.#client;
    const { rpc, emissionsVersion, timeoutMs = CALL_TIMEOUT_MS, logger } = this.#options;
    this.#client = await ChainClient.connect(
      { rpc, emissionsVersion, timeoutMs, logger: logger.child({ component: "chain" }) },
      { signal },
    );
    logger.info("scheduler connected to the chain", {
      rpc,
      chain_id: this.#client.chainId,
      emissions_version: this.#client.emissionsVersion,
    });
    return this.#client;
  }

  async #window(client: ChainClient, topicId: bigint, signal: AbortSignal): Promise<bigint> {
    let window = this.#windows.get(topicId);
    if (window === undefined) {
      const { topic } = await readTopic(client, topicId, { signal });
      window = topic.workerSubmissionWindow;
      this.#windows.set(topicId, window);
    }
    return window;
  }
}
