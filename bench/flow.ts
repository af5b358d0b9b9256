/**
 * The local flow as a user runs it, with the project's own `python3 main.py` on 1 and 3
 * workers. It times `allora init --env dev` to the first inference: init, `allora dev` until
 * its ready line, then `allora request` until it exits. It also times execute requests
 * through the running network. `number_of_nodes` equals the worker count, so a roll call ends
 * when the last worker accepts instead of when the window ends.
 *
 * Run: `deno run -A bench/flow.ts [--runs 5] [--requests 30] [--workers 1,3]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Processes, type TestProcess } from "../testing/processes.ts";
import {
  devArgs,
  type DevReady,
  execute,
  inferenceBody,
  infererValue,
  initArgs,
  MAIN,
  runAllora,
} from "../testing/flow.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "5" },
    requests: { type: "string", default: "30" },
    workers: { type: "string", default: "1,3" },
  },
  // `deno task bench` passes its arguments to every script.
  strict: false,
});
const RUNS = Number(values.runs);
const REQUESTS = Number(values.requests);
const WORKER_COUNTS = String(values.workers).split(",").map(Number);
const WARMUP_REQUESTS = 3;

interface Summary {
  median: number;
  p90: number;
  min: number;
  max: number;
}

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
  return { median: at(0.5), p90: at(0.9), min: sorted[0], max: sorted[sorted.length - 1] };
}

async function exitedOk(process: TestProcess): Promise<void> {
  const status = await process.exited();
  if (status.code !== 0) {
    throw new Error(`${process.name} exited with code ${status.code}: ${process.stderr}`);
  }
}

function initProject(processes: Processes, project: string): Promise<void> {
  return exitedOk(runAllora(processes, processes.tempDir, initArgs(project, "bench")));
}

function startDev(processes: Processes, project: string, workers: number): TestProcess {
  return runAllora(
    processes,
    project,
    devArgs(["--log-level", "warn", "--workers", String(workers)]),
  );
}

/** Durations of the steps from init to the first inference. */
interface StepTimes {
  initMs: number;
  devMs: number;
  requestMs: number;
  totalMs: number;
}

/** Runs init, dev and one request once; returns the milliseconds of each step. */
async function firstInference(processes: Processes, workers: number): Promise<StepTimes> {
  const project = join(processes.tempDir, `run-${crypto.randomUUID()}`);
  const started = performance.now();
  await initProject(processes, project);
  const initialized = performance.now();

  const dev = startDev(processes, project, workers);
  const ready = await dev.ready<DevReady>();
  const serving = performance.now();

  await exitedOk(runAllora(processes, project, [
    "request",
    "--head",
    ready.rest,
    "--nodes",
    String(workers),
    "--timeout",
    "10",
  ]));
  const answered = performance.now();
  await dev.stop();
  return {
    initMs: initialized - started,
    devMs: serving - initialized,
    requestMs: answered - serving,
    totalMs: answered - started,
  };
}

/** Times `REQUESTS` sequential execute requests through a running `allora dev`. */
async function requestLatency(processes: Processes, workers: number): Promise<number[]> {
  const project = join(processes.tempDir, `latency-${workers}`);
  await initProject(processes, project);
  const dev = startDev(processes, project, workers);
  const ready = await dev.ready<DevReady>();
  const body = inferenceBody("ETH", { number_of_nodes: workers, timeout: 10 });
  const latencies: number[] = [];
  for (let index = 0; index < WARMUP_REQUESTS + REQUESTS; index++) {
    const started = performance.now();
    const response = (await execute(ready.rest, body)).body;
    const elapsed = performance.now() - started;
    if (response.code !== "200" || response.results?.[0].peers.length !== workers) {
      throw new Error(`unexpected response ${JSON.stringify(response)}`);
    }
    infererValue(response.results[0].result.stdout);
    if (index >= WARMUP_REQUESTS) latencies.push(elapsed);
  }
  await dev.stop();
  return latencies;
}

/** Times `python3 main.py` alone, the model's share of every request. */
async function modelAlone(processes: Processes): Promise<number[]> {
  const project = join(processes.tempDir, `latency-${WORKER_COUNTS[0]}`);
  const samples: number[] = [];
  for (let index = 0; index < REQUESTS; index++) {
    const started = performance.now();
    const output = await new Deno.Command("python3", {
      args: ["main.py", "1", "1", "", "ETH"],
      cwd: project,
      stdout: "piped",
    }).output();
    samples.push(performance.now() - started);
    infererValue(new TextDecoder().decode(output.stdout));
  }
  return samples;
}

function format(summary: Summary): string {
  return `median ${summary.median.toFixed(0)} ms, p90 ${summary.p90.toFixed(0)} ms ` +
    `(min ${summary.min.toFixed(0)}, max ${summary.max.toFixed(0)})`;
}

const processes = new Processes();
try {
  console.log(
    `allora from source (${MAIN}), load average ${
      Deno.loadavg().map((load) => load.toFixed(1)).join(" ")
    }`,
  );
  // The first run after a change fills Deno's module cache; it is not counted.
  await firstInference(processes, 1);

  for (const workers of WORKER_COUNTS) {
    const runs: StepTimes[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await firstInference(processes, workers));
    const median = (key: keyof StepTimes) =>
      summarize(runs.map((entry) => entry[key])).median.toFixed(0);
    console.log(
      `init to first inference, ${workers} worker(s), median of ${RUNS}: ` +
        `${median("totalMs")} ms (init ${median("initMs")}, dev ready ${median("devMs")}, ` +
        `request ${median("requestMs")})`,
    );
  }

  for (const workers of WORKER_COUNTS) {
    const latencies = await requestLatency(processes, workers);
    console.log(
      `execute latency, ${workers} worker(s), ${REQUESTS} requests: ${
        format(summarize(latencies))
      }`,
    );
  }
  console.log(
    `python3 main.py alone, ${REQUESTS} runs: ${format(summarize(await modelAlone(processes)))}`,
  );
} catch (error) {
  processes.dump();
  throw error;
} finally {
  await processes.stopAll();
}
