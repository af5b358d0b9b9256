/**
 * Function installation through the head: build `MsgInstallFunction` from a REST request,
 * publish it, and optionally collect the workers' acknowledgements.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { Code, GENERAL_TOPIC } from "../p2p/messages.ts";
import type { Logger } from "../log.ts";
import { INSTALL_PUBLISH_TIMEOUT_MS, MAX_INSTALL_WAIT_MS } from "./constants.ts";
import { InstallPublishError, InvalidRequestError } from "./errors.ts";
import type { Inbox } from "./inbox.ts";
import { FUNCTION_ID_REGEXP } from "./job.ts";
import type { HeadNetwork } from "./network.ts";
import type { InstallPlan, InstallResponseBody } from "./types.ts";
import { sleep, TIMED_OUT, withDeadline } from "./wait.ts";

/** The REST install body; `topic` is the upstream ≥0.6 name of `subgroup`. */
export interface InstallApiRequest {
  cid?: string;
  uri?: string;
  subgroup?: string;
  topic?: string;
  wait_ms?: number;
}

const TOPIC_REGEXP = /^[\x21-\x7e]{1,256}$/;

/**
 * Validates an install request. With a `uri`, the CID is the given one or else the hex
 * SHA-256 of the URI (b7s); with only a `cid`, the manifest URL comes from `manifestUrlTemplate`.
 *
 * @throws {InvalidRequestError} naming the invalid field
 */
export function planInstall(body: InstallApiRequest, manifestUrlTemplate: string): InstallPlan {
  const { cid, uri } = body;
  if (!cid && !uri) throw new InvalidRequestError("uri", "URI or CID are required");
  if (cid && !FUNCTION_ID_REGEXP.test(cid)) {
    throw new InvalidRequestError(
      "cid",
      `invalid cid ${
        JSON.stringify(cid)
      }: expected 1-128 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  if (uri && !/^https?:\/\/[^\s]+$/.test(uri)) {
    throw new InvalidRequestError(
      "uri",
      `invalid uri ${JSON.stringify(uri)}: expected an http or https URL`,
    );
  }

  const topic = body.subgroup || body.topic || GENERAL_TOPIC;
  if (!TOPIC_REGEXP.test(topic)) {
    throw new InvalidRequestError(
      "subgroup",
      `invalid subgroup ${
        JSON.stringify(topic)
      }: expected 1-256 printable ASCII characters without spaces`,
    );
  }
  const waitMs = body.wait_ms ?? 0;
  if (waitMs < 0 || waitMs > MAX_INSTALL_WAIT_MS) {
    throw new InvalidRequestError(
      "wait_ms",
      `invalid wait_ms ${waitMs}: expected 0 to ${MAX_INSTALL_WAIT_MS}`,
    );
  }

  if (uri) {
    return {
      cid: cid || createHash("sha256").update(uri).digest("hex"),
      manifestUrl: uri,
      topic,
      waitMs,
    };
  }
  return { cid: cid!, manifestUrl: manifestUrlTemplate.replaceAll("{cid}", cid!), topic, waitMs };
}

/** What an install needs. */
export interface InstallComponents {
  network: HeadNetwork;
  inbox: Inbox;
  logger: Logger;
}

/**
 * Publishes the install message. Resolves to code "200" once published, or "408" when the
 * publish takes longer than 10 s. With `waitMs` it then lists the peers that acknowledged.
 *
 * @throws {InstallPublishError} when the publish fails
 * @throws the abort reason of `signal`
 */
export async function installFunction(
  components: InstallComponents,
  plan: InstallPlan,
  signal: AbortSignal,
): Promise<InstallResponseBody> {
  const { network, inbox, logger } = components;
  const installed: string[] = [];
  const stopListening = plan.waitMs === 0
    ? () => {}
    : inbox.expect("MsgInstallFunctionResponse", "", (message, peer) => {
      if (message.code !== Code.accepted) {
        logger.warn("worker failed to install function", { peer, message: message.message });
        return;
      }
      if ((message.cid && message.cid !== plan.cid) || installed.includes(peer)) return;
      installed.push(peer);
    });

  try {
    const message = {
      type: "MsgInstallFunction",
      manifest_url: plan.manifestUrl,
      cid: plan.cid,
    } as const;
    let recipients: number | typeof TIMED_OUT;
    try {
      recipients = await withDeadline(
        network.publish(plan.topic, message),
        INSTALL_PUBLISH_TIMEOUT_MS,
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw error;
      throw new InstallPublishError(plan.topic, { cause: error });
    }
    if (recipients === TIMED_OUT) {
      return {
        code: Code.timeout,
        message: `install publish timed out after ${INSTALL_PUBLISH_TIMEOUT_MS} ms`,
      };
    }
    if (recipients === 0) {
      logger.warn("install reached no peers", { cid: plan.cid, topic: plan.topic });
    } else {
      logger.info("published install", { cid: plan.cid, topic: plan.topic, recipients });
    }

    if (plan.waitMs === 0) return { code: Code.ok };
    await sleep(plan.waitMs, signal);
    return { code: Code.ok, installed: [...installed] };
  } finally {
    stopListening();
  }
}
