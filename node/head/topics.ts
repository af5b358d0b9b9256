/**
 * Maps the REST `topic` field to a gossip topic, as allora-inference-base does, with the fixes
 * our head makes: an empty topic means the general topic, gossip names pass verbatim, and
 * anything else is rejected.
 *
 * @module
 */
import { GENERAL_TOPIC, type NameValue } from "../p2p/messages.ts";
import { TOPIC_ID_ENV } from "./constants.ts";
import { InvalidRequestError } from "./errors.ts";

/** Where a request goes. */
export interface ResolvedTopic {
  /** The gossip topic the roll call is published on. */
  gossipTopic: string;
  /** Value of the `TOPIC_ID` environment variable to add, for Allora topic ids only. */
  topicId?: string;
}

const ALLORA_TOPIC_REGEXP = /^(\d{1,20})(\/reputer)?$/;
const GOSSIP_PREFIXES = ["blockless/", "allora-topic-"];
// Printable ASCII without spaces keeps gossip names safe to log and to compare.
const GOSSIP_NAME_REGEXP = /^[\x21-\x7e]{1,256}$/;

/**
 * Resolves the REST `topic`: `"N"` → `allora-topic-N-worker`, `"N/reputer"` →
 * `allora-topic-N-reputer` (both with `TOPIC_ID`), empty → the general topic, and names that
 * start with `blockless/` or `allora-topic-` unchanged.
 *
 * @throws {InvalidRequestError} for any other value
 */
export function resolveTopic(topic: string | undefined): ResolvedTopic {
  if (topic === undefined || topic === "") return { gossipTopic: GENERAL_TOPIC };

  const allora = ALLORA_TOPIC_REGEXP.exec(topic);
  if (allora) {
    const role = allora[2] === undefined ? "worker" : "reputer";
    return { gossipTopic: `allora-topic-${allora[1]}-${role}`, topicId: topic };
  }

  if (GOSSIP_PREFIXES.some((prefix) => topic.startsWith(prefix))) {
    if (!GOSSIP_NAME_REGEXP.test(topic)) {
      throw new InvalidRequestError(
        "topic",
        `invalid topic ${
          JSON.stringify(topic)
        }: gossip topic names are 1-256 printable ASCII characters without spaces`,
      );
    }
    return { gossipTopic: topic };
  }

  throw new InvalidRequestError(
    "topic",
    `invalid topic ${
      JSON.stringify(topic)
    }: expected an Allora topic id such as "1" or "1/reputer", or a gossip topic starting with "blockless/" or "allora-topic-"`,
  );
}

/**
 * Returns `envVars` with `TOPIC_ID` set to `topicId`: an existing entry is replaced in place
 * (later duplicates are dropped), otherwise one is appended.
 */
export function withTopicEnv(envVars: NameValue[] | undefined, topicId: string): NameValue[] {
  const result: NameValue[] = [];
  let replaced = false;
  for (const entry of envVars ?? []) {
    if (entry.name !== TOPIC_ID_ENV) {
      result.push(entry);
    } else if (!replaced) {
      result.push({ name: TOPIC_ID_ENV, value: topicId });
      replaced = true;
    }
  }
  if (!replaced) result.push({ name: TOPIC_ID_ENV, value: topicId });
  return result;
}
