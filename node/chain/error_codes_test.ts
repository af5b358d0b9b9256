import assert from "node:assert/strict";
import { describeChainCode, findErrorCause } from "./error_codes.ts";
import { ChainError } from "./errors.ts";

// The shape of a failed simulation: the SDK's tx service wraps the cause in gRPC status Unknown
// and the query router reports that as sdk code 6.
function simulationLog(cause: string): string {
  return `rpc error: code = Unknown desc = failed to execute message; message index: 0: ${cause} ` +
    `With gas wanted: '18446744073709551615' and gas used: '61234' : unknown request`;
}

const CAUSES: Array<[string, string, number, string]> = [
  [
    "worker allo1x already submitted for nonce 12 of topic 1: cannot update EMA more than once per window",
    "emissions",
    78,
    "already-submitted",
  ],
  [
    "block 16 is outside the window of nonce 12: blocks 12 to 14: worker nonce window not available",
    "emissions",
    67,
    "window-closed",
  ],
  [
    "nonce 7 of topic 1 is not an unfulfilled worker nonce: unfulfilled nonce not found",
    "emissions",
    75,
    "nonce-not-found",
  ],
  [
    "worker allo1x is not registered in topic 1: address not registered",
    "emissions",
    13,
    "not-registered",
  ],
  [
    "allo1x is not registered in topic 1: address is not registered in this topic",
    "emissions",
    10,
    "not-registered",
  ],
  [
    "allo1x is already registered as a worker in topic 1: address already registered in a topic",
    "emissions",
    8,
    "already-registered",
  ],
  [
    "balance 100uallo is below the registration fee 200uallo: topic registrant does not have enough denom",
    "emissions",
    48,
    "insufficient-balance",
  ],
  ["topic 9 does not exist: topic does not exist", "emissions", 23, "topic-not-found"],
  [
    "account sequence mismatch, expected 1, got 0: incorrect account sequence",
    "sdk",
    32,
    "sequence-mismatch",
  ],
  ["0uallo is smaller than 10uallo: insufficient funds", "sdk", 5, "insufficient-balance"],
];

for (const [cause, codespace, code, kind] of CAUSES) {
  Deno.test(`findErrorCause() finds ${codespace} ${code} in a simulation log`, () => {
    const log = simulationLog(cause);
    assert.deepEqual(findErrorCause(6, "sdk", log), { codespace, code });
    assert.equal(describeChainCode(6, "sdk", log).kind, kind);
  });
}

Deno.test("findErrorCause() reads the codespace and code of a gRPC status", () => {
  const log =
    "rpc error: code = Unknown desc = codespace emissions code 23: topic does not exist: " +
    "error getting topic: unknown request";
  assert.deepEqual(findErrorCause(6, "sdk", log), { codespace: "emissions", code: 23 });
});

Deno.test("findErrorCause() keeps a code the client knows", () => {
  const log = "account sequence mismatch, expected 3, got 2: incorrect account sequence";
  assert.deepEqual(findErrorCause(32, "sdk", log), { codespace: "sdk", code: 32 });
  const delivered = "failed to execute message; message index: 0: block 16 is outside the window";
  assert.deepEqual(findErrorCause(67, "emissions", delivered), {
    codespace: "emissions",
    code: 67,
  });
});

Deno.test("findErrorCause() matches a description only as the last segment", () => {
  const log = simulationLog("worker allo1x: address not registered in the custom list");
  assert.deepEqual(findErrorCause(6, "sdk", log), { codespace: "sdk", code: 6 });
  assert.equal(describeChainCode(6, "sdk", log).kind, "unknown");
});

Deno.test("findErrorCause() strips an invalid request wrapper", () => {
  const log = "error getting topic 9: topic does not exist: invalid request";
  assert.deepEqual(findErrorCause(18, "sdk", log), { codespace: "emissions", code: 23 });
});

Deno.test("describeChainCode() leaves an unknown request unknown", () => {
  const meaning = describeChainCode(6, "sdk", "unknown query path: unknown request");
  assert.equal(meaning.kind, "unknown");
  assert.equal(meaning.message, "unknown query path: unknown request");
});

Deno.test("describeChainCode() recognises whitelist rejections by their text", () => {
  const log = simulationLog("allo1x is not permitted to submit payload");
  assert.equal(describeChainCode(6, "sdk", log).kind, "not-whitelisted");
});

Deno.test("ChainError names the cause and the reported code", () => {
  const log = simulationLog("cannot update EMA more than once per window");
  const error = new ChainError("submit the payload", { code: 6, codespace: "sdk", log });
  assert.equal(error.code, 78);
  assert.equal(error.codespace, "emissions");
  assert.equal(error.reportedCode, 6);
  assert.equal(error.reportedCodespace, "sdk");
  assert.equal(
    error.message,
    "Cannot submit the payload: this worker already submitted in this window " +
      "(emissions code 78, reported as sdk code 6)",
  );

  const direct = new ChainError("register", { code: 8, codespace: "emissions", log: "x" });
  assert.match(direct.message, /\(emissions code 8\)$/);
  assert.equal(direct.reportedCode, 8);
});
