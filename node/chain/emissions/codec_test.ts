// Golden encodings: every expected hex string is written by hand from the field numbers of the
// .proto files (tag = field << 3 | wire type; 0 varint, 2 length-delimited).
import assert from "node:assert/strict";
import { fromHex, toHex } from "@cosmjs/encoding";
import { assertThrows } from "../../../testing/assert.ts";
import { UnknownFieldError } from "../proto/message.ts";
import {
  AddStakeRequest,
  createEmissionsRegistry,
  EmptyRequest,
  GetParamsResponse,
  getTopicResponseCodec,
  InsertWorkerPayloadRequest,
  Nonce,
  Params,
  RegisterRequest,
  TopicAddressRequest,
  topicCodec,
  WorkerSubmissionWindowStatus,
} from "./mod.ts";

const ascii = (text: string) => toHex(new TextEncoder().encode(text));
const str = (tagHex: string, text: string) =>
  tagHex + text.length.toString(16).padStart(2, "0") + ascii(text);

Deno.test("RegisterRequest encodes sender=1 topic_id=4 owner=5 is_reputer=6", () => {
  const message = { sender: "allo1abc", topicId: 7n, owner: "allo1abc", isReputer: true };
  const expected = "0a08616c6c6f31616263" + "2007" + "2a08616c6c6f31616263" + "3001";
  assert.equal(toHex(RegisterRequest.toBytes(message)), expected);
  assert.deepEqual(RegisterRequest.decode(fromHex(expected)), message);
});

Deno.test("RegisterRequest omits default scalars", () => {
  const bytes = RegisterRequest.toBytes({ sender: "a", topicId: 0n, isReputer: false });
  assert.equal(toHex(bytes), "0a0161");
});

Deno.test("RegisterRequest.decodeStrict() rejects reserved field 2", () => {
  const bytes = fromHex("0a0161" + str("12", "p2pkey"));
  assert.equal(RegisterRequest.decode(bytes).sender, "a");
  const error = assertThrows(() => RegisterRequest.decodeStrict(bytes), UnknownFieldError);
  assert.equal(error.fieldNo, 2);
});

Deno.test("AddStakeRequest writes amount=3 even when empty", () => {
  const full = AddStakeRequest.toBytes({ sender: "a", topicId: 300n, amount: "1000" });
  assert.equal(toHex(full), "0a0161" + "10ac02" + "1a0431303030");
  const empty = AddStakeRequest.toBytes({ sender: "a", topicId: 1n });
  assert.equal(toHex(empty), "0a0161" + "1001" + "1a0130");
});

Deno.test("Nonce encodes a negative int64 as ten bytes", () => {
  assert.equal(toHex(Nonce.toBytes({ blockHeight: -1n })), "08ffffffffffffffffff01");
  assert.equal(Nonce.decode(fromHex("08ffffffffffffffffff01")).blockHeight, -1n);
  assert.equal(toHex(Nonce.toBytes({ blockHeight: 0n })), "");
});

Deno.test("InsertWorkerPayloadRequest nests the renumbered worker bundle", () => {
  const inference = "0801" + "1064" + str("1a", "allo1w") + str("22", "1.5");
  const element = str("0a", "allo1x") + str("12", "-2E-7");
  const forecast = "0801" + "1064" + str("1a", "allo1w") + "220f" + element;
  const bundle = "0a11" + inference + "121d" + forecast;
  const worker = str("0a", "allo1w") + "12020864" + "1801" + "2232" + bundle + "2a020102" +
    str("32", "02ab");
  const expected = str("0a", "allo1w") + "124c" + worker;

  const message = InsertWorkerPayloadRequest.fromPartial({
    sender: "allo1w",
    workerDataBundle: {
      worker: "allo1w",
      nonce: { blockHeight: 100n },
      topicId: 1n,
      inferenceForecastsBundle: {
        inference: { topicId: 1n, blockHeight: 100n, inferer: "allo1w", value: "1.5" },
        forecast: {
          topicId: 1n,
          blockHeight: 100n,
          forecaster: "allo1w",
          forecastElements: [{ inferer: "allo1x", value: "-2E-7" }],
        },
      },
      inferencesForecastsBundleSignature: new Uint8Array([1, 2]),
      pubkey: "02ab",
    },
  });
  assert.equal(toHex(InsertWorkerPayloadRequest.toBytes(message)), expected);
  assert.deepEqual(InsertWorkerPayloadRequest.decodeStrict(fromHex(expected)), message);
});

Deno.test("fromPartial() converts numbers and strings to bigint", () => {
  const message = RegisterRequest.fromPartial({ sender: "a", topicId: "12" });
  assert.equal(message.topicId, 12n);
  assert.equal(RegisterRequest.fromPartial({ topicId: 3 }).topicId, 3n);
  assert.throws(() => RegisterRequest.fromPartial({ topicId: -1 }), RangeError);
  assert.throws(() => RegisterRequest.fromPartial({ topicId: 1.5 }), TypeError);
});

Deno.test("Params decodes fields 28, 44 and 50 and skips others", () => {
  const bytes = "1a03302e35" + "e201" + "03323030" + "e202" + "023130" + "900301";
  const params = Params.decode(fromHex(bytes));
  assert.equal(params.registrationFee, "200");
  assert.equal(params.dataSendingFee, "10");
  assert.equal(params.globalWhitelistEnabled, true);
  assert.equal(params.createTopicFee, "");
  const response = GetParamsResponse.decode(fromHex("0a13" + bytes));
  assert.equal(response.params?.registrationFee, "200");
});

Deno.test("GetParamsResponse always writes params", () => {
  const bytes = GetParamsResponse.toBytes({});
  // params=1 holding the four Int fields (5, 24, 28, 44) as "0".
  assert.equal(toHex(bytes), "0a0f" + "2a0130" + "c2010130" + "e2010130" + "e2020130");
});

Deno.test("topicCodec() reads v10 field 23 only for v10", () => {
  const bytes = fromHex("0805" + "4814" + "8801" + "0a" + "b80101");
  assert.equal(topicCodec("v9").decode(bytes).topicType, undefined);
  const topic = topicCodec("v10").decode(bytes);
  assert.equal(topic.id, 5n);
  assert.equal(topic.epochLength, 20n);
  assert.equal(topic.workerSubmissionWindow, 10n);
  assert.equal(topic.topicType, 1);
});

Deno.test("GetTopicResponse decodes topic=1 weight=2 effective_revenue=3", () => {
  const bytes = fromHex("0a020805" + str("12", "0.5") + str("1a", "7"));
  const response = getTopicResponseCodec("v9").decode(bytes);
  assert.equal(response.topic?.id, 5n);
  assert.equal(response.weight, "0.5");
  assert.equal(response.effectiveRevenue, "7");
});

Deno.test("WorkerSubmissionWindowStatus follows the v10 numbers", () => {
  const status = { isOpen: true, currentNonceBlockHeight: 120n, isRegistered: true };
  const bytes = WorkerSubmissionWindowStatus.toBytes(status);
  assert.equal(toHex(bytes), "0801" + "1078" + "3801");
});

Deno.test("TopicAddressRequest and EmptyRequest encode", () => {
  const request = TopicAddressRequest.toBytes({ topicId: 2n, address: "x" });
  assert.equal(toHex(request), "0802" + "120178");
  assert.equal(toHex(EmptyRequest.toBytes({})), "");
});

Deno.test("createEmissionsRegistry() registers the version's type URLs", () => {
  const registry = createEmissionsRegistry("v9");
  const any = registry.encodeAsAny({
    typeUrl: "/emissions.v9.RegisterRequest",
    value: { sender: "a", topicId: 7n, owner: "a" },
  });
  assert.equal(toHex(any.value), "0a0161" + "2007" + "2a0161");
  assert.ok(registry.lookupType("/emissions.v9.InsertWorkerPayloadRequest"));
  assert.equal(registry.lookupType("/emissions.v10.RegisterRequest"), undefined);
  const decoded = registry.decode({ typeUrl: any.typeUrl, value: any.value });
  assert.equal(decoded.topicId, 7n);
});
