/**
 * The chain steps of `allora demo`: wait for the local chain's first open worker nonce, then
 * wait until every worker's inference for it can be read back from the chain.
 *
 * @module
 */
import { type ChainClient, type Inference, readTopic } from "../node/chain/mod.ts";
import { sleep } from "../node/head/wait.ts";
import { CliError } from "./errors.ts";

/** The `chain` field of the `allora dev --json` ready line. */
export interface DevChainInfo {
  rpc: string;
  chain_id: string;
  topic: number;
  addresses: string[];
}

/** Time the chain gets to open a worker nonce; `allora dev` opens one every 5 s. */
export const NONCE_WAIT_MS = 30_000;
/** Time the workers get to land their payloads for the nonce. */
export const LANDING_WAIT_MS = 60_000;
const POLL_MS = 250;

/**
 * Returns the latest worker nonce in the first half of its submission window, waiting for one.
 *
 * @throws {CliError} when none opens within {@link NONCE_WAIT_MS}
 */
export async function waitForOpenNonce(
  client: ChainClient,
  topic: bigint,
  signal: AbortSignal,
): Promise<bigint> {
  const window = (await readTopic(client, topic, { signal })).topic.workerSubmissionWindow;
  const deadline = Date.now() + NONCE_WAIT_MS;
  while (Date.now() < deadline) {
    const [nonce] = await client.query.emissions.unfulfilledWorkerNonces(topic);
    const { height } = await client.status({ signal });
    // A nonce in the first half of its window leaves the workers time on a busy machine.
    if (nonce !== undefined && 2n * (BigInt(height) - nonce) < window) return nonce;
    await sleep(POLL_MS, signal);
  }
  throw new CliError(`The local chain opened no worker nonce within ${NONCE_WAIT_MS} ms`, {
    hint: "see the [devnet] log lines above",
  });
}

/**
 * Waits until each address has an inference for `nonce` (or a later one) and returns them.
 *
 * @returns the inferences in address order; an address without one within
 *   {@link LANDING_WAIT_MS} gets undefined
 */
export async function waitForPayloads(
  client: ChainClient,
  topic: bigint,
  addresses: readonly string[],
  nonce: bigint,
  signal: AbortSignal,
): Promise<(Inference | undefined)[]> {
  const deadline = Date.now() + LANDING_WAIT_MS;
  let latest: (Inference | undefined)[] = [];
  while (true) {
    latest = await Promise.all(
      addresses.map((address) => client.query.emissions.workerLatestInference(topic, address)),
    );
    const landed = latest.map((inference) =>
      inference !== undefined && inference.blockHeight >= nonce ? inference : undefined
    );
    if (landed.every((inference) => inference !== undefined) || Date.now() >= deadline) {
      return landed;
    }
    await sleep(POLL_MS, signal);
  }
}

/** Renders the payloads read back, one line per worker account. */
export function formatPayloads(
  addresses: readonly string[],
  inferences: readonly (Inference | undefined)[],
): string {
  return addresses.map((address, index) => {
    const inference = inferences[index];
    return inference === undefined
      ? `  ${address}  no payload yet\n`
      : `  ${address}  inference ${inference.value} for nonce ${inference.blockHeight}\n`;
  }).join("");
}
