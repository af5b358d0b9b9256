/**
 * Roll calls: the worker responds "202" when the request suits it and an execution slot is
 * free, "500" when the function cannot be installed, and stays silent otherwise.
 *
 * @module
 */
import type { MsgRollCall } from "../p2p/messages.ts";
import { describeError } from "../log.ts";
import type { WorkerContext } from "./context.ts";
import type { MessageSource } from "../p2p/host.ts";

/** Function ids the worker accepts; the same rule the head applies to `function_id`. */
export const FUNCTION_ID_REGEXP = /^[A-Za-z0-9._-]{1,128}$/;

/** Decision whether to respond to a roll call, with the reason when not. */
export type RollCallDecision = { respond: true } | { respond: false; reason: string };

/**
 * Decides from the message alone whether the worker may respond: no consensus, a valid
 * function id, no attestation, and every requested attribute equal to the worker's own.
 */
export function decideRollCall(
  message: MsgRollCall,
  attributes: Readonly<Record<string, string>>,
): RollCallDecision {
  const consensus = message.consensus ?? 0;
  if (consensus !== 0) {
    return { respond: false, reason: `consensus ${consensus} requested; this worker has none` };
  }
  if (!FUNCTION_ID_REGEXP.test(message.function_id ?? "")) {
    return { respond: false, reason: `invalid function id ${JSON.stringify(message.function_id)}` };
  }
  if (!message.request_id) return { respond: false, reason: "empty request id" };
  const required = message.attributes;
  if (required?.attestation_required) {
    return { respond: false, reason: "attestation required; this worker has no attestors" };
  }
  for (const { name, value } of required?.values ?? []) {
    if (!Object.hasOwn(attributes, name)) {
      return { respond: false, reason: `attribute ${JSON.stringify(name)} not set on this worker` };
    }
    if (attributes[name] !== value) {
      return {
        respond: false,
        reason: `attribute ${JSON.stringify(name)} is ${JSON.stringify(attributes[name])}, ` +
          `requested ${JSON.stringify(value)}`,
      };
    }
  }
  return { respond: true };
}

/**
 * Handles one roll call: decide, make sure the function is installed, reserve a slot and
 * respond to `origin` (or the signed author when `origin` is empty).
 */
export async function handleRollCall(
  context: WorkerContext,
  message: MsgRollCall,
  source: MessageSource,
): Promise<void> {
  const origin = message.origin || source.peer.toString();
  const logger = context.logger.child({
    request_id: message.request_id,
    peer: origin,
    cid: message.function_id,
  });
  const decision = decideRollCall(message, context.attributes);
  if (!decision.respond) {
    logger.debug("roll call skipped", { reason: decision.reason, topic: source.topic });
    return;
  }
  const respond = (code: string) =>
    context.reply(origin, {
      type: "MsgRollCallResponse",
      code,
      function_id: message.function_id,
      request_id: message.request_id,
    });

  try {
    await context.installer.ensure(message.function_id);
  } catch (error) {
    logger.warn("roll call rejected with 500: cannot install function", { error });
    await respond("500").catch((sendError) =>
      logger.warn("cannot send roll call response", { error: describeError(sendError) })
    );
    return;
  }

  if (!context.slots.reserve(message.request_id, origin)) {
    logger.info("roll call ignored: no free execution slot", {
      running: context.slots.running,
      reserved: context.slots.reserved,
    });
    return;
  }
  try {
    await respond("202");
    logger.info("roll call accepted with 202", { topic: source.topic });
  } catch (error) {
    context.slots.cancel(message.request_id);
    logger.warn("cannot send roll call response", { error });
  }
}
