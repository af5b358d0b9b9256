import assert from "node:assert/strict";
import type { ExecutionResult, MsgExecute, MsgExecuteResponse } from "../p2p/messages.ts";
import { handleExecute } from "./execute.ts";
import {
  BlockingExecutor,
  fakeContext,
  FakeExecutor,
  FakeInstaller,
  HEAD_PEER,
  okRun,
  peer,
  WORKER_PEER,
} from "../../testing/worker_fakes.ts";
import { ExecutionSlots } from "./slots.ts";

function execute(overrides: Partial<MsgExecute> = {}): MsgExecute {
  return {
    type: "MsgExecute",
    topic: "allora-topic-1-worker",
    function_id: "bafyfunction",
    method: "function.wasm",
    parameters: [{ name: "p", value: "ETH" }],
    config: { env_vars: [{ name: "TOPIC_ID", value: "1" }] },
    request_id: "r1",
    timestamp: "2024-07-01T12:00:00Z",
    ...overrides,
  };
}

function onlyResponse(context: ReturnType<typeof fakeContext>): MsgExecuteResponse {
  assert.equal(context.replies.length, 1);
  assert.equal(context.replies[0].peer, HEAD_PEER);
  return context.replies[0].message as MsgExecuteResponse;
}

function ownResult(response: MsgExecuteResponse): ExecutionResult {
  const result = response.results?.[WORKER_PEER];
  assert.ok(result, "the response has no result under the worker's peer ID");
  return result;
}

Deno.test("handleExecute() returns the output under its own peer ID", async () => {
  const executor = new FakeExecutor(() => okRun('{"infererValue":"2514.37"}\n'));
  using context = fakeContext({ executor });
  await handleExecute(context, execute(), { peer: peer() });
  const response = onlyResponse(context);
  assert.equal(response.type, "MsgExecuteResponse");
  assert.equal(response.request_id, "r1");
  assert.equal(response.code, "200");
  assert.deepEqual(ownResult(response), {
    code: "200",
    result: { stdout: '{"infererValue":"2514.37"}\n', stderr: "", exit_code: 0 },
    request_id: "r1",
    usage: { wall_clock_time: 1_500_000, memory_max_kb: 2048 },
  });
  assert.deepEqual(executor.requests[0].args, ["ETH"]);
  assert.equal(
    (executor.requests[0].module as { path: string }).path,
    "/functions/bafyfunction/function.wasm",
  );
  assert.equal(context.slots.running, 0);
});

Deno.test("handleExecute() responds 404 for a function that is not installed", async () => {
  const executor = new FakeExecutor();
  using context = fakeContext({ executor, installer: new FakeInstaller() });
  await handleExecute(context, execute(), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "404");
  assert.equal(result.request_id, "r1");
  assert.equal(result.result.stdout, "");
  assert.equal(result.result.exit_code, 0);
  assert.match(result.result.stderr, /function bafyfunction is not installed/);
  assert.equal(executor.requests.length, 0);
});

Deno.test("handleExecute() responds 404 for a method the function lacks", async () => {
  using context = fakeContext();
  await handleExecute(context, execute({ method: "other.wasm" }), { peer: peer() });
  assert.equal(ownResult(onlyResponse(context)).code, "404");
});

Deno.test("handleExecute() responds 400 for a method with a path", async () => {
  using context = fakeContext();
  await handleExecute(context, execute({ method: "../function.wasm" }), { peer: peer() });
  assert.equal(ownResult(onlyResponse(context)).code, "400");
});

Deno.test("handleExecute() keeps the output of a failed run with 500", async () => {
  const executor = new FakeExecutor(() => okRun("partial", { exitCode: 3, stderr: "trap" }));
  using context = fakeContext({ executor });
  await handleExecute(context, execute(), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "500");
  assert.deepEqual(result.result, { stdout: "partial", stderr: "trap", exit_code: 3 });
});

Deno.test("handleExecute() describes an executor error in empty stderr", async () => {
  const executor = new FakeExecutor(() =>
    okRun("", { exitCode: 15, error: { kind: "timeout", message: "timed out after 10000 ms" } })
  );
  using context = fakeContext({ executor });
  await handleExecute(context, execute(), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "500");
  assert.equal(result.result.exit_code, 15);
  assert.equal(result.result.stderr, "timeout: timed out after 10000 ms");
});

Deno.test("handleExecute() replaces invalid inference output", async () => {
  const executor = new FakeExecutor(() => okRun('{"infererValue":2514.3}'));
  using context = fakeContext({ executor });
  await handleExecute(context, execute(), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "500");
  assert.equal(result.result.exit_code, 0);
  assert.match(JSON.parse(result.result.stdout).error, /^invalid inference output: infererValue/);
  assert.match(result.result.stderr, /original stdout: \{"infererValue":2514\.3\}/);
});

Deno.test("handleExecute() skips the output check without TOPIC_ID", async () => {
  const executor = new FakeExecutor(() => okRun("hello\n"));
  using context = fakeContext({ executor });
  await handleExecute(context, execute({ config: {} }), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "200");
  assert.equal(result.result.stdout, "hello\n");
});

Deno.test("handleExecute() skips the output check for reputer requests", async () => {
  const executor = new FakeExecutor(() => okRun('{"value":"{}"}'));
  using context = fakeContext({ executor });
  const config = { env_vars: [{ name: "TOPIC_ID", value: "1/reputer" }] };
  await handleExecute(context, execute({ config, topic: "allora-topic-1-reputer" }), {
    peer: peer(),
  });
  assert.equal(ownResult(onlyResponse(context)).code, "200");
});

Deno.test("handleExecute() declines consensus with 501", async () => {
  const executor = new FakeExecutor();
  using context = fakeContext({ executor });
  await handleExecute(context, execute({ config: { consensus_algorithm: "pbft" } }), {
    peer: peer(),
  });
  const response = onlyResponse(context);
  assert.equal(response.code, "501");
  assert.match(response.message ?? "", /consensus "pbft" is not supported/);
  assert.equal(executor.requests.length, 0);
});

Deno.test("handleExecute() drops a message without request id", async () => {
  const executor = new FakeExecutor();
  using context = fakeContext({ executor });
  await handleExecute(context, execute({ request_id: "" }), { peer: peer() });
  assert.equal(context.replies.length, 0);
  assert.equal(executor.requests.length, 0);
});

Deno.test("handleExecute() uses the slot reserved by the roll call", async () => {
  const slots = new ExecutionSlots({ capacity: 1, reservationMs: 60_000 });
  using context = fakeContext({ slots });
  slots.reserve("r1", HEAD_PEER);
  await handleExecute(context, execute(), { peer: peer() });
  assert.equal(ownResult(onlyResponse(context)).code, "200");
  assert.equal(slots.free, 1);
});

Deno.test("handleExecute() responds 500 busy when every slot stays taken", async () => {
  const slots = new ExecutionSlots({ capacity: 1, reservationMs: 60_000 });
  using context = fakeContext({ slots });
  slots.reserve("other", HEAD_PEER);
  await handleExecute(context, execute(), { peer: peer() });
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "500");
  assert.match(result.result.stderr, /worker busy/);
});

Deno.test("handleExecute() fails a running execution at shutdown", async () => {
  const executor = new BlockingExecutor();
  using context = fakeContext({ executor });
  const running = handleExecute(context, execute(), { peer: peer() });
  while (executor.started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  context.stop.abort();
  await running;
  const result = ownResult(onlyResponse(context));
  assert.equal(result.code, "500");
  assert.equal(context.slots.running, 0);
});
