/**
 * Latency of one `allora worker` subprocess seen from a scripted head in this process. It
 * times the roll call (publish to the 202 response) and the execute (send to the response) of
 * the embedded inference function, once with a minimal main.py and once with a shell script.
 * It also times how long the worker takes to re-dial a restarted head.
 *
 * Run: `deno run -A bench/worker.ts [--requests 50] [--restarts 5]`
 *
 * @module
 */
import "../node/shim.ts";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Processes } from "../testing/processes.ts";
import { type ScriptedHead, startScriptedHead, waitUntil } from "../testing/scripted_head.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";
import { startWorkerProcess } from "../testing/worker_process.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    requests: { type: "string", default: "50" },
    restarts: { type: "string", default: "5" },
  },
});
const REQUESTS = Number(values.requests);
const RESTARTS = Number(values.restarts);
const TOPIC = "allora-topic-1-worker";
const MAIN_PY = 'import json\nprint(json.dumps({"infererValue": "1.5"}))\n';
// The same output without a Python start-up, to show the worker's own share.
const INFER_SH = '#!/bin/sh\necho \'{"infererValue":"1.5"}\'\n';
const ENV = [
  { name: "ALLORA_ARG_PARAMS", value: "ETH" },
  { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1200" },
  { name: "TOPIC_ID", value: "1" },
];

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
  return `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, ` +
    `min ${sorted[0].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
}

function startWorker(processes: Processes, head: ScriptedHead, command: string) {
  return startWorkerProcess(processes, {
    name: `worker (${command})`,
    headAddress: head.address,
    project: processes.tempDir,
    logLevel: "warn",
    args: [
      "--inference-command",
      command,
      "--private-key",
      join(processes.tempDir, command.replaceAll(" ", "_"), "priv.bin"),
    ],
  });
}

async function measureRequests(head: ScriptedHead, peerId: string) {
  const rollCalls: number[] = [];
  const executes: number[] = [];
  for (let index = 0; index < REQUESTS + 5; index++) {
    const requestId = crypto.randomUUID();
    let started = performance.now();
    await head.rollCall(TOPIC, { functionId: FUNCTION_ID, requestId });
    await head.waitFor(({ message }) =>
      message.type === "MsgRollCallResponse" && message.request_id === requestId
    );
    const rollCallMs = performance.now() - started;

    started = performance.now();
    await head.execute(peerId, {
      request_id: requestId,
      function_id: FUNCTION_ID,
      method: FUNCTION_METHOD,
      topic: TOPIC,
      config: { env_vars: ENV },
    });
    const { message } = await head.waitFor(({ message }) =>
      message.type === "MsgExecuteResponse" && message.request_id === requestId
    );
    if ((message as { code: string }).code !== "200") {
      throw new Error(`unexpected response ${JSON.stringify(message)}`);
    }
    // The first runs install the function and warm the module cache.
    if (index < 5) continue;
    rollCalls.push(rollCallMs);
    executes.push(performance.now() - started);
  }
  return { rollCalls, executes };
}

async function measureRedial(processes: Processes): Promise<number[]> {
  let head = await startScriptedHead();
  const { ready } = await startWorker(processes, head, "sh infer.sh");
  const samples: number[] = [];
  try {
    await waitUntil(() => head.host.isConnected(ready.peer_id), "the first connection");
    for (let index = 0; index < RESTARTS; index++) {
      const { privateKey, address } = head;
      await head.stop();
      head = await startScriptedHead({
        privateKey,
        listen: `/ip4/127.0.0.1/tcp/${address.split("/")[4]}`,
      });
      const started = performance.now();
      await waitUntil(() => head.host.isConnected(ready.peer_id), "the re-dial", 120_000);
      samples.push(performance.now() - started);
    }
  } finally {
    await head.stop();
  }
  return samples;
}

const processes = new Processes();
try {
  await Deno.writeTextFile(join(processes.tempDir, "main.py"), MAIN_PY);
  await Deno.writeTextFile(join(processes.tempDir, "infer.sh"), INFER_SH);
  for (const command of ["python3 main.py", "sh infer.sh"]) {
    const head = await startScriptedHead();
    try {
      const { ready } = await startWorker(processes, head, command);
      const { rollCalls, executes } = await measureRequests(head, ready.peer_id);
      console.log(`inference command: ${command}`);
      console.log(`  roll call -> 202:       ${summary(rollCalls)}`);
      console.log(`  execute -> response:    ${summary(executes)}`);
    } finally {
      await head.stop();
    }
  }
  console.log(`head restart -> re-dialed: ${summary(await measureRedial(processes))}`);
} catch (error) {
  processes.dump();
  throw error;
} finally {
  await processes.stopAll();
}
Deno.exit(0);
