/**
 * Execution: send `MsgExecute` to every selected worker in parallel and collect their
 * `MsgExecuteResponse`s until all have answered, disconnected or the execution timeout ends.
 *
 * @module
 */
import type { MsgExecute } from "../p2p/messages.ts";
import type { Logger } from "../log.ts";
import type { PeerResult } from "./aggregate.ts";
import type { Inbox } from "./inbox.ts";
import type { HeadNetwork } from "./network.ts";
import type { ExecutionJob } from "./types.ts";
import { goTimestamp, withDeadline } from "./wait.ts";

/** What an execution needs. */
export interface ExecuteComponents {
  network: HeadNetwork;
  inbox: Inbox;
  logger: Logger;
}

/** What came back from the selected workers. */
export interface ExecutionOutcome {
  /** Results in arrival order. */
  results: PeerResult[];
  /** Peers the execute could not be sent to. */
  failedSends: string[];
  /** Peers that disconnected before answering. */
  disconnected: string[];
  /** Peers still silent when the execution timeout ended. */
  unanswered: string[];
}

/** Options of {@link executeOnPeers}. */
export interface ExecuteOptions {
  requestId: string;
  peers: string[];
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Sends the job to `peers` and gathers one result per peer. A reply counts only from the peer
 * it was sent to and only for its own entry in `results`, as b7s does. Peers whose send fails
 * or who disconnect stop being waited for.
 *
 * @throws the abort reason of `signal`
 */
export async function executeOnPeers(
  components: ExecuteComponents,
  job: ExecutionJob,
  { requestId, peers, timeoutMs, signal }: ExecuteOptions,
): Promise<ExecutionOutcome> {
  const { network, inbox, logger } = components;
  const pending = new Set(peers);
  const outcome: ExecutionOutcome = {
    results: [],
    failedSends: [],
    disconnected: [],
    unanswered: [],
  };
  const allSettled = Promise.withResolvers<void>();
  const settle = (peer: string) => {
    pending.delete(peer);
    if (pending.size === 0) allSettled.resolve();
  };

  const stopReplies = inbox.expect("MsgExecuteResponse", requestId, (message, peer) => {
    if (!pending.has(peer)) return;
    const result = message.results?.[peer];
    if (result === undefined) {
      logger.warn("execute response has no result for its sender", { peer, code: message.code });
    } else {
      outcome.results.push({ peer, result });
      logger.debug("received execution result", { peer, code: result.code });
    }
    settle(peer);
  });
  const stopDisconnects = network.onPeerDisconnect((peer) => {
    if (!pending.has(peer)) return;
    logger.warn("worker disconnected before answering", { peer });
    outcome.disconnected.push(peer);
    settle(peer);
  });

  try {
    const message: MsgExecute = {
      type: "MsgExecute",
      topic: job.topic,
      ...job.request,
      request_id: requestId,
      reporting_peers: peers,
      timestamp: goTimestamp(new Date()),
    };
    const timeout = performance.now() + timeoutMs;
    await Promise.all(peers.map(async (peer) => {
      try {
        await network.send(peer, message, { signal });
      } catch (error) {
        if (signal.aborted || !pending.has(peer)) return;
        logger.warn("cannot send execute to worker", { peer, error });
        outcome.failedSends.push(peer);
        settle(peer);
      }
    }));
    signal.throwIfAborted();

    await withDeadline(allSettled.promise, timeout - performance.now(), signal);
  } finally {
    stopReplies();
    stopDisconnects();
  }
  outcome.unanswered = [...pending];
  return outcome;
}
