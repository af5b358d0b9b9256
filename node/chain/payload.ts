/**
 * Sends a worker's payload for one nonce. It builds and signs the bundle from main.py's
 * output, checks it as the chain will, and queues `InsertWorkerPayloadRequest` on the
 * account's queue.
 *
 * @module
 */
import type { ChainAccount } from "./account.ts";
import { buildWorkerBundle, insertWorkerPayloadMessage, verifyBundleSignature } from "./bundle.ts";
import type { ChainClient } from "./client.ts";
import type { WorkerOutput } from "./output.ts";
import type { TxResult } from "./submit.ts";

/** Inputs of {@link submitWorkerPayload}. */
export interface SubmitPayloadOptions {
  client: ChainClient;
  account: ChainAccount;
  topicId: bigint;
  /** Block height of the unfulfilled worker nonce the payload is for. */
  nonce: bigint;
  /** main.py's standard output, or its parsed form. */
  output: string | WorkerOutput;
  signal?: AbortSignal;
}

/**
 * Signs and sends one worker payload and resolves when it is in a block.
 *
 * @throws {InferenceOutputError} when the output is not a valid inference
 * @throws {ChainError} when the chain rejects it; kinds "window-closed", "nonce-not-found" and
 *   "already-submitted" must not be retried for the same nonce
 */
export async function submitWorkerPayload(options: SubmitPayloadOptions): Promise<TxResult> {
  const { client, account, topicId, nonce, output, signal } = options;
  const bundle = buildWorkerBundle({ account, topicId, nonce, output });
  verifyBundleSignature(bundle);
  const message = insertWorkerPayloadMessage(client.emissionsVersion, account.address, bundle);
  const submitter = await client.submitter(account);
  return await submitter.submit(
    `submit the payload of topic ${topicId} nonce ${nonce}`,
    [message],
    {
      signal,
    },
  );
}
