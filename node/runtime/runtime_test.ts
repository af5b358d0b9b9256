import assert from "node:assert/strict";
import { createLogger } from "../log.ts";
import { fixture, probe, startRuntime } from "./_test_util.ts";
import { ExitCode } from "./errno.ts";
import { PoolClosedError } from "./pool.ts";

Deno.test("run() prints hello through WASI stdout", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["hello"]));
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, "hello, world\n");
  assert.equal(result.stderr, "");
  assert.equal(result.error, undefined);
  assert.ok(result.usage.wallClockNs > 0);
  assert.ok(result.usage.memoryMaxKb >= 64);
});

Deno.test("run() passes method and args as argv", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["args", "two words", "", "ü"]));
  assert.equal(result.stdout, "probe.wasm\nargs\ntwo words\n\nü\n");
});

Deno.test("run() sets WASI environ to request vars and BLS_LIST_VARS", async () => {
  Deno.env.set("ALLORA_TEST_NODE_SECRET", "do-not-leak");
  try {
    await using runtime = await startRuntime();
    const env: [string, string][] = [["TOPIC_ID", "1"], ["ALLORA_ARG_PARAMS", "ETH"]];
    const result = await runtime.run(probe(["environ"], { env }));
    assert.equal(
      result.stdout,
      "TOPIC_ID=1\nALLORA_ARG_PARAMS=ETH\nBLS_LIST_VARS=TOPIC_ID;ALLORA_ARG_PARAMS\n",
    );
    assert.ok(!result.stdout.includes("do-not-leak"));
  } finally {
    Deno.env.delete("ALLORA_TEST_NODE_SECRET");
  }
});

Deno.test("run() serves stdin as WASI fd 0", async () => {
  await using runtime = await startRuntime();
  const stdin = "line one\nline two ✓\n";
  const result = await runtime.run(probe(["stdin"], { stdin }));
  assert.equal(result.stdout, stdin);
});

Deno.test("memory_read copies stdin up to the guest buffer", async () => {
  await using runtime = await startRuntime();
  const whole = await runtime.run(probe(["memory-stdin"], { stdin: "0123456789" }));
  assert.equal(whole.stdout, "0123456789");
  assert.equal(whole.stderr, "errno=0 num=10\n");

  const cut = await runtime.run(probe(["memory-stdin", "4"], { stdin: "0123456789" }));
  assert.equal(cut.exitCode, 0);
  assert.equal(cut.stdout, "0123");
  assert.equal(cut.stderr, "errno=0 num=4\n");
});

Deno.test("memory_read logs a truncation with the request id", async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", format: "json", write: (line) => lines.push(line) });
  await using runtime = await startRuntime({ logger });
  await runtime.run(probe(["memory-stdin", "4"], { requestId: "req-7", stdin: "0123456789" }));
  const warnings = lines.map((line) => JSON.parse(line));
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].msg, "memory_read truncated its output to the guest buffer");
  assert.equal(warnings[0].request_id, "req-7");
  assert.equal(warnings[0].bytes, 10);
  assert.equal(warnings[0].buffer, 4);
});

Deno.test("env_var_read returns escaped JSON of the request vars", async () => {
  await using runtime = await startRuntime();
  const env: [string, string][] = [
    ["QUOTE", 'say "hi"\n'],
    ["2", "digits keep their place"],
    ["BLS_LIST_VARS", "forged"],
    ["UNICODE", "ü\u0001"],
  ];
  const result = await runtime.run(probe(["env-json"], { env }));
  assert.equal(result.exitCode, 0);
  assert.equal(
    result.stdout,
    '{"QUOTE":"say \\"hi\\"\\n","2":"digits keep their place","UNICODE":"ü\\u0001"}',
  );
  assert.deepEqual(JSON.parse(result.stdout), {
    QUOTE: 'say "hi"\n',
    2: "digits keep their place",
    UNICODE: "ü\u0001",
  });
});

Deno.test("env_var_read returns {} without request vars", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["env-json"]));
  assert.equal(result.stdout, "{}");
});

Deno.test("@blockless/sdk reads stdin and env vars", async () => {
  await using runtime = await startRuntime();
  const sdk = { module: { path: fixture("sdk_probe.wasm") }, method: "sdk_probe.wasm" };
  const stdin = await runtime.run(probe(["stdin"], { ...sdk, stdin: '{"price":"1"}' }));
  assert.equal(stdin.exitCode, 0);
  assert.equal(stdin.stdout, '{"price":"1"}\n');

  const env: [string, string][] = [["TOPIC_ID", "1"], ["NOTE", 'has "quotes"']];
  const topic = await runtime.run(probe(["env", "TOPIC_ID"], { ...sdk, env }));
  assert.equal(topic.stdout, "1\n");
  const note = await runtime.run(probe(["env", "NOTE"], { ...sdk, env }));
  assert.equal(note.stdout, 'has "quotes"\n');
});

Deno.test("host imports return an errno for out-of-bounds pointers", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["bad-pointer"]));
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, "memory_read=3\nhttp_req=2\n");
});

Deno.test("run() reports the guest exit code and keeps its output", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["exit", "7"]));
  assert.equal(result.exitCode, 7);
  assert.equal(result.stderr, "exiting\n");
  assert.equal(result.error, undefined);
});

Deno.test("run() maps a C abort to exit code 11", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["trap"]));
  assert.equal(result.exitCode, ExitCode.UNREACHABLE);
  assert.equal(result.error?.kind, "trap");
  assert.match(result.error?.message ?? "", /^unreachable at wasm-function\[\d+\]:0x[0-9a-f]+$/);
  assert.equal(result.stdout, "before trap\n");
});

Deno.test("run() maps each trap kind to its exit code", async () => {
  await using runtime = await startRuntime();
  const cases: [string, number][] = [
    ["stack_overflow", 2],
    ["memory_oob", 3],
    ["table_oob", 5],
    ["null_call", 6],
    ["signature", 7],
    ["int_overflow", 8],
    ["divide_by_zero", 9],
    ["conversion", 10],
    ["unreachable", 11],
  ];
  for (const [entry, exitCode] of cases) {
    const result = await runtime.run(probe([], { module: { path: fixture("traps.wasm") }, entry }));
    assert.equal(result.exitCode, exitCode, entry);
    assert.equal(result.error?.kind, "trap", entry);
  }
  const ok = await runtime.run(probe([], { module: { path: fixture("traps.wasm") }, entry: "ok" }));
  assert.equal(ok.exitCode, 0);
});

Deno.test("run() rejects an entry the module does not export", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["hello"], { entry: "missing" }));
  assert.equal(result.exitCode, ExitCode.INVALID_MODULE);
  assert.equal(result.error?.kind, "invalid");
  assert.match(result.error?.message ?? "", /exports no function "missing"/);
});

Deno.test("run() times out an endless loop and keeps serving", async () => {
  await using runtime = await startRuntime();
  const looping = await runtime.run(probe(["loop"], { limits: { timeoutMs: 300 } }));
  assert.equal(looping.exitCode, ExitCode.TIMEOUT);
  assert.equal(looping.error?.kind, "timeout");
  assert.match(looping.error?.message ?? "", /timed out after 300 ms/);
  assert.equal(looping.stdout, "looping\n", "output written before the timeout is kept");
  assert.ok(looping.usage.wallClockNs >= 300e6);

  const next = await runtime.run(probe(["hello"]));
  assert.equal(next.exitCode, 0);
  assert.equal(next.stdout, "hello, world\n");
});

Deno.test("run() ignores request limits above the node limits", async () => {
  await using runtime = await startRuntime({ limits: { timeoutMs: 300 } });
  const result = await runtime.run(probe(["loop"], { limits: { timeoutMs: 60_000 } }));
  assert.equal(result.exitCode, ExitCode.TIMEOUT);
  assert.match(result.error?.message ?? "", /after 300 ms/);
});

Deno.test("run() stops a guest at the memory cap", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["alloc"], { limits: { memoryPages: 256 } }));
  assert.equal(result.exitCode, ExitCode.LIMIT_EXCEEDED);
  assert.equal(result.error?.kind, "memory");
  assert.match(result.error?.message ?? "", /of its 256 memory pages/);
  assert.match(result.stderr, /^allocation failed after \d+ MiB\n$/);
  assert.ok(result.usage.memoryMaxKb <= 256 * 64);

  const fits = await runtime.run(probe(["alloc", "4"], { limits: { memoryPages: 256 } }));
  assert.equal(fits.exitCode, 0);
  assert.equal(fits.stdout, "allocated 4 MiB\n");
});

Deno.test("run() rejects a module whose initial memory is above the cap", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe([], { module: { path: fixture("big_memory.wasm") } }));
  assert.equal(result.exitCode, ExitCode.LIMIT_EXCEEDED);
  assert.equal(result.error?.kind, "memory");
  assert.match(result.error?.message ?? "", /5000 initial memory pages, above the limit of 4096/);
});

Deno.test("run() cuts stdout at the limit with exit code 14", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["flood"], { limits: { stdoutBytes: 100_000 } }));
  assert.equal(result.exitCode, ExitCode.LIMIT_EXCEEDED);
  assert.equal(result.error?.kind, "output");
  assert.match(result.error?.message ?? "", /100000-byte stdout limit/);
  assert.equal(result.stdout.length, 100_000);
});

Deno.test("run() cuts stderr at the node limit", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["flood", "stderr"]));
  assert.equal(result.exitCode, ExitCode.LIMIT_EXCEEDED);
  assert.equal(result.error?.kind, "output");
  assert.equal(result.stderr.length, 262_144);
  assert.equal(result.stdout, "");
});

Deno.test("run() rejects oversized stdin without running", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["hello"], { stdin: "x".repeat(1_048_577) }));
  assert.equal(result.exitCode, ExitCode.LIMIT_EXCEEDED);
  assert.equal(result.error?.kind, "invalid");
  assert.equal(result.stdout, "");
});

Deno.test("run() isolates concurrent executions", async () => {
  await using runtime = await startRuntime({ poolSize: 2 });
  const runs = Array.from(
    { length: 12 },
    (_, i) => runtime.run(probe(["environ"], { env: [["RUN", String(i)]], stdin: `stdin ${i}` })),
  );
  const results = await Promise.all(runs);
  results.forEach((result, i) => {
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, `RUN=${i}\nBLS_LIST_VARS=RUN\n`);
  });
});

Deno.test("run() keeps serving others while one run loops", async () => {
  await using runtime = await startRuntime({ poolSize: 2 });
  const looping = runtime.run(probe(["loop"], { limits: { timeoutMs: 2_000 } }));
  for (let i = 0; i < 5; i++) {
    const result = await runtime.run(probe(["hello"]));
    assert.equal(result.stdout, "hello, world\n");
  }
  assert.equal((await looping).exitCode, ExitCode.TIMEOUT);
});

Deno.test("run() accepts module bytes", async () => {
  await using runtime = await startRuntime();
  const bytes = await Deno.readFile(fixture("probe.wasm"));
  const result = await runtime.run(probe(["hello"], { module: { bytes } }));
  assert.equal(result.stdout, "hello, world\n");
});

Deno.test("run() rejects an unknown import with exit code 128", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe([], { module: { path: fixture("unknown_import.wasm") } }));
  assert.equal(result.exitCode, ExitCode.INVALID_MODULE);
  assert.equal(result.error?.kind, "invalid");
  assert.match(result.error?.message ?? "", /"env.host_secret" from unknown module "env"/);
});

Deno.test("run() rejects bytes that are not WebAssembly", async () => {
  await using runtime = await startRuntime();
  const bytes = new TextEncoder().encode("#!/bin/sh\necho hi\n");
  const result = await runtime.run(probe([], { module: { bytes } }));
  assert.equal(result.exitCode, ExitCode.INVALID_MODULE);
  assert.equal(result.error?.kind, "invalid");
});

Deno.test("run() reports a missing module file", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe([], { module: { path: fixture("absent.wasm") } }));
  assert.equal(result.exitCode, ExitCode.INVALID_MODULE);
  assert.match(result.error?.message ?? "", /Cannot read module ".*absent\.wasm"/);
});

Deno.test("run() links stubbed modules that return a runtime errno", async () => {
  await using runtime = await startRuntime();
  const module = { path: fixture("stubs.wasm") };
  const start = await runtime.run(probe([], { module }));
  assert.equal(start.exitCode, 0);
  const called = await runtime.run(probe([], { module, entry: "call_ipfs" }));
  assert.equal(called.exitCode, 7, "blockless_ipfs runtime_error");
});

Deno.test("validateModule() accepts provided imports", async () => {
  await using runtime = await startRuntime();
  for (const name of ["probe.wasm", "sdk_probe.wasm", "stubs.wasm", "traps.wasm"]) {
    assert.deepEqual(
      runtime.validateModule(await Deno.readFile(fixture(name))),
      { ok: true },
      name,
    );
  }
});

Deno.test("validateModule() rejects unknown imports, bad bytes and big memory", async () => {
  await using runtime = await startRuntime();
  const unknown = runtime.validateModule(await Deno.readFile(fixture("unknown_import.wasm")));
  assert.equal(unknown.ok, false);
  assert.match(!unknown.ok ? unknown.reason : "", /unknown module "env"/);

  const garbage = runtime.validateModule(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
  assert.deepEqual(garbage, { ok: false, reason: "not a valid WebAssembly module" });

  const big = runtime.validateModule(await Deno.readFile(fixture("big_memory.wasm")));
  assert.equal(big.ok, false);
  assert.match(!big.ok ? big.reason : "", /5000 initial memory pages/);
});

Deno.test("run() rejects with the abort reason", async () => {
  await using runtime = await startRuntime();
  const controller = new AbortController();
  const running = runtime.run(probe(["loop"]), { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("caller gave up")), 100);
  await assert.rejects(running, /caller gave up/);
  const next = await runtime.run(probe(["hello"]));
  assert.equal(next.exitCode, 0);
});

Deno.test("run() drops a queued run on abort", async () => {
  await using runtime = await startRuntime({ limits: { timeoutMs: 1_000 } });
  await runtime.run(probe(["hello"]));
  const looping = runtime.run(probe(["loop"]));
  const controller = new AbortController();
  const queued = runtime.run(probe(["hello"]), { signal: controller.signal });
  // Aborted while it waits for the only worker, which runs the loop.
  setTimeout(() => controller.abort(new Error("no longer needed")), 100);
  await assert.rejects(queued, /no longer needed/);
  assert.equal((await looping).exitCode, ExitCode.TIMEOUT);
  assert.equal((await runtime.run(probe(["hello"]))).exitCode, 0);
});

Deno.test("close() rejects queued runs", async () => {
  const runtime = await startRuntime();
  // A warm cache keeps dispatch in call order: cold loads may finish in any order.
  await runtime.run(probe(["hello"]));
  const running = runtime.run(probe(["loop"]));
  const queued = runtime.run(probe(["hello"]));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await runtime.close();
  await assert.rejects(running, PoolClosedError);
  await assert.rejects(queued, PoolClosedError);
});
