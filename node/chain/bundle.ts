/**
 * Builds, signs and verifies worker payloads: main.py's output becomes an
 * `InferenceForecastBundle`, signed with the wallet key and wrapped in a `WorkerDataBundle`.
 *
 * The chain decodes the bundle, re-marshals it (which rewrites every Dec value in apd's
 * spelling) and verifies the secp256k1 signature over SHA-256 of those bytes. So every value is
 * canonicalized before signing, and {@link verifyBundleSignature} repeats the chain's steps.
 *
 * @module
 */
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromHex, toHex } from "@cosmjs/encoding";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { addressFromPublicKey, type ChainAccount } from "./account.ts";
import { canonicalBoundedDec, InvalidDecError } from "./dec.ts";
import {
  emissionsTypeUrl,
  type EmissionsVersion,
  type Forecast,
  InferenceForecastBundle,
  InsertWorkerPayloadRequest,
  WorkerDataBundle,
} from "./emissions/mod.ts";
import { parseInferenceOutput, type WorkerOutput } from "./output.ts";

/** Half the secp256k1 group order: CometBFT rejects signatures with a larger S. */
const SECP256K1_HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** A bundle the chain would reject before or at signature verification. */
export class InvalidBundleError extends Error {
  override name = "InvalidBundleError";
  /** The offending field, e.g. "inference.inferer" or "signature". */
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.field = field;
  }
}

/** What {@link buildWorkerBundle} needs. */
export interface BuildBundleOptions {
  account: ChainAccount;
  topicId: bigint;
  /** Block height of the unfulfilled worker nonce the bundle is for. */
  nonce: bigint;
  /** main.py's standard output, or its already parsed form. */
  output: string | WorkerOutput;
}

/**
 * Builds and signs the worker bundle for one nonce.
 *
 * @throws {InferenceOutputError} when main.py's output is not a valid inference
 * @throws {InvalidDecError} when a value is not a decimal in the BoundedExp40Dec range
 */
export function buildWorkerBundle(options: BuildBundleOptions): WorkerDataBundle {
  const { account, topicId, nonce } = options;
  const output = typeof options.output === "string"
    ? parseInferenceOutput(options.output)
    : options.output;

  // Canonicalize first: the chain signs over apd's spelling of each value.
  const inference = {
    topicId,
    blockHeight: nonce,
    inferer: account.address,
    value: canonicalBoundedDec(output.infererValue),
  };
  let forecast: Partial<Forecast> | undefined;
  if (output.forecasterValues.length > 0) {
    forecast = {
      topicId,
      blockHeight: nonce,
      forecaster: account.address,
      forecastElements: output.forecasterValues.map(({ worker, value }) => ({
        inferer: worker,
        value: canonicalBoundedDec(value),
      })),
    };
  }
  const bundle = InferenceForecastBundle.fromPartial({ inference, forecast });

  return WorkerDataBundle.fromPartial({
    worker: account.address,
    nonce: { blockHeight: nonce },
    topicId,
    inferenceForecastsBundle: bundle,
    inferencesForecastsBundleSignature: signBundle(bundle, account.privateKey),
    pubkey: toHex(account.publicKey),
  });
}

/** Returns the 64-byte r‖s (low S) signature over SHA-256 of the encoded bundle. */
export function signBundle(bundle: InferenceForecastBundle, privateKey: Uint8Array): Uint8Array {
  const digest = sha256(InferenceForecastBundle.toBytes(bundle));
  const signature = Secp256k1.createSignature(digest, privateKey);
  return new Uint8Array([...signature.r(32), ...signature.s(32)]);
}

/**
 * Checks a worker bundle the way the chain does: encode, decode, re-marshal the inner bundle
 * with every Dec in apd's spelling, verify the signature against `pubkey`, and require the
 * worker, inferer and forecaster to be the pubkey's address.
 *
 * @throws {InvalidBundleError} naming the field that fails
 */
export function verifyBundleSignature(bundle: WorkerDataBundle): void {
  const received = WorkerDataBundle.decode(WorkerDataBundle.toBytes(bundle));
  const inner = received.inferenceForecastsBundle;
  if (inner === undefined || (inner.inference === undefined && inner.forecast === undefined)) {
    throw new InvalidBundleError(
      "inference_forecasts_bundle",
      "Bundle has no inference or forecast",
    );
  }
  const publicKey = decodePublicKey(received.pubkey);
  checkAddresses(received, addressFromPublicKey(publicKey));
  checkNonce(received);

  const signBytes = InferenceForecastBundle.toBytes(canonicalizeValues(inner));
  const signature = received.inferencesForecastsBundleSignature;
  if (signature.length !== 64) {
    throw new InvalidBundleError(
      "signature",
      `Signature has ${signature.length} bytes, expected 64`,
    );
  }
  const parsed = Secp256k1Signature.fromFixedLength(signature);
  const s = BigInt("0x" + toHex(parsed.s(32)));
  const valid = s <= SECP256K1_HALF_ORDER &&
    Secp256k1.verifySignature(parsed, sha256(signBytes), publicKey);
  if (!valid) {
    throw new InvalidBundleError("signature", "Bundle signature does not match its content");
  }
}

/** Wraps a signed bundle in the `InsertWorkerPayloadRequest` of `version`. */
export function insertWorkerPayloadMessage(
  version: EmissionsVersion,
  sender: string,
  bundle: WorkerDataBundle,
): EncodeObject {
  return {
    typeUrl: emissionsTypeUrl(version, "InsertWorkerPayloadRequest"),
    value: InsertWorkerPayloadRequest.fromPartial({ sender, workerDataBundle: bundle }),
  };
}

function decodePublicKey(pubkey: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(pubkey);
  } catch (error) {
    throw new InvalidBundleError("pubkey", `Pubkey is not hex: ${JSON.stringify(pubkey)}`, {
      cause: error,
    });
  }
  if (bytes.length !== 33) {
    throw new InvalidBundleError("pubkey", `Pubkey has ${bytes.length} bytes, expected 33`);
  }
  return bytes;
}

function checkAddresses(bundle: WorkerDataBundle, address: string): void {
  const { inference, forecast } = bundle.inferenceForecastsBundle ?? {};
  const claimed: Array<[string, string | undefined]> = [
    ["worker", bundle.worker],
    ["inference.inferer", inference?.inferer],
    ["forecast.forecaster", forecast?.forecaster],
  ];
  for (const [field, value] of claimed) {
    if (value !== undefined && value !== address) {
      throw new InvalidBundleError(
        field,
        `Bundle ${field} ${JSON.stringify(value)} does not match pubkey address ${address}`,
      );
    }
  }
}

function checkNonce(bundle: WorkerDataBundle): void {
  const height = bundle.nonce?.blockHeight;
  const { inference, forecast } = bundle.inferenceForecastsBundle ?? {};
  for (const [field, part] of [["inference", inference], ["forecast", forecast]] as const) {
    if (part === undefined) continue;
    if (part.topicId !== bundle.topicId) {
      throw new InvalidBundleError(`${field}.topic_id`, `Bundle ${field} is for another topic`);
    }
    if (part.blockHeight !== height) {
      throw new InvalidBundleError(`${field}.block_height`, `Bundle ${field} is for another nonce`);
    }
  }
}

// Rewrites Dec values as the chain's re-marshalling does; a value it cannot parse fails there.
function canonicalizeValues(bundle: InferenceForecastBundle): InferenceForecastBundle {
  const canonical = (field: string, value: string) => {
    try {
      return canonicalBoundedDec(value);
    } catch (error) {
      if (!(error instanceof InvalidDecError)) throw error;
      throw new InvalidBundleError(field, error.message, { cause: error });
    }
  };
  const { inference, forecast } = bundle;
  return {
    inference: inference && {
      ...inference,
      value: canonical("inference.value", inference.value),
      values: inference.values.map((value) => canonical("inference.values", value)),
    },
    forecast: forecast && {
      ...forecast,
      forecastElements: forecast.forecastElements.map((element) => ({
        ...element,
        value: canonical("forecast.value", element.value),
      })),
    },
  };
}
