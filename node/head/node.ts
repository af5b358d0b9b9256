/**
 * The head node: runs execute requests (roll call, parallel execute, aggregation), installs,
 * keeps final responses for the result endpoint, publishes health checks and shuts down
 * cleanly. Many requests run at once, each isolated by its request id.
 *
 * @example
 * ```ts
 * const head = new HeadNode({ network: networkFromHost(host), logger });
 * const body = await head.execute(planExecution(request, limits));
 * await head.close();
 * ```
 *
 * @module
 */
import { Code, GENERAL_TOPIC, type Message } from "../p2p/messages.ts";
import { type Logger, silentLogger } from "../log.ts";
import { aggregate } from "./aggregate.ts";
import {
  DEFAULT_EXECUTION_TIMEOUT_MS,
  DEFAULT_RESULT_TTL_MS,
  HEALTH_CHECK_INTERVAL_MS,
  MAX_CACHED_RESULTS,
} from "./constants.ts";
import { ShutdownError } from "./errors.ts";
import { executeOnPeers, type ExecutionOutcome } from "./execute.ts";
import { Inbox } from "./inbox.ts";
import { installFunction } from "./install.ts";
import { createHeadMetrics, type HeadMetrics } from "./metrics.ts";
import type { HeadNetwork, Origin } from "./network.ts";
import { ResultsCache } from "./results_cache.ts";
import { rollCall } from "./roll_call.ts";
import type {
  ExecuteResponseBody,
  ExecutionJob,
  InstallPlan,
  InstallResponseBody,
} from "./types.ts";

/** Options of {@link HeadNode}. */
export interface HeadNodeOptions {
  network: HeadNetwork;
  logger?: Logger;
  /** How long to wait for results after sending the executes. @default 20_000 */
  executionTimeoutMs?: number;
  /** How long final responses stay readable. @default 600_000 */
  resultTtlMs?: number;
  /** Most final responses kept. @default 10_000 */
  maxCachedResults?: number;
  /** Interval of health checks on the general topic; 0 disables them. @default 60_000 */
  healthCheckIntervalMs?: number;
}

/** A head node on top of a started p2p network. */
export class HeadNode {
  readonly metrics: HeadMetrics;
  readonly #network: HeadNetwork;
  readonly #logger: Logger;
  readonly #executionTimeoutMs: number;
  readonly #inbox = new Inbox();
  readonly #cache: ResultsCache;
  readonly #inFlight = new Set<AbortController>();
  readonly #stopListening: () => void;
  readonly #healthTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: HeadNodeOptions) {
    const {
      network,
      logger = silentLogger,
      executionTimeoutMs = DEFAULT_EXECUTION_TIMEOUT_MS,
      resultTtlMs = DEFAULT_RESULT_TTL_MS,
      maxCachedResults = MAX_CACHED_RESULTS,
      healthCheckIntervalMs = HEALTH_CHECK_INTERVAL_MS,
    } = options;
    this.#network = network;
    this.#logger = logger;
    this.#executionTimeoutMs = executionTimeoutMs;
    this.#cache = new ResultsCache({ ttlMs: resultTtlMs, maxEntries: maxCachedResults });
    this.metrics = createHeadMetrics(() => network.connectedPeerCount());
    this.#stopListening = network.onMessage((message, origin) => this.#receive(message, origin));
    if (healthCheckIntervalMs > 0) {
      this.#healthTimer = setInterval(() => this.#publishHealthCheck(), healthCheckIntervalMs);
    }
  }

  /** Peer ID of the head. */
  get peerId(): string {
    return this.#network.peerId;
  }

  /**
   * Runs one execute request to its end and returns the REST body. Never rejects: failures
   * become code "500" with a message. The body is also kept for {@link result}.
   */
  async execute(job: ExecutionJob): Promise<ExecuteResponseBody> {
    const requestId = crypto.randomUUID();
    const started = performance.now();
    const logger = this.#logger.child({ request_id: requestId, topic: job.topic });
    const controller = new AbortController();
    this.#inFlight.add(controller);
    this.metrics.inFlight.inc();
    logger.debug("request started", { function_id: job.request.function_id });

    let body: ExecuteResponseBody;
    try {
      if (this.#closed) throw new ShutdownError();
      body = await this.#run(job, requestId, controller.signal, logger);
    } catch (error) {
      const shutdown = error instanceof ShutdownError;
      if (!shutdown) logger.error("request failed", { error });
      const message = shutdown
        ? "request abandoned: the head node is shutting down"
        : `request failed: ${error instanceof Error ? error.message : String(error)}`;
      body = { code: Code.error, request_id: requestId, message, cluster: {} };
    } finally {
      this.#inFlight.delete(controller);
      this.metrics.inFlight.dec();
    }

    const seconds = (performance.now() - started) / 1000;
    this.metrics.requests.inc({ code: body.code });
    this.metrics.requestDuration.observe(seconds);
    this.#cache.set(requestId, body);
    logger.info("request finished", {
      code: body.code,
      peers: body.cluster.peers?.length ?? 0,
      latency_ms: Math.round(seconds * 1000),
    });
    return body;
  }

  /**
   * Publishes `MsgInstallFunction` and returns the REST body.
   *
   * @throws {InstallPublishError} when the publish fails
   */
  async install(plan: InstallPlan): Promise<InstallResponseBody> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    try {
      if (this.#closed) throw new ShutdownError();
      return await installFunction(this.#components(this.#logger), plan, controller.signal);
    } finally {
      this.#inFlight.delete(controller);
    }
  }

  /** Returns the final response of `requestId`, or undefined when unknown or expired. */
  result(requestId: string): ExecuteResponseBody | undefined {
    return this.#cache.get(requestId);
  }

  /** Returns the metrics in the Prometheus text format. */
  async renderMetrics(): Promise<{ contentType: string; body: string }> {
    return {
      contentType: this.metrics.registry.contentType,
      body: await this.metrics.registry.metrics(),
    };
  }

  /**
   * Stops accepting work and ends in-flight requests, which return code "500". Does not stop the
   * network; its owner does that after the REST server has sent those responses.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#healthTimer);
    for (const controller of this.#inFlight) controller.abort(new ShutdownError());
    this.#stopListening();
    this.#logger.info("head node closed", { aborted_requests: this.#inFlight.size });
  }

  async #run(
    job: ExecutionJob,
    requestId: string,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<ExecuteResponseBody> {
    const components = this.#components(logger);
    const roll = await rollCall(components, job, { requestId, signal });
    this.metrics.rollCallResponders.observe(roll.ok ? roll.peers.length : roll.responders.length);
    if (!roll.ok) {
      logger.warn("roll call failed", { reason: roll.message, responders: roll.responders });
      this.#releaseResponders(requestId, roll.responders, logger);
      return {
        code: Code.timeout,
        request_id: requestId,
        message: withConsensusNote(roll.message, job),
        cluster: {},
      };
    }

    logger.debug("roll call succeeded", { peers: roll.peers });
    const outcome = await executeOnPeers(components, job, {
      requestId,
      peers: roll.peers,
      timeoutMs: this.#executionTimeoutMs,
      signal,
    });
    this.metrics.sendFailures.inc(outcome.failedSends.length);
    return this.#respond(job, requestId, roll.peers, outcome);
  }

  // Workers that accepted a failed roll call hold an execution slot for the request. No execute
  // will follow, so tell them, with the b7s message that ends a request's cluster, to free it
  // now instead of when the reservation expires. A b7s worker has no cluster for the request,
  // so the message changes nothing there.
  #releaseResponders(requestId: string, responders: string[], logger: Logger): void {
    for (const peer of responders) {
      this.#network.send(peer, { type: "MsgDisbandCluster", request_id: requestId }).catch(
        (error) => logger.debug("cannot release roll call responder", { peer, error }),
      );
    }
  }

  #respond(
    job: ExecutionJob,
    requestId: string,
    peers: string[],
    outcome: ExecutionOutcome,
  ): ExecuteResponseBody {
    const received = outcome.results.length;
    const ratio = received / peers.length;
    let code: string = Code.ok;
    let message: string | undefined;
    if (received === 0) {
      code = Code.noContent;
      message = `no results from ${peers.length} selected workers${
        describeMissing(outcome, this.#executionTimeoutMs)
      }`;
    } else if (ratio < job.threshold) {
      code = Code.partialContent;
      message =
        `${received} of ${peers.length} selected workers returned results, below the threshold ${job.threshold}${
          describeMissing(outcome, this.#executionTimeoutMs)
        }`;
    }
    const note = withConsensusNote(message, job);
    return {
      code,
      request_id: requestId,
      ...(note !== undefined && { message: note }),
      ...(received > 0 && { results: aggregate(outcome.results) }),
      cluster: { peers },
    };
  }

  #components(logger: Logger) {
    return { network: this.#network, inbox: this.#inbox, logger };
  }

  #receive(message: Message, origin: Origin): void {
    if (this.#inbox.deliver(message, origin.peer)) return;
    switch (message.type) {
      case "MsgHealthCheck":
        this.#logger.debug("health check received", { peer: origin.peer });
        break;
      case "MsgRollCallResponse":
      case "MsgExecuteResponse":
        this.#logger.debug("late or unknown response ignored", {
          type: message.type,
          request_id: message.request_id,
          peer: origin.peer,
        });
        break;
      default:
        this.#logger.debug("message ignored by head", { type: message.type, peer: origin.peer });
    }
  }

  #publishHealthCheck(): void {
    this.#network.publish(GENERAL_TOPIC, { type: "MsgHealthCheck", code: 200 }).catch((error) =>
      this.#logger.warn("cannot publish health check", { error })
    );
  }
}

function describeMissing(outcome: ExecutionOutcome, timeoutMs: number): string {
  const parts: string[] = [];
  if (outcome.unanswered.length > 0) {
    parts.push(`${outcome.unanswered.length} did not answer within ${timeoutMs} ms`);
  }
  if (outcome.disconnected.length > 0) {
    parts.push(`${outcome.disconnected.length} disconnected`);
  }
  if (outcome.failedSends.length > 0) {
    parts.push(`${outcome.failedSends.length} could not be reached`);
  }
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

function withConsensusNote(message: string | undefined, job: ExecutionJob): string | undefined {
  if (job.consensus === "") return message;
  const note =
    `consensus '${job.consensus}' is not supported by this head: executed without consensus`;
  return message === undefined ? note : `${message}; ${note}`;
}
