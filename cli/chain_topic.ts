/**
 * `allora chain topic ID` output: the topic's settings as aligned text or JSON.
 *
 * @module
 */
import type { Context } from "./command.ts";
import { type ChainClient, readTopic, type Topic } from "../node/chain/mod.ts";

/**
 * Reads topic `topicId` and prints it.
 *
 * @throws {TopicNotFoundError} when the chain has no such topic
 */
export async function printTopic(
  client: ChainClient,
  topicId: bigint,
  context: Context,
): Promise<void> {
  const info = await readTopic(client, topicId, { signal: context.signal });
  const { topic, weight, effectiveRevenue } = info;
  const document = {
    ...topicDocument(topic),
    weight,
    effective_revenue: effectiveRevenue,
    emissions_version: client.emissionsVersion,
  };
  if (context.global.json) {
    context.io.out(JSON.stringify(document) + "\n");
    return;
  }
  const rows: Array<[string, unknown]> = [
    ["topic", topic.id],
    ["metadata", topic.metadata],
    ["creator", topic.creator],
    ["loss method", topic.lossMethod],
    ["epoch length", `${topic.epochLength} blocks`],
    ["ground truth lag", `${topic.groundTruthLag} blocks`],
    ["submission window", `${topic.workerSubmissionWindow} blocks`],
    ["last epoch ended", `block ${topic.epochLastEnded}`],
    ["allow negative", topic.allowNegative],
    ["weight", weight || "-"],
    ["effective revenue", effectiveRevenue ? `${effectiveRevenue} uallo` : "-"],
  ];
  context.io.out(rows.map(([name, value]) => `${name.padEnd(19)}${value}\n`).join(""));
}

/** Returns a topic as JSON-safe snake_case fields (64-bit integers as numbers or strings). */
export function topicDocument(topic: Topic): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(topic)) {
    const name = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    document[name] = typeof value === "bigint"
      ? (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString())
      : value;
  }
  return document;
}
