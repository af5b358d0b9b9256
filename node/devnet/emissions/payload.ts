/**
 * InsertWorkerPayloadRequest in the chain double. The checks run in the chain's order. First
 * the bundle: shape, values, addresses and the signature over the re-marshalled bundle. Then
 * size, topic, unfulfilled nonce (75), submission window (67), registration (13), the data
 * sending fee, and one payload per worker per nonce (78).
 *
 * @module
 */
import { InvalidBundleError, verifyBundleSignature } from "../../chain/bundle.ts";
import { canonicalBoundedDec, InvalidDecError } from "../../chain/dec.ts";
import {
  type Forecast,
  type Inference,
  type InsertWorkerPayloadRequest,
  type WorkerDataBundle,
  WorkerDataBundle as WorkerDataBundleCodec,
} from "../../chain/emissions/mod.ts";
import { isValidAddress } from "../address.ts";
import { EMISSIONS_CODES, emissionsError, SDK_CODES, sdkError } from "../errors.ts";
import type { TxContext } from "../module.ts";
import type { StoredForecast, StoredInference, TopicData } from "./state.ts";
import { payToModule, requireTopic, STORE_ENTRY_BYTES } from "./store.ts";

/**
 * Applies one worker payload.
 *
 * @throws {AbciError} the chain's code for the first failed check
 */
export function insertWorkerPayload(context: TxContext, msg: InsertWorkerPayloadRequest): void {
  const { bundle, inference, forecast } = validateBundle(context, msg.workerDataBundle);
  const size = WorkerDataBundleCodec.toBytes(bundle).length;
  const limit = context.state.emissions.params.maxSerializedMsgLength;
  if (BigInt(size) > limit) {
    throw invalid(
      `worker data bundle has ${size} bytes, more than max_serialized_msg_length ${limit}`,
    );
  }

  // Schedule: the topic, its open nonce and the submission window.
  const { worker, topicId } = bundle;
  const nonce = bundle.nonce!.blockHeight;
  const data = requireTopic(context, topicId);
  checkWindow(data, nonce, BigInt(context.height));

  // The worker, its fee, and one payload per nonce.
  context.gas.read(STORE_ENTRY_BYTES);
  if (!data.workers.has(worker)) {
    throw emissionsError(
      EMISSIONS_CODES.addressNotRegistered,
      `worker ${worker} is not registered in topic ${topicId}`,
    );
  }
  const fee = context.state.emissions.params.dataSendingFee;
  payToModule(context, msg.sender, fee);
  data.revenue += fee;
  const payloads = data.payloads.get(nonce.toString()) ?? new Map();
  if (payloads.has(worker)) {
    throw emissionsError(
      EMISSIONS_CODES.emaUpdatedThisWindow,
      `worker ${worker} already submitted for nonce ${nonce} of topic ${topicId}`,
    );
  }

  payloads.set(worker, { inference, forecast, height: BigInt(context.height) });
  data.payloads.set(nonce.toString(), payloads);
  if (inference !== undefined) data.latestInferences.set(worker, inference);
  context.gas.write(STORE_ENTRY_BYTES + size);
}

/** Requires `nonce` to be unfulfilled (code 75) and `height` inside its window (code 67). */
function checkWindow(data: TopicData, nonce: bigint, height: bigint) {
  const topicId = data.topic.id;
  if (!data.workerNonces.includes(nonce)) {
    throw emissionsError(
      EMISSIONS_CODES.unfulfilledNonceNotFound,
      `nonce ${nonce} of topic ${topicId} is not an unfulfilled worker nonce`,
    );
  }
  const window = data.topic.workerSubmissionWindow;
  if (height < nonce || height >= nonce + window) {
    const last = nonce + window - 1n;
    throw emissionsError(
      EMISSIONS_CODES.windowNotAvailable,
      `block ${height} is outside the window of nonce ${nonce}: blocks ${nonce} to ${last}`,
    );
  }
}

interface ValidPayload {
  bundle: WorkerDataBundle;
  inference?: StoredInference;
  forecast?: StoredForecast;
}

/** Checks the bundle as the chain's Validate does; returns its parts with canonical values. */
function validateBundle(
  context: TxContext,
  bundle: WorkerDataBundle | undefined,
): ValidPayload {
  if (bundle === undefined) throw invalid("worker data bundle cannot be nil");
  if (bundle.nonce === undefined) throw invalid("worker data bundle nonce cannot be nil");
  if (bundle.nonce.blockHeight < 0n) {
    throw invalid(`nonce block height ${bundle.nonce.blockHeight} is negative`);
  }
  if (bundle.worker === "") throw invalid("worker cannot be empty");
  if (bundle.pubkey === "") throw invalid("public key cannot be empty");
  if (bundle.inferencesForecastsBundleSignature.length === 0) {
    throw invalid("signature cannot be empty");
  }
  const inner = bundle.inferenceForecastsBundle;
  if (inner === undefined) throw invalid("inference forecasts bundle cannot be nil");
  if (inner.inference === undefined && inner.forecast === undefined) {
    throw invalid("inference and forecast cannot both be nil");
  }

  const result: ValidPayload = { bundle };
  if (inner.inference !== undefined) result.inference = validateInference(inner.inference, bundle);
  if (inner.forecast !== undefined) {
    const maxElements = context.state.emissions.params.maxElementsPerForecast;
    result.forecast = validateForecast(inner.forecast, bundle, maxElements);
  }
  verifySignature(bundle);
  return result;
}

function validateInference(inference: Inference, bundle: WorkerDataBundle): StoredInference {
  const { topicId, blockHeight, inferer, value, extraData, proof } = inference;
  checkPart("inference", { topicId, blockHeight, address: inferer }, bundle);
  return {
    topicId,
    blockHeight,
    inferer,
    value: checkValue("inference value", value),
    extraData,
    proof,
  };
}

function validateForecast(
  forecast: Forecast,
  bundle: WorkerDataBundle,
  maxElements: bigint,
): StoredForecast {
  const { topicId, blockHeight, forecaster, forecastElements, extraData } = forecast;
  checkPart("forecast", { topicId, blockHeight, address: forecaster }, bundle);
  if (forecastElements.length === 0) {
    throw invalid("at least one forecast element must be provided");
  }
  if (BigInt(forecastElements.length) > maxElements) {
    throw invalid(`forecast has ${forecastElements.length} elements, more than ${maxElements}`);
  }
  const elements = forecastElements.map((element) => {
    if (!isValidAddress(element.inferer)) {
      throw sdkError(
        SDK_CODES.invalidAddress,
        `invalid forecast inferer address '${element.inferer}'`,
      );
    }
    return { inferer: element.inferer, value: checkValue("forecast value", element.value) };
  });
  return { topicId, blockHeight, forecaster, forecastElements: elements, extraData };
}

function checkPart(
  part: "inference" | "forecast",
  { topicId, blockHeight, address }: { topicId: bigint; blockHeight: bigint; address: string },
  bundle: WorkerDataBundle,
) {
  const role = part === "inference" ? "inferer" : "forecaster";
  if (!isValidAddress(address)) {
    throw sdkError(SDK_CODES.invalidAddress, `invalid ${part} ${role} address '${address}'`);
  }
  if (address !== bundle.worker) {
    throw invalid(`${part} ${role} ${address} does not match worker ${bundle.worker}`);
  }
  if (topicId !== bundle.topicId) {
    throw invalid(`${part} topic id ${topicId} does not match bundle topic id ${bundle.topicId}`);
  }
  if (blockHeight !== bundle.nonce!.blockHeight) {
    throw invalid(
      `${part} block height ${blockHeight} does not match bundle block height ${
        bundle.nonce!.blockHeight
      }`,
    );
  }
}

function checkValue(field: string, value: string): string {
  try {
    return canonicalBoundedDec(value);
  } catch (error) {
    if (error instanceof InvalidDecError) {
      throw invalid(`${field} '${value}' is invalid: ${error.reason}`);
    }
    throw error;
  }
}

function verifySignature(bundle: WorkerDataBundle) {
  try {
    verifyBundleSignature(bundle);
  } catch (error) {
    if (!(error instanceof InvalidBundleError)) throw error;
    // The chain reports a bad signature or a worker other than the key's address as
    // unauthorized, and a malformed key or value as an invalid request.
    const unauthorized = error.field === "signature" || error.field === "worker";
    const code = unauthorized ? SDK_CODES.unauthorized : SDK_CODES.invalidRequest;
    throw sdkError(code, `${error.message} (${error.field})`);
  }
}

function invalid(detail: string) {
  return sdkError(SDK_CODES.invalidRequest, detail);
}
