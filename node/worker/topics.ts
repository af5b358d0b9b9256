/**
 * Gossip topic names a worker subscribes to, from what users type: `1` means the worker topic
 * of Allora topic 1, anything else is a topic name taken as is.
 *
 * @module
 */

const TOPIC_ID_REGEXP = /^\d+$/;
const REPUTER_TOPIC_REGEXP = /^(\d+)\/reputer$/;

/**
 * Maps a `--topic` value onto a gossip topic: `N` becomes `allora-topic-N-worker`,
 * `N/reputer` becomes `allora-topic-N-reputer`, and any other text is used verbatim.
 *
 * @throws {RangeError} on an empty value
 */
export function gossipTopicName(value: string): string {
  const topic = value.trim();
  if (topic === "") throw new RangeError("Cannot map topic: the value is empty");
  if (TOPIC_ID_REGEXP.test(topic)) return `allora-topic-${topic}-worker`;
  const reputer = REPUTER_TOPIC_REGEXP.exec(topic);
  if (reputer) return `allora-topic-${reputer[1]}-reputer`;
  return topic;
}

/** Splits repeated and comma-separated topic values, maps them and removes duplicates. */
export function gossipTopicNames(values: readonly string[]): string[] {
  const names = values.flatMap((value) => value.split(",")).map((value) => value.trim())
    .filter((value) => value !== "").map(gossipTopicName);
  return [...new Set(names)];
}
