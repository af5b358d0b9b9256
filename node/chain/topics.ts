/**
 * Topic lookups that fail with {@link TopicNotFoundError}, whose hint names the topic ids the
 * chain has.
 *
 * @module
 */
import type { CallOptions, ChainClient } from "./client.ts";
import type { TopicInfo } from "./emissions/mod.ts";
import { TopicNotFoundError } from "./errors.ts";

/**
 * Returns topic `topicId` with its weight and effective revenue.
 *
 * @throws {TopicNotFoundError} when the chain has no such topic
 */
export async function readTopic(
  client: ChainClient,
  topicId: bigint,
  options: CallOptions = {},
): Promise<TopicInfo> {
  const info = await client.call(
    `read topic ${topicId}`,
    options,
    () => client.query.emissions.topic(topicId),
  );
  if (info === undefined) {
    throw await topicNotFound(client, topicId, `read topic ${topicId}`, options);
  }
  return info;
}

/**
 * Resolves when topic `topicId` exists.
 *
 * @param operation what needs the topic, for the message: "register in topic 3"
 * @throws {TopicNotFoundError} when the chain has no such topic
 */
export async function requireTopic(
  client: ChainClient,
  topicId: bigint,
  operation: string,
  options: CallOptions = {},
): Promise<void> {
  const exists = await client.call(
    `check topic ${topicId}`,
    options,
    () => client.query.emissions.topicExists(topicId),
  );
  if (!exists) throw await topicNotFound(client, topicId, operation, options);
}

// Topic ids are handed out in order from 1, so the next id bounds the existing ones. The
// lookup only improves the hint, so its failure is ignored unless the caller aborted.
async function topicNotFound(
  client: ChainClient,
  topicId: bigint,
  operation: string,
  options: CallOptions,
): Promise<TopicNotFoundError> {
  let lastTopicId: bigint | undefined;
  try {
    const next = await client.call(
      "read the next topic id",
      options,
      () => client.query.emissions.nextTopicId(),
    );
    lastTopicId = next > 0n ? next - 1n : 0n;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    client.logger.debug("cannot read the next topic id", { error });
  }
  return new TopicNotFoundError(topicId, { operation, lastTopicId });
}
