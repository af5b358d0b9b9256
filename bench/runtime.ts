/**
 * Benchmarks the worker runtime with the committed test modules:
 * 1. per-call time of a small cached module through the pool (one caller, pool of 1);
 * 2. cold calls: a module never seen before, so hashing, capping, compiling and running;
 * 3. throughput: calls per second with N sandbox workers and 4 callers per worker.
 *
 * Run: `deno run -A bench/runtime.ts [--calls N]`. Results are printed as Markdown tables.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createRuntime } from "../node/runtime/mod.ts";
import { encodeLeb } from "../node/runtime/memory_limit.ts";
import type { RunRequest, Runtime } from "../node/runtime/types.ts";

const TESTDATA = new URL("../node/runtime/testdata/", import.meta.url);
const MODULES = {
  "C probe (37 KB)": { file: "probe.wasm", args: ["hello"] },
  "AssemblyScript SDK probe (41 KB)": { file: "sdk_probe.wasm", args: ["env", "TOPIC_ID"] },
};

const { values } = parseArgs({ args: Deno.args, options: { calls: { type: "string" } } });
const CALLS = Number(values.calls ?? 2000);
const COLD_CALLS = 50;

function request(file: string, args: string[], bytes?: Uint8Array): RunRequest {
  return {
    requestId: "bench",
    module: bytes === undefined ? { path: new URL(file, TESTDATA).pathname } : { bytes },
    method: file,
    args,
    env: [["TOPIC_ID", "1"], ["ALLORA_ARG_PARAMS", "ETH"]],
    stdin: "",
    permissions: [],
  };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function summary(samplesMs: number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(3)} ms`;
  return `${f(percentile(sorted, 0.5))} | ${f(percentile(sorted, 0.9))} | ${f(sorted[0])}`;
}

async function timeCalls(runtime: Runtime, make: (i: number) => RunRequest, count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const next = make(i);
    const started = performance.now();
    const result = await runtime.run(next);
    samples.push(performance.now() - started);
    if (result.exitCode !== 0) throw new Error(`Benchmark call failed: ${JSON.stringify(result)}`);
  }
  return samples;
}

/** Appends a custom section with a unique name, so neither our cache nor V8's recognizes it. */
function uniqueCopy(bytes: Uint8Array, index: number): Uint8Array {
  const name = new TextEncoder().encode(`bench-${index}-${crypto.randomUUID()}`);
  const payload = [...encodeLeb(name.length), ...name];
  return Uint8Array.from([...bytes, 0x00, ...encodeLeb(payload.length), ...payload]);
}

async function perCall() {
  console.log("### Per call, one caller, pool of 1\n");
  console.log("| module | calls | median | p90 | min |\n|---|---|---|---|---|");
  const runtime = await createRuntime({ poolSize: 1 });
  for (const [label, { file, args }] of Object.entries(MODULES)) {
    await timeCalls(runtime, () => request(file, args), 200);
    const samples = await timeCalls(runtime, () => request(file, args), CALLS);
    console.log(`| ${label}, cached | ${CALLS} | ${summary(samples)} |`);
  }
  for (const [label, { file, args }] of Object.entries(MODULES)) {
    const bytes = await Deno.readFile(new URL(file, TESTDATA));
    const samples = await timeCalls(
      runtime,
      (i) => request(file, args, uniqueCopy(bytes, i)),
      COLD_CALLS,
    );
    console.log(
      `| ${label}, cold (hash, cap, compile, run) | ${COLD_CALLS} | ${summary(samples)} |`,
    );
  }
  await runtime.close();
}

async function throughput() {
  console.log("\n### Throughput, 4 callers per worker\n");
  console.log("| workers | calls | calls per second |\n|---|---|---|");
  for (const workers of [1, 2, 4]) {
    const runtime = await createRuntime({ poolSize: workers });
    const { file, args } = MODULES["C probe (37 KB)"];
    let next = 0;
    const caller = async () => {
      while (next++ < CALLS) await runtime.run(request(file, args));
    };
    await Promise.all(Array.from({ length: workers * 4 }, caller));
    next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: workers * 4 }, caller));
    const seconds = (performance.now() - started) / 1000;
    console.log(`| ${workers} | ${CALLS} | ${Math.round(CALLS / seconds)} |`);
    await runtime.close();
  }
}

await perCall();
await throughput();
