/**
 * `allora worker` as a real subprocess against a scripted head in this process, over libp2p
 * on 127.0.0.1. The worker runs the embedded Allora inference function, which calls a small
 * main.py through the built-in `cgi-allora-infer` extension.
 */
import "../node/shim.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../testing/temp_dir.ts";
import { type ScriptedHead, startScriptedHead, waitUntil } from "../testing/scripted_head.ts";
import { spawnWorker, type WorkerProcess } from "../testing/worker_process.ts";
import type { MsgExecute, MsgExecuteResponse, NameValue } from "../node/p2p/messages.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";

const TOPIC = "allora-topic-1-worker";
// Nothing listens on the discard port, so a stray network install fails at once on loopback.
const GATEWAY = "http://127.0.0.1:9/{cid}/manifest.json";

// The model: its last argument (ALLORA_ARG_PARAMS) picks the behaviour.
const MAIN_PY = `import json, sys, time
arg = sys.argv[-1]
if arg == "number":
    print(json.dumps({"infererValue": 2514.37}))
elif arg == "sleep":
    open("started", "w").close()
    time.sleep(60)
else:
    print(json.dumps({"infererValue": "2514.37", "topic": sys.argv[1], "height": sys.argv[2]}))
`;

interface Setup {
  head: ScriptedHead;
  worker: WorkerProcess;
  dir: string;
}

async function withWorker(
  extraArgs: string[],
  body: (setup: Setup) => Promise<void>,
): Promise<void> {
  await using dir = await tempDir();
  await Deno.writeTextFile(join(dir.path, "main.py"), MAIN_PY);
  const head = await startScriptedHead();
  let worker: WorkerProcess | undefined;
  try {
    worker = await spawnWorker([
      "--boot-nodes",
      head.address,
      "--topic",
      "1",
      "--gateway",
      GATEWAY,
      "--project",
      dir.path,
      "--workspace",
      join(dir.path, "workspace"),
      "--private-key",
      join(dir.path, "key", "priv.bin"),
      ...extraArgs,
    ], { cwd: dir.path });
    await body({ head, worker, dir: dir.path });
  } catch (error) {
    if (worker) console.error(`worker log:\n${worker.stderr()}`);
    throw error;
  } finally {
    await worker?.stop("SIGKILL");
    await head.stop();
  }
}

function inferenceEnv(arg: string): NameValue[] {
  return [
    { name: "ALLORA_ARG_PARAMS", value: arg },
    { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1200" },
    { name: "TOPIC_ID", value: "1" },
  ];
}

function executeFields(
  requestId: string,
  arg: string,
): Partial<MsgExecute> & { request_id: string } {
  return {
    request_id: requestId,
    function_id: FUNCTION_ID,
    method: FUNCTION_METHOD,
    topic: TOPIC,
    config: { env_vars: inferenceEnv(arg) },
  };
}

async function executeResponse(head: ScriptedHead, requestId: string): Promise<MsgExecuteResponse> {
  const { message } = await head.waitFor(({ message }) =>
    message.type === "MsgExecuteResponse" && message.request_id === requestId
  );
  return message as MsgExecuteResponse;
}

function rollCallAnswered(head: ScriptedHead, requestId: string): boolean {
  return head.received.some(({ message }) =>
    message.type === "MsgRollCallResponse" && message.request_id === requestId
  );
}

Deno.test("allora worker runs the inference function for a head", async () => {
  await withWorker([], async ({ head, worker }) => {
    const requestId = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    const answer = await head.waitFor(({ message }) => message.type === "MsgRollCallResponse");
    assert.equal(answer.from, worker.ready.peer_id);
    assert.equal((answer.message as { code: string }).code, "202");

    await head.execute(worker.ready.peer_id, executeFields(requestId, "ETH"));
    const response = await executeResponse(head, requestId);
    const result = response.results?.[worker.ready.peer_id];
    assert.ok(result, JSON.stringify(response));
    assert.equal(result.code, "200");
    assert.equal(result.result.exit_code, 0);
    const output = JSON.parse(result.result.stdout);
    assert.deepEqual(output, { infererValue: "2514.37", topic: "1", height: "1200" });
    assert.ok((result.usage.wall_clock_time ?? 0) > 0);
  });
});

Deno.test("allora worker rejects invalid inference output", async () => {
  await withWorker([], async ({ head, worker }) => {
    await waitUntil(() => head.host.isConnected(worker.ready.peer_id), "the worker to connect");
    await head.execute(worker.ready.peer_id, executeFields("r-number", "number"));
    const result = (await executeResponse(head, "r-number")).results?.[worker.ready.peer_id];
    assert.equal(result?.code, "500");
    assert.match(
      JSON.parse(result?.result.stdout ?? "{}").error,
      /^invalid inference output: infererValue must be a decimal string, found number 2514\.37/,
    );
  });
});

Deno.test("allora worker responds 404 for a missing function", async () => {
  await withWorker([], async ({ head, worker }) => {
    await waitUntil(() => head.host.isConnected(worker.ready.peer_id), "the worker to connect");
    await head.execute(worker.ready.peer_id, {
      ...executeFields("r-missing", "ETH"),
      function_id: "bafymissingfunction",
    });
    const response = await executeResponse(head, "r-missing");
    assert.equal(response.code, "404");
    assert.equal(response.results?.[worker.ready.peer_id]?.code, "404");
  });
});

Deno.test("allora worker ignores roll calls while its slot is reserved", async () => {
  await withWorker(["--concurrency", "1"], async ({ head, worker }) => {
    const first = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(() => rollCallAnswered(head, first), "the first roll call response");

    const second = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(
      () => worker.stderr().includes("roll call ignored") && worker.stderr().includes(second),
      "the worker to ignore the second roll call",
    );

    await head.execute(worker.ready.peer_id, executeFields(first, "ETH"));
    assert.equal((await executeResponse(head, first)).code, "200");
    const third = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(() => rollCallAnswered(head, third), "the third roll call response");
    assert.equal(rollCallAnswered(head, second), false);
  });
});

Deno.test("allora worker re-dials a restarted head", async () => {
  await withWorker([], async ({ head, worker }) => {
    await waitUntil(() => head.host.isConnected(worker.ready.peer_id), "the first connection");
    const { privateKey, address } = head;
    await head.stop();
    const port = address.split("/")[4];
    const restarted = await startScriptedHead({ privateKey, listen: `/ip4/127.0.0.1/tcp/${port}` });
    try {
      await waitUntil(
        () => restarted.host.isConnected(worker.ready.peer_id),
        "the worker to re-dial",
        90_000,
      );
      const requestId = await restarted.rollCall(TOPIC, { functionId: FUNCTION_ID });
      await waitUntil(() => rollCallAnswered(restarted, requestId), "a roll call response");
      assert.match(worker.stderr(), /boot node disconnected; re-dialing/);
    } finally {
      await restarted.stop();
    }
  });
});

Deno.test("allora worker fails running executions on SIGTERM and exits", async () => {
  await withWorker([], async ({ head, worker, dir }) => {
    await waitUntil(() => head.host.isConnected(worker.ready.peer_id), "the worker to connect");
    await head.execute(worker.ready.peer_id, executeFields("r-sleep", "sleep"));
    await waitUntil(() => existsSync(join(dir, "started")), "main.py to start", 60_000);

    const { code } = await worker.stop("SIGTERM");
    assert.equal(code, 0);
    const response = await executeResponse(head, "r-sleep");
    assert.equal(response.code, "500");
    assert.match(response.results?.[worker.ready.peer_id]?.result.stderr ?? "", /shutting down/);
  });
});
