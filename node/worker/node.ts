/**
 * The worker node: subscribes to its topics, keeps its boot nodes connected, and dispatches
 * each b7s message to its handler with bounded concurrency.
 *
 * @module
 */
import type { PeerId } from "@libp2p/interface";
import type { Host, MessageSource } from "../p2p/host.ts";
import { GENERAL_TOPIC, type Message } from "../p2p/messages.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { ExecutionLimits, WorkerContext } from "./context.ts";
import type { Executor, Installer } from "./ports.ts";
import { ExecutionSlots } from "./slots.ts";
import type { PayloadSink } from "./submission.ts";
import { type BootNode, startBootDialer } from "./boot.ts";
import { handleRollCall } from "./roll_call.ts";
import { handleExecute } from "./execute.ts";
import { handleInstallFunction } from "./install.ts";
import {
  EXECUTION_TIMEOUT_MS,
  HEALTH_CHECK_INTERVAL_MS,
  MAX_MEMORY_PAGES,
  MAX_PENDING_MESSAGES,
  RESERVATION_GRACE_MS,
  ROLL_CALL_WINDOW_MS,
  SLOT_WAIT_MS,
  STOP_GRACE_MS,
} from "./constants.ts";

/** Options of {@link startWorkerNode}. */
export interface WorkerNodeOptions {
  /** A started host; the worker stops it on {@link WorkerNode.stop}. */
  host: Host;
  executor: Executor;
  installer: Installer;
  /** Gossip topic names to subscribe to besides the general topic. */
  topics?: readonly string[];
  bootNodes?: readonly BootNode[];
  /** Executions at once. */
  concurrency: number;
  /** Static attributes matched against roll calls. */
  attributes?: Readonly<Record<string, string>>;
  limits?: Partial<ExecutionLimits>;
  /** Lifetime of a roll-call reservation. @default window 5 s + 30 s */
  reservationMs?: number;
  /** Receives checked inferences for worker nonces; without it nothing is submitted. */
  payloads?: PayloadSink;
  logger?: Logger;
}

/** A running worker node. */
export interface WorkerNode {
  readonly peerId: string;
  readonly topics: readonly string[];
  readonly slots: ExecutionSlots;
  multiaddrs(): string[];
  /** Fails running executions, stops the dialer and the host; resolves when done. */
  stop(): Promise<void>;
}

/** Subscribes `host` to the worker topics, starts the boot dialer and handles messages. */
export function startWorkerNode(options: WorkerNodeOptions): WorkerNode {
  const { host, logger = silentLogger } = options;
  const topics = [...new Set(options.topics ?? [])].filter((topic) => topic !== GENERAL_TOPIC);
  const slots = new ExecutionSlots({
    capacity: options.concurrency,
    reservationMs: options.reservationMs ?? ROLL_CALL_WINDOW_MS + RESERVATION_GRACE_MS,
  });
  const stopController = new AbortController();
  const context: WorkerContext = {
    peerId: host.peerId.toString(),
    executor: options.executor,
    installer: options.installer,
    slots,
    attributes: options.attributes ?? {},
    limits: {
      timeoutMs: options.limits?.timeoutMs ?? EXECUTION_TIMEOUT_MS,
      maxMemoryPages: options.limits?.maxMemoryPages ?? MAX_MEMORY_PAGES,
      slotWaitMs: options.limits?.slotWaitMs ?? SLOT_WAIT_MS,
    },
    logger,
    signal: stopController.signal,
    reply: (peer, message) => host.send(peer, message),
    payloads: options.payloads,
  };

  for (const topic of topics) host.subscribe(topic);
  const pending = new Set<Promise<void>>();
  let dropped = 0;
  const removeListener = host.onMessage((message, source) => {
    if (stopController.signal.aborted) return;
    if (pending.size >= MAX_PENDING_MESSAGES) {
      // Count drops and log every hundredth, so a flood cannot flood the log too.
      if (dropped++ % 100 === 0) {
        logger.warn("message dropped: too many pending", { type: message.type, dropped });
      }
      return;
    }
    const task = dispatch(context, message, source).catch((error) =>
      logger.error("message handler failed", { type: message.type, peer: source.peer, error })
    );
    pending.add(task);
    task.finally(() => pending.delete(task));
  });
  const removeConnectionLogs = logConnections(host, logger);
  const health = setInterval(() => {
    host.publish(GENERAL_TOPIC, { type: "MsgHealthCheck", code: 200 }).catch((error) =>
      logger.debug("cannot publish health check", { error })
    );
  }, HEALTH_CHECK_INTERVAL_MS);
  const dialer = startBootDialer({ host, bootNodes: options.bootNodes ?? [], logger });

  logger.info("worker started", {
    peer_id: context.peerId,
    multiaddrs: host.multiaddrs(),
    topics: [GENERAL_TOPIC, ...topics],
    concurrency: options.concurrency,
    boot_nodes: (options.bootNodes ?? []).map((node) => node.address),
  });

  let stopped: Promise<void> | undefined;
  return {
    peerId: context.peerId,
    topics: [GENERAL_TOPIC, ...topics],
    slots,
    multiaddrs: () => host.multiaddrs(),
    stop() {
      stopped ??= (async () => {
        logger.info("worker stopping", { running: slots.running, pending: pending.size });
        stopController.abort(new Error("worker stopping"));
        slots.close();
        clearInterval(health);
        await dialer.stop();
        await settleWithin([...pending], STOP_GRACE_MS);
        removeListener();
        removeConnectionLogs();
        await host.stop();
        logger.info("worker stopped");
      })();
      return stopped;
    },
  };
}

function dispatch(context: WorkerContext, message: Message, source: MessageSource): Promise<void> {
  switch (message.type) {
    case "MsgRollCall":
      return handleRollCall(context, message, source);
    case "MsgExecute":
      if (source.topic !== undefined) {
        context.logger.debug("ignored execute published on a topic", { topic: source.topic });
        return Promise.resolve();
      }
      return handleExecute(context, message, source);
    case "MsgInstallFunction":
      return handleInstallFunction(context, message, source);
    case "MsgFormCluster":
      context.logger.info("cluster declined: consensus is not supported", {
        request_id: message.request_id,
        peer: source.peer,
      });
      return context.reply(source.peer, {
        type: "MsgFormClusterResponse",
        request_id: message.request_id,
        code: "501",
        consensus: message.consensus,
        message: "consensus clusters are not supported by this worker",
      });
    case "MsgDisbandCluster":
      // Our head sends it when a roll call this worker accepted failed: free the reserved slot.
      if (context.slots.releaseReservation(message.request_id, source.peer.toString())) {
        context.logger.debug("released roll call reservation", {
          request_id: message.request_id,
          peer: source.peer,
        });
      }
      return Promise.resolve();
    default:
      context.logger.debug("ignored message", { type: message.type, peer: source.peer });
      return Promise.resolve();
  }
}

function logConnections(host: Host, logger: Logger): () => void {
  const onConnect = (event: CustomEvent<PeerId>) =>
    logger.info("peer connected", { peer: event.detail });
  const onDisconnect = (event: CustomEvent<PeerId>) =>
    logger.info("peer disconnected", { peer: event.detail });
  host.libp2p.addEventListener("peer:connect", onConnect);
  host.libp2p.addEventListener("peer:disconnect", onDisconnect);
  return () => {
    host.libp2p.removeEventListener("peer:connect", onConnect);
    host.libp2p.removeEventListener("peer:disconnect", onDisconnect);
  };
}

async function settleWithin(tasks: Promise<unknown>[], ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  await Promise.race([Promise.allSettled(tasks), timeout]);
  clearTimeout(timer);
}
