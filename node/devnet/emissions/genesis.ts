/**
 * Emissions genesis of the chain double: topics created with the given epoch length and worker
 * submission window, and Dec defaults for the topic fields the double does not use.
 *
 * @module
 */
import type { EmissionsState, TopicRecord } from "./state.ts";

/** Settings of the emissions genesis. */
export interface EmissionsGenesis {
  /** Topic ids to create; the next topic id follows the largest. */
  topics: readonly bigint[];
  epochLength: bigint;
  workerSubmissionWindow: bigint;
  /** Creator recorded on the topics. */
  creator: string;
}

/** A genesis setting the chain would not accept. */
export class EmissionsGenesisError extends Error {
  override name = "EmissionsGenesisError";
}

/**
 * Adds the genesis topics to `state`. Topic Dec fields get plausible fixed values (p-norm 3,
 * alpha regret 0.1, epsilon 0.01), since the double computes no regrets or rewards.
 *
 * @throws {EmissionsGenesisError} for a zero or repeated topic id, or a window longer than the
 *   epoch
 */
export function addGenesisTopics(state: EmissionsState, genesis: EmissionsGenesis): void {
  const { topics, epochLength, workerSubmissionWindow, creator } = genesis;
  if (epochLength < 1n) {
    throw new EmissionsGenesisError(`Cannot create topics: epoch length ${epochLength} is below 1`);
  }
  if (workerSubmissionWindow < 1n || workerSubmissionWindow > epochLength) {
    throw new EmissionsGenesisError(
      `Cannot create topics: worker submission window ${workerSubmissionWindow} must be from 1 to the epoch length ${epochLength}`,
    );
  }
  // The chain rejects topics shorter than min_epoch_length, so short devnet epochs lower it.
  if (epochLength < state.params.minEpochLength) state.params.minEpochLength = epochLength;
  for (const id of topics) {
    if (id < 1n) throw new EmissionsGenesisError(`Cannot create topic ${id}: topic ids start at 1`);
    if (state.topics.has(id.toString())) {
      throw new EmissionsGenesisError(`Cannot create topic ${id} twice`);
    }
    state.topics.set(id.toString(), {
      topic: genesisTopic(id, creator, epochLength, workerSubmissionWindow),
      workers: new Map(),
      reputers: new Map(),
      stakes: new Map(),
      workerNonces: [],
      payloads: new Map(),
      latestInferences: new Map(),
      revenue: 0n,
    });
    if (id >= state.nextTopicId) state.nextTopicId = id + 1n;
  }
}

function genesisTopic(
  id: bigint,
  creator: string,
  epochLength: bigint,
  window: bigint,
): TopicRecord {
  return {
    id,
    creator,
    metadata: `devnet topic ${id}`,
    lossMethod: "mse",
    epochLastEnded: 0n,
    epochLength,
    groundTruthLag: epochLength,
    pNorm: "3",
    alphaRegret: "0.1",
    allowNegative: false,
    epsilon: "0.01",
    initialRegret: "0",
    workerSubmissionWindow: window,
    meritSortitionAlpha: "0.1",
    activeInfererQuantile: "0.25",
    activeForecasterQuantile: "0.25",
    activeReputerQuantile: "0.25",
    cNorm: "0.75",
  };
}
