import assert from "node:assert/strict";
import { sha256 } from "@cosmjs/crypto";
import { assertThrows } from "../../testing/assert.ts";
import { accountFromPrivateKey } from "./account.ts";
import {
  buildWorkerBundle,
  InvalidBundleError,
  signBundle,
  verifyBundleSignature,
} from "./bundle.ts";
import { InferenceForecastBundle, WorkerDataBundle } from "./emissions/mod.ts";
import { InferenceOutputError, parseInferenceOutput } from "./output.ts";

const alice = accountFromPrivateKey(sha256(new TextEncoder().encode("alice")));
const bob = accountFromPrivateKey(sha256(new TextEncoder().encode("bob")));
const OUTPUT = JSON.stringify({
  infererValue: "+2500.50",
  forecasterValue: [{ worker: bob.address, value: "0.0000001" }],
});

function build(output: string = OUTPUT): WorkerDataBundle {
  return buildWorkerBundle({ account: alice, topicId: 3n, nonce: 120n, output });
}

Deno.test("buildWorkerBundle() signs a bundle the chain accepts", () => {
  const bundle = build();
  verifyBundleSignature(bundle);
  assert.equal(bundle.worker, alice.address);
  assert.equal(bundle.nonce?.blockHeight, 120n);
  assert.equal(bundle.pubkey.length, 66);
  assert.equal(bundle.inferencesForecastsBundleSignature.length, 64);
  const { inference, forecast } = bundle.inferenceForecastsBundle!;
  assert.equal(inference?.value, "2500.50");
  assert.equal(inference?.inferer, alice.address);
  assert.equal(forecast?.forecaster, alice.address);
  assert.deepEqual(forecast?.forecastElements, [{ inferer: bob.address, value: "1E-7" }]);
});

Deno.test("buildWorkerBundle() signatures have low S", () => {
  const halfOrder = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
  for (let index = 0; index < 20; index++) {
    const bundle = build(String(index + 0.5));
    const s = bundle.inferencesForecastsBundleSignature.slice(32);
    assert.ok(
      BigInt("0x" + [...s].map((b) => b.toString(16).padStart(2, "0")).join("")) <= halfOrder,
    );
  }
});

Deno.test("verifyBundleSignature() survives an encode and decode round trip", () => {
  const decoded = WorkerDataBundle.decodeStrict(WorkerDataBundle.toBytes(build()));
  verifyBundleSignature(decoded);
});

Deno.test("verifyBundleSignature() rejects a tampered value", () => {
  const bundle = build();
  bundle.inferenceForecastsBundle!.inference!.value = "2500.51";
  const error = assertThrows(() => verifyBundleSignature(bundle), InvalidBundleError);
  assert.equal(error.field, "signature");
});

Deno.test("verifyBundleSignature() rejects a value signed in non-canonical form", () => {
  // Sign "+2500.50" as typed: the chain re-marshals it as "2500.50" and the bytes differ.
  const bundle = build();
  const inner = bundle.inferenceForecastsBundle!;
  inner.inference!.value = "+2500.50";
  bundle.inferencesForecastsBundleSignature = signBundle(inner, alice.privateKey);
  const error = assertThrows(() => verifyBundleSignature(bundle), InvalidBundleError);
  assert.equal(error.field, "signature");
});

Deno.test("verifyBundleSignature() requires the worker to be the pubkey address", () => {
  const bundle = build();
  bundle.worker = bob.address;
  const error = assertThrows(() => verifyBundleSignature(bundle), InvalidBundleError);
  assert.equal(error.field, "worker");
});

Deno.test("verifyBundleSignature() requires the inferer to be the pubkey address", () => {
  const bundle = buildWorkerBundle({ account: bob, topicId: 3n, nonce: 120n, output: "1" });
  const inner = InferenceForecastBundle.fromPartial({
    inference: { ...bundle.inferenceForecastsBundle!.inference!, inferer: alice.address },
  });
  bundle.inferenceForecastsBundle = inner;
  bundle.inferencesForecastsBundleSignature = signBundle(inner, bob.privateKey);
  const error = assertThrows(() => verifyBundleSignature(bundle), InvalidBundleError);
  assert.equal(error.field, "inference.inferer");
});

Deno.test("verifyBundleSignature() rejects a nonce that differs from the inference", () => {
  const bundle = build();
  bundle.nonce = { blockHeight: 121n };
  const error = assertThrows(() => verifyBundleSignature(bundle), InvalidBundleError);
  assert.equal(error.field, "inference.block_height");
});

Deno.test("parseInferenceOutput() keeps the digits of JSON numbers", () => {
  const output = parseInferenceOutput('{"infererValue": 0.1000000000000000055}');
  assert.equal(output.infererValue, "0.1000000000000000055");
  assert.deepEqual(output.forecasterValues, []);
  assert.equal(parseInferenceOutput("1e-7\n").infererValue, "1e-7");
  assert.equal(parseInferenceOutput("+3.5").infererValue, "+3.5");
});

Deno.test("parseInferenceOutput() rejects invalid output", () => {
  const cases = [
    "",
    "[]",
    '{"value": 1}',
    '{"infererValue": "NaN"}',
    '{"infererValue": "1e50"}',
    '{"infererValue": 1, "forecasterValue": {}}',
    '{"infererValue": 1, "forecasterValue": [{"worker": "x", "value": "1"}]}',
    "not a number",
  ];
  for (const text of cases) {
    assertThrows(() => parseInferenceOutput(text), InferenceOutputError);
  }
});
