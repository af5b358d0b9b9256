import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import type { MsgExecute } from "../p2p/messages.ts";
import { checkMethod, RequestError, toRunRequest } from "./run_request.ts";

const LIMITS = { timeoutMs: 10_000, maxMemoryPages: 4096, slotWaitMs: 0 };

function execute(overrides: Partial<MsgExecute> = {}): MsgExecute {
  return {
    type: "MsgExecute",
    function_id: "bafyfunction",
    method: "function.wasm",
    config: {},
    request_id: "r1",
    timestamp: "2024-07-01T12:00:00Z",
    ...overrides,
  };
}

Deno.test("toRunRequest() maps parameters, env, stdin and permissions", () => {
  const request = toRunRequest(
    execute({
      parameters: [{ name: "a", value: "ETH" }, { name: "b", value: "" }, { name: "", value: "5" }],
      config: {
        env_vars: [{ name: "TOPIC_ID", value: "1" }, { name: "ALLORA_ARG_PARAMS", value: "ETH" }],
        stdin: "input",
        permissions: ["http://127.0.0.1:8000/"],
        runtime: { entry: "main" },
      },
    }),
    "/functions/bafyfunction/function.wasm",
    LIMITS,
  );
  assert.deepEqual(request, {
    requestId: "r1",
    module: { path: "/functions/bafyfunction/function.wasm" },
    method: "function.wasm",
    args: ["ETH", "5"],
    env: [["TOPIC_ID", "1"], ["ALLORA_ARG_PARAMS", "ETH"]],
    stdin: "input",
    entry: "main",
    permissions: ["http://127.0.0.1:8000/"],
    limits: { timeoutMs: 10_000, memoryPages: 4096 },
  });
});

Deno.test("toRunRequest() fills defaults for an empty config", () => {
  const request = toRunRequest(execute(), "/f.wasm", LIMITS);
  assert.deepEqual(request.args, []);
  assert.deepEqual(request.env, []);
  assert.equal(request.stdin, "");
  assert.equal(request.entry, undefined);
  assert.deepEqual(request.permissions, []);
});

Deno.test("toRunRequest() lets limited_memory lower the cap only", () => {
  const lower = toRunRequest(
    execute({ config: { runtime: { limited_memory: 16 } } }),
    "/f",
    LIMITS,
  );
  assert.equal(lower.limits?.memoryPages, 16);
  const higher = toRunRequest(
    execute({ config: { runtime: { limited_memory: 100_000 } } }),
    "/f",
    LIMITS,
  );
  assert.equal(higher.limits?.memoryPages, 4096);
  const invalid = toRunRequest(
    execute({ config: { runtime: { limited_memory: -1 } } }),
    "/f",
    LIMITS,
  );
  assert.equal(invalid.limits?.memoryPages, 4096);
});

Deno.test("toRunRequest() rejects stdin above 1 MiB", () => {
  const error = assertThrows(
    () => toRunRequest(execute({ config: { stdin: "x".repeat(1024 * 1024 + 1) } }), "/f", LIMITS),
    RequestError,
  );
  assert.equal(error.code, "500");
  assert.match(error.message, /stdin has 1048577 bytes/);
});

Deno.test("toRunRequest() rejects an environment above 64 KiB", () => {
  const env_vars = [{ name: "BIG", value: "x".repeat(64 * 1024) }];
  const error = assertThrows(
    () => toRunRequest(execute({ config: { env_vars } }), "/f", LIMITS),
    RequestError,
  );
  assert.equal(error.code, "500");
});

Deno.test("checkMethod() rejects paths and empty names", () => {
  for (
    const method of ["", "../x.wasm", "a/b.wasm", "a\\b.wasm", "x\0.wasm", ".", "x".repeat(256)]
  ) {
    const error = assertThrows(() => checkMethod(method), RequestError);
    assert.equal(error.code, "400", method);
  }
  assert.equal(checkMethod("allora-inference-function.wasm"), "allora-inference-function.wasm");
});
