/**
 * State of the emissions module in the chain double: parameters, topics, registrations, stakes,
 * worker nonces and the payloads received for them. Shapes follow the emissions codec of
 * `node/chain/emissions` (bigint heights, canonical Dec strings), so query handlers encode
 * them as they are.
 *
 * @module
 */
import type { Forecast, Inference, Topic } from "../../chain/emissions/mod.ts";

/** Module parameters the double uses; the names match `emissions.v9.Params`. */
export interface EmissionsParams {
  version: string;
  maxSerializedMsgLength: bigint;
  requiredMinimumStake: bigint;
  removeStakeDelayWindow: bigint;
  minEpochLength: bigint;
  createTopicFee: bigint;
  registrationFee: bigint;
  dataSendingFee: bigint;
  maxElementsPerForecast: bigint;
  maxStringLength: bigint;
  globalWhitelistEnabled: boolean;
  topicCreatorWhitelistEnabled: boolean;
  globalWorkerWhitelistEnabled: boolean;
}

/** A topic as `emissions.v9` stores it (without the v10 fields); Dec fields are canonical. */
export type TopicRecord = Topic;

/** A worker's or reputer's registration in one topic. */
export interface Registration {
  owner: string;
  /** Height of the block that registered it. */
  height: bigint;
}

/** An inference as stored: the bundle's inference with its canonical value. */
export type StoredInference = Omit<Inference, "values">;

/** A forecast as stored, with canonical values. */
export type StoredForecast = Forecast;

/** The payload one worker submitted for one nonce. */
export interface StoredPayload {
  inference?: StoredInference;
  forecast?: StoredForecast;
  /** Height of the block that included it. */
  height: bigint;
}

/** The network inference the double computes when a worker nonce closes. */
export interface NetworkInference {
  /** The nonce the inferences were submitted for. */
  blockHeight: bigint;
  /** Mean of the submitted inference values, as a canonical Dec string. */
  combinedValue: string;
  infererValues: { worker: string; value: string }[];
}

/** Per-topic data, keyed by topic id. */
export interface TopicData {
  topic: TopicRecord;
  workers: Map<string, Registration>;
  reputers: Map<string, Registration>;
  /** Reputer stakes in uallo. */
  stakes: Map<string, bigint>;
  /** Unfulfilled worker nonces, latest first. */
  workerNonces: bigint[];
  /** Payloads by nonce (decimal string), then worker address. */
  payloads: Map<string, Map<string, StoredPayload>>;
  /** Each worker's latest inference. */
  latestInferences: Map<string, StoredInference>;
  latestNetworkInference?: NetworkInference;
  /** Fees the topic received (registrations and payloads), in uallo. */
  revenue: bigint;
}

/** The emissions module state. */
export interface EmissionsState {
  params: EmissionsParams;
  nextTopicId: bigint;
  /** Topics by id as a decimal string. */
  topics: Map<string, TopicData>;
  /** Addresses on the global worker whitelist (used only when it is enabled). */
  globalWorkerWhitelist: Set<string>;
}

/**
 * Default parameters: the fees and limits of x/emissions at chain v0.6.0 (registration 200,
 * data sending 10, topic creation 75000, minimum stake 10000 uallo, minimum epoch 12 blocks),
 * with the whitelists off so any registered worker may submit.
 */
export const DEFAULT_EMISSIONS_PARAMS: EmissionsParams = {
  version: "v9-devnet",
  maxSerializedMsgLength: 1_000_000n,
  requiredMinimumStake: 10_000n,
  removeStakeDelayWindow: 172_800n,
  minEpochLength: 12n,
  createTopicFee: 75_000n,
  registrationFee: 200n,
  dataSendingFee: 10n,
  maxElementsPerForecast: 12n,
  maxStringLength: 255n,
  globalWhitelistEnabled: false,
  topicCreatorWhitelistEnabled: false,
  globalWorkerWhitelistEnabled: false,
};

/** Returns an emissions state with default parameters and no topics. */
export function emptyEmissionsState(): EmissionsState {
  return {
    params: { ...DEFAULT_EMISSIONS_PARAMS },
    nextTopicId: 1n,
    topics: new Map(),
    globalWorkerWhitelist: new Set(),
  };
}
