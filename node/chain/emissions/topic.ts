/**
 * Topics and module parameters as `GetTopic` and `GetParams` return them.
 *
 * Topic numbers: `emissions.v3.Topic` (served by `emissions.v9`) and `emissions.v10.Topic`,
 * which appends the multi-label fields 23 to 29. Numbers 4, 6, 7 and 11 (`loss_logic`,
 * `inference_logic`, `inference_method`, `default_arg`) have been reserved since chain v0.3.0,
 * so the chain no longer stores a default argument.
 *
 * @module
 */
import { defineMessage, type FieldSpec, type MessageCodec } from "../proto/message.ts";
import type { EmissionsVersion } from "./versions.ts";

/** A topic as the chain stores it. Dec fields are strings in the chain's canonical form. */
export interface Topic {
  id: bigint;
  creator: string;
  metadata: string;
  lossMethod: string;
  epochLastEnded: bigint;
  epochLength: bigint;
  groundTruthLag: bigint;
  pNorm: string;
  alphaRegret: string;
  allowNegative: boolean;
  epsilon: string;
  initialRegret: string;
  workerSubmissionWindow: bigint;
  meritSortitionAlpha: string;
  activeInfererQuantile: string;
  activeForecasterQuantile: string;
  activeReputerQuantile: string;
  cNorm: string;
  /** v10 only (absent in v9 topics): 0 unspecified, 1 regression, 2 classification. */
  topicType?: number;
  /** v10 only: 0 unspecified, 1 single value, 2 multiple labels. */
  outputArity?: number;
  requireUnity?: boolean;
  unityTolerance?: string;
  maxLabelsPerSubmission?: bigint;
  labelWhitelist?: string[];
  labelDefaultValue?: string;
}

const TOPIC_V9_FIELDS: FieldSpec[] = [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "creator", kind: "string" },
  { no: 3, name: "metadata", kind: "string" },
  { no: 5, name: "lossMethod", kind: "string" },
  { no: 8, name: "epochLastEnded", kind: "int64" },
  { no: 9, name: "epochLength", kind: "int64" },
  { no: 10, name: "groundTruthLag", kind: "int64" },
  { no: 12, name: "pNorm", kind: "dec" },
  { no: 13, name: "alphaRegret", kind: "dec" },
  { no: 14, name: "allowNegative", kind: "bool" },
  { no: 15, name: "epsilon", kind: "dec" },
  { no: 16, name: "initialRegret", kind: "dec" },
  { no: 17, name: "workerSubmissionWindow", kind: "int64" },
  { no: 18, name: "meritSortitionAlpha", kind: "dec" },
  { no: 19, name: "activeInfererQuantile", kind: "dec" },
  { no: 20, name: "activeForecasterQuantile", kind: "dec" },
  { no: 21, name: "activeReputerQuantile", kind: "dec" },
  { no: 22, name: "cNorm", kind: "dec" },
];

const TOPIC_V10_FIELDS: FieldSpec[] = [
  ...TOPIC_V9_FIELDS,
  { no: 23, name: "topicType", kind: "enum" },
  { no: 24, name: "outputArity", kind: "enum" },
  { no: 25, name: "requireUnity", kind: "bool" },
  { no: 26, name: "unityTolerance", kind: "dec" },
  { no: 27, name: "maxLabelsPerSubmission", kind: "uint64" },
  { no: 28, name: "labelWhitelist", kind: "string", repeated: true },
  { no: 29, name: "labelDefaultValue", kind: "dec" },
];

// A v9 topic decodes into the same shape without the optional v10 fields.
const TOPIC_V9 = defineMessage<Topic>("emissions.v3.Topic", TOPIC_V9_FIELDS);
const TOPIC_V10 = defineMessage<Topic>("emissions.v10.Topic", TOPIC_V10_FIELDS);

/** Returns the Topic codec of an emissions version. */
export function topicCodec(version: EmissionsVersion): MessageCodec<Topic> {
  return version === "v9" ? TOPIC_V9 : TOPIC_V10;
}

/**
 * The subset of the module parameters the toolkit reads. Int fields are integer strings in
 * uallo; an absent field reads as "" (Int) or its zero value.
 */
export interface Params {
  version: string;
  maxSerializedMsgLength: bigint;
  requiredMinimumStake: string;
  removeStakeDelayWindow: bigint;
  minEpochLength: bigint;
  createTopicFee: string;
  registrationFee: string;
  dataSendingFee: string;
  maxElementsPerForecast: bigint;
  maxStringLength: bigint;
  globalWhitelistEnabled: boolean;
  topicCreatorWhitelistEnabled: boolean;
  globalWorkerWhitelistEnabled: boolean;
}

/**
 * The fields of {@link Params} by their numbers in `emissions.v8.Params` (what `emissions.v9`
 * `GetParams` returns) and `emissions.v9.Params` (what `emissions.v10` returns); both files use
 * the same numbers. Other fields are skipped when decoding. Note that `data_sending_fee` is 43
 * in `emissions.v9.OptionalParams`, the update message, but 44 here.
 */
export const Params: MessageCodec<Params> = defineMessage<Params>("emissions.v9.Params", [
  { no: 1, name: "version", kind: "string" },
  { no: 2, name: "maxSerializedMsgLength", kind: "int64" },
  { no: 5, name: "requiredMinimumStake", kind: "int" },
  { no: 6, name: "removeStakeDelayWindow", kind: "int64" },
  { no: 7, name: "minEpochLength", kind: "int64" },
  { no: 24, name: "createTopicFee", kind: "int" },
  { no: 28, name: "registrationFee", kind: "int" },
  { no: 44, name: "dataSendingFee", kind: "int" },
  { no: 45, name: "maxElementsPerForecast", kind: "uint64" },
  { no: 47, name: "maxStringLength", kind: "uint64" },
  { no: 50, name: "globalWhitelistEnabled", kind: "bool" },
  { no: 51, name: "topicCreatorWhitelistEnabled", kind: "bool" },
  { no: 56, name: "globalWorkerWhitelistEnabled", kind: "bool" },
]);
