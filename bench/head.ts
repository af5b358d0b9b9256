/**
 * End-to-end latency and throughput of `POST /api/v1/functions/execute` through a real
 * `allora head` subprocess, with 1 and 10 scripted worker subprocesses that reply at once.
 * `number_of_nodes` equals the worker count, so the roll call ends as soon as all accept and
 * the roll-call window does not dominate.
 *
 * Run: `deno run -A bench/head.ts [--requests 200] [--concurrency 8]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type HeadReady, Processes } from "../testing/processes.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    requests: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    warmup: { type: "string", default: "20" },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const TOPIC = "allora-topic-1-worker";

interface Figures {
  workers: number;
  medianMs: number;
  p90Ms: number;
  sequentialRps: number;
  concurrentRps: number;
  healthMedianMs: number;
}

async function executeOnce(ready: HeadReady, workers: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${ready.rest}/api/v1/functions/execute`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      function_id: "bafybench",
      method: "bench.wasm",
      topic: "1",
      config: { number_of_nodes: workers, timeout: 30 },
    }),
  });
  const body = await response.json();
  if (body.code !== "200") throw new Error(`unexpected response ${JSON.stringify(body)}`);
  return performance.now() - started;
}

async function healthOnce(ready: HeadReady): Promise<number> {
  const started = performance.now();
  await (await fetch(`${ready.rest}/api/v1/health`)).text();
  return performance.now() - started;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function measure(workers: number): Promise<Figures> {
  const processes = new Processes();
  try {
    const { ready } = await processes.head(["--log-level", "warn"]);
    await Promise.all(
      Array.from(
        { length: workers },
        () => processes.worker(ready.multiaddrs[0], { topics: [TOPIC], stdout: "1" }),
      ),
    );
    for (let index = 0; index < WARMUP; index++) await executeOnce(ready, workers);

    const health: number[] = [];
    for (let index = 0; index < 100; index++) health.push(await healthOnce(ready));

    const latencies: number[] = [];
    const sequentialStarted = performance.now();
    for (let index = 0; index < REQUESTS; index++) {
      latencies.push(await executeOnce(ready, workers));
    }
    const sequentialSeconds = (performance.now() - sequentialStarted) / 1000;

    let remaining = REQUESTS;
    const concurrentStarted = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (remaining-- > 0) await executeOnce(ready, workers);
    }));
    const concurrentSeconds = (performance.now() - concurrentStarted) / 1000;

    latencies.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    return {
      workers,
      medianMs: percentile(latencies, 0.5),
      p90Ms: percentile(latencies, 0.9),
      sequentialRps: REQUESTS / sequentialSeconds,
      concurrentRps: REQUESTS / concurrentSeconds,
      healthMedianMs: percentile(health, 0.5),
    };
  } catch (error) {
    processes.dump();
    throw error;
  } finally {
    await processes.stopAll();
  }
}

const rows: Figures[] = [];
for (const workers of [1, 10]) rows.push(await measure(workers));

console.log(
  `head execute, ${REQUESTS} requests, concurrency ${CONCURRENCY}, ${Deno.build.target}, ` +
    `deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores`,
);
console.log(
  "| workers | median ms | p90 ms | req/s sequential | req/s concurrent | health median ms |",
);
console.log("|---|---|---|---|---|---|");
for (const row of rows) {
  console.log(
    `| ${row.workers} | ${row.medianMs.toFixed(2)} | ${row.p90Ms.toFixed(2)} | ` +
      `${row.sequentialRps.toFixed(0)} | ${row.concurrentRps.toFixed(0)} | ` +
      `${row.healthMedianMs.toFixed(2)} |`,
  );
}
