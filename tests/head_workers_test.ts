/**
 * The whole request path with real processes on 127.0.0.1: `allora head` and three
 * `allora worker`s running the embedded inference function, which calls a small main.py.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { postJson, type Processes, READY_TIMEOUT_MS, withProcesses } from "../testing/processes.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";
import { startWorkerProcess } from "../testing/worker_process.ts";

const EXECUTE = "/api/v1/functions/execute";
const MAIN_PY = `import json, sys
print(json.dumps({"infererValue": "2514.37", "topic": sys.argv[1], "height": sys.argv[2]}))
`;
const REQUEST = {
  function_id: FUNCTION_ID,
  method: FUNCTION_METHOD,
  topic: "1",
  config: {
    env_vars: [
      { name: "ALLORA_ARG_PARAMS", value: "ETH" },
      { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1200" },
    ],
    number_of_nodes: 3,
    timeout: 5,
  },
};

async function startWorker(processes: Processes, headAddress: string, index: number) {
  const dir = processes.tempDir;
  const { ready } = await startWorkerProcess(processes, {
    name: `worker ${index}`,
    headAddress,
    project: dir,
    args: [
      "--private-key",
      join(dir, `worker-${index}`, "priv.bin"),
      "--workspace",
      join(dir, `worker-${index}`, "workspace"),
    ],
  });
  return ready;
}

// A worker's subscription reaches the head a moment after its ready line, so retry the
// request until the roll call finds all three workers.
async function executeWhenReady(rest: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (true) {
    const { status, body } = await postJson(rest, EXECUTE, REQUEST);
    assert.equal(status, 200);
    if (body.code !== "408") return body;
    if (Date.now() > deadline) throw new Error(`workers not ready: ${JSON.stringify(body)}`);
  }
}

Deno.test("head and three workers answer one request end to end", async () => {
  await withProcesses(async (processes) => {
    await Deno.writeTextFile(join(processes.tempDir, "main.py"), MAIN_PY);
    const { ready: head } = await processes.head();
    const workers = await Promise.all(
      [1, 2, 3].map((index) => startWorker(processes, head.multiaddrs[0], index)),
    );

    const body = await executeWhenReady(head.rest);

    assert.equal(body.code, "200", JSON.stringify(body));
    const peers = (body.cluster as { peers: string[] }).peers;
    assert.deepEqual([...peers].sort(), workers.map((worker) => worker.peer_id).sort());
    const results = body.results as {
      result: { stdout: string; stderr: string; exit_code: number };
      peers: string[];
      frequency: number;
    }[];
    assert.equal(results.length, 1, JSON.stringify(results));
    assert.equal(results[0].result.exit_code, 0);
    assert.deepEqual(JSON.parse(results[0].result.stdout), {
      infererValue: "2514.37",
      topic: "1",
      height: "1200",
    });
    assert.equal(results[0].peers.length, 3);
    assert.equal(results[0].frequency, 100);
  });
});
