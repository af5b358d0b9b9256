/**
 * Emissions data types shared by `emissions.v9` (chain v0.16, mainnet) and `emissions.v10`
 * (chain v0.17, testnet): nonces, the worker bundle and its parts, topics and the module
 * parameters the toolkit reads.
 *
 * Field numbers come from allora-chain's `x/emissions/proto/emissions/{v3,v8,v9,v10}/*.proto`.
 * The worker bundle was renumbered in v0.3.0 relative to `emissions.v1`; the numbers below are the
 * current ones.
 *
 * @module
 */
import { defineMessage, type MessageCodec } from "../proto/message.ts";

/** A block height that identifies one worker or reputer epoch. */
export interface Nonce {
  blockHeight: bigint;
}

/** `emissions.v3.Nonce{block_height=1}`. */
export const Nonce: MessageCodec<Nonce> = defineMessage<Nonce>("emissions.v3.Nonce", [
  { no: 1, name: "blockHeight", kind: "int64" },
]);

/** A list of nonces; in `GetUnfulfilledWorkerNonces` the first entry is the latest. */
export interface Nonces {
  nonces: Nonce[];
}

/** `emissions.v3.Nonces{nonces=1}`. */
export const Nonces: MessageCodec<Nonces> = defineMessage<Nonces>("emissions.v3.Nonces", [
  { no: 1, name: "nonces", kind: "message", repeated: true, message: () => Nonce },
]);

/** One worker's inference for one topic epoch. `value` is a canonical Dec string. */
export interface Inference {
  topicId: bigint;
  blockHeight: bigint;
  inferer: string;
  value: string;
  extraData: Uint8Array;
  proof: string;
  /** Per-label values of multi-label topics; exists in `emissions.v10` only. */
  values: string[];
}

/**
 * `InputInference{topic_id=1, block_height=2, inferer=3, value=4, extra_data=5, proof=6,
 * values=7}`. Field 7 exists from `emissions.v10`; leave `values` empty for v9 chains, which
 * would drop the field when re-marshalling and so break the bundle signature.
 */
export const Inference: MessageCodec<Inference> = defineMessage<Inference>(
  "emissions.InputInference",
  [
    { no: 1, name: "topicId", kind: "uint64" },
    { no: 2, name: "blockHeight", kind: "int64" },
    { no: 3, name: "inferer", kind: "string" },
    { no: 4, name: "value", kind: "dec" },
    { no: 5, name: "extraData", kind: "bytes" },
    { no: 6, name: "proof", kind: "string" },
    { no: 7, name: "values", kind: "dec", repeated: true },
  ],
);

/** A forecaster's predicted value for one inferer. */
export interface ForecastElement {
  inferer: string;
  value: string;
}

/** `InputForecastElement{inferer=1, value=2}`. */
export const ForecastElement: MessageCodec<ForecastElement> = defineMessage<ForecastElement>(
  "emissions.InputForecastElement",
  [
    { no: 1, name: "inferer", kind: "string" },
    { no: 2, name: "value", kind: "dec" },
  ],
);

/** A worker's forecasts of other inferers' values for one topic epoch. */
export interface Forecast {
  topicId: bigint;
  blockHeight: bigint;
  forecaster: string;
  forecastElements: ForecastElement[];
  extraData: Uint8Array;
}

/** `InputForecast{topic_id=1, block_height=2, forecaster=3, forecast_elements=4, extra_data=5}`. */
export const Forecast: MessageCodec<Forecast> = defineMessage<Forecast>("emissions.InputForecast", [
  { no: 1, name: "topicId", kind: "uint64" },
  { no: 2, name: "blockHeight", kind: "int64" },
  { no: 3, name: "forecaster", kind: "string" },
  {
    no: 4,
    name: "forecastElements",
    kind: "message",
    repeated: true,
    message: () => ForecastElement,
  },
  { no: 5, name: "extraData", kind: "bytes" },
]);

/** The signed part of a worker payload. */
export interface InferenceForecastBundle {
  inference?: Inference;
  forecast?: Forecast;
}

/** `InputInferenceForecastBundle{inference=1, forecast=2}`. */
export const InferenceForecastBundle: MessageCodec<InferenceForecastBundle> = defineMessage<
  InferenceForecastBundle
>("emissions.InputInferenceForecastBundle", [
  { no: 1, name: "inference", kind: "message", message: () => Inference },
  { no: 2, name: "forecast", kind: "message", message: () => Forecast },
]);

/** A signed bundle with the worker's identity: what `InsertWorkerPayloadRequest` carries. */
export interface WorkerDataBundle {
  worker: string;
  nonce?: Nonce;
  topicId: bigint;
  inferenceForecastsBundle?: InferenceForecastBundle;
  /** 64 bytes r‖s over SHA-256 of the encoded bundle. */
  inferencesForecastsBundleSignature: Uint8Array;
  /** Hex of the 33-byte compressed secp256k1 public key. */
  pubkey: string;
}

/**
 * `InputWorkerDataBundle{worker=1, nonce=2, topic_id=3, inference_forecasts_bundle=4,
 * inferences_forecasts_bundle_signature=5, pubkey=6}`.
 */
export const WorkerDataBundle: MessageCodec<WorkerDataBundle> = defineMessage<WorkerDataBundle>(
  "emissions.InputWorkerDataBundle",
  [
    { no: 1, name: "worker", kind: "string" },
    { no: 2, name: "nonce", kind: "message", message: () => Nonce },
    { no: 3, name: "topicId", kind: "uint64" },
    {
      no: 4,
      name: "inferenceForecastsBundle",
      kind: "message",
      message: () => InferenceForecastBundle,
    },
    { no: 5, name: "inferencesForecastsBundleSignature", kind: "bytes" },
    { no: 6, name: "pubkey", kind: "string" },
  ],
);
