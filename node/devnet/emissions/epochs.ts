/**
 * The emissions end-of-block hook: every `epoch_length` blocks a topic opens a worker nonce at
 * the current height, closes the previous one and turns its inferences into the topic's latest
 * network inference.
 *
 * Submissions are accepted while `nonce <= height < nonce + worker_submission_window`. After
 * that the nonce stays unfulfilled until the next epoch closes it, so a late payload gets code
 * 67 until then and code 75 afterwards.
 *
 * @module
 */
import { type BlockContext, makeEvent } from "../module.ts";
import type { TopicData } from "./state.ts";

/** Combines the inference values of one nonce into the network value. */
export type Combine = (values: readonly string[]) => string;

/** Runs the end-of-block epoch logic of every topic, in topic id order. */
export function advanceEpochs(context: BlockContext, eventPackage: string, combine: Combine): void {
  const height = BigInt(context.height);
  const topics = [...context.state.emissions.topics.values()].sort((a, b) =>
    a.topic.id < b.topic.id ? -1 : 1
  );
  for (const data of topics) {
    const { topic } = data;
    const attributes = (nonce: bigint) => ({
      topic_id: JSON.stringify(topic.id.toString()),
      nonce_block_height: JSON.stringify(nonce.toString()),
    });
    const open = data.workerNonces[0];
    if (open !== undefined && height === open + topic.workerSubmissionWindow) {
      context.events.push(
        makeEvent(`${eventPackage}.EventWorkerSubmissionWindowClosed`, attributes(open)),
      );
    }
    if (height < topic.epochLastEnded + topic.epochLength) continue;
    for (const nonce of data.workerNonces) closeNonce(data, nonce, combine);
    data.workerNonces = [height];
    topic.epochLastEnded = height;
    context.events.push(makeEvent(`${eventPackage}.EventWorkerSubmissionWindowOpened`, {
      ...attributes(height),
      window_end_block: JSON.stringify((height + topic.workerSubmissionWindow).toString()),
    }));
    context.logger.debug("opened worker nonce", { topic: topic.id, nonce: height });
  }
}

function closeNonce(data: TopicData, nonce: bigint, combine: Combine) {
  const payloads = data.payloads.get(nonce.toString());
  data.payloads.delete(nonce.toString());
  const infererValues = [...(payloads ?? new Map()).entries()]
    .filter(([, payload]) => payload.inference !== undefined)
    .map(([worker, payload]) => ({ worker, value: payload.inference!.value }));
  if (infererValues.length === 0) return;
  data.latestNetworkInference = {
    blockHeight: nonce,
    combinedValue: combine(infererValues.map((item) => item.value)),
    infererValues,
  };
}
