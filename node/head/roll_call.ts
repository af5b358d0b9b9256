/**
 * The roll call: publish `MsgRollCall` on the request's topic and select the workers that
 * accept within the window.
 *
 * @module
 */
import { Code } from "../p2p/messages.ts";
import type { Logger } from "../log.ts";
import type { Inbox } from "./inbox.ts";
import type { HeadNetwork } from "./network.ts";
import type { ExecutionJob } from "./types.ts";
import { withDeadline } from "./wait.ts";

/** What a roll call needs. */
export interface RollCallComponents {
  network: HeadNetwork;
  inbox: Inbox;
  logger: Logger;
}

/** The workers selected, or why the roll call failed ("408"). */
export type RollCallOutcome =
  | { ok: true; peers: string[] }
  | { ok: false; responders: string[]; message: string };

/**
 * Runs the roll call of `requestId`. Accepts only "202" replies for the job's function from
 * connected peers, once each. With `nodeCount` N ≥ 1 it stops at N and fails with fewer; with
 * -1 it waits out the window and takes everyone. The window also bounds the wait for the
 * topic's first subscriber.
 *
 * @throws the abort reason of `signal`
 */
export async function rollCall(
  components: RollCallComponents,
  job: ExecutionJob,
  { requestId, signal }: { requestId: string; signal: AbortSignal },
): Promise<RollCallOutcome> {
  const { network, inbox, logger } = components;
  const deadline = performance.now() + job.rollCallTimeoutMs;
  const accepted: string[] = [];
  // Workers that responded with another code, e.g. "500" when they cannot install the function.
  const declined = new Map<string, string>();
  const enough = Promise.withResolvers<void>();

  // Register before publishing: on loopback a reply can arrive before publish() resolves.
  const stopListening = inbox.expect("MsgRollCallResponse", requestId, (message, peer) => {
    if (message.code !== Code.accepted || message.function_id !== job.request.function_id) {
      logger.debug("ignored roll call response", { peer, code: message.code });
      if (message.code !== Code.accepted) declined.set(peer, String(message.code));
      return;
    }
    if (accepted.includes(peer) || !network.isConnected(peer)) return;
    if (job.nodeCount >= 1 && accepted.length >= job.nodeCount) return;
    accepted.push(peer);
    logger.debug("worker accepted roll call", { peer });
    if (accepted.length === job.nodeCount) enough.resolve();
  });

  try {
    const subscribed = await network.waitForSubscribers(job.topic, {
      timeoutMs: job.rollCallTimeoutMs,
      signal,
    });
    signal.throwIfAborted();
    if (!subscribed) {
      return { ok: false, responders: [], message: `no workers subscribed to ${job.topic}` };
    }

    const recipients = await network.publish(job.topic, {
      type: "MsgRollCall",
      origin: network.peerId,
      function_id: job.request.function_id,
      request_id: requestId,
      consensus: 0,
      attributes: job.request.config.attributes,
    });
    logger.debug("published roll call", { recipients });

    await withDeadline(enough.promise, deadline - performance.now(), signal);
  } finally {
    stopListening();
  }

  const responders = [...accepted];
  if (job.nodeCount >= 1 && responders.length < job.nodeCount) {
    return {
      ok: false,
      responders,
      message: `roll call timed out: ${responders.length} of ${job.nodeCount} requested nodes ` +
        `responded${describeDeclined(declined)}`,
    };
  }
  if (responders.length === 0) {
    return {
      ok: false,
      responders,
      message: `roll call timed out: no worker on ${job.topic} responded within ${
        Math.round(job.rollCallTimeoutMs)
      } ms${describeDeclined(declined)}`,
    };
  }
  return { ok: true, peers: responders };
}

// "; 2 declined with code 500 (…)" so a client learns that workers exist but refused the work.
function describeDeclined(declined: Map<string, string>): string {
  if (declined.size === 0) return "";
  const codes = [...new Set(declined.values())].join(", ");
  const reason = declined.size === 1 ? "worker" : "workers";
  return `; ${declined.size} ${reason} declined with code ${codes} ` +
    "(a worker declines with 500 when it cannot install the function; see its log)";
}
