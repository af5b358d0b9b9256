/**
 * `allora worker` as a real subprocess against a scripted head in this process, over libp2p
 * on 127.0.0.1. The worker runs the embedded Allora inference function, which calls a small
 * main.py through the built-in `cgi-allora-infer` extension.
 */
import "../node/shim.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ScriptedHead, startScriptedHead, waitUntil } from "../testing/scripted_head.ts";
import { type TestProcess, withProcesses } from "../testing/processes.ts";
import { startWorkerProcess, type WorkerReady } from "../testing/worker_process.ts";
import type { MsgExecute, MsgExecuteResponse, NameValue } from "../node/p2p/messages.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";

const TOPIC = "allora-topic-1-worker";
// The runtime's test module: its first argument picks a behaviour (args, stdin, loop, …).
const PROBE = fileURLToPath(new URL("../node/runtime/testdata/probe.wasm", import.meta.url));

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
  worker: TestProcess;
  ready: WorkerReady;
  dir: string;
}

/** Starts a scripted head and `allora worker` subprocess, runs `body`, and stops both. */
async function withWorker(
  extraArgs: string[],
  body: (setup: Setup) => Promise<void>,
): Promise<void> {
  await withProcesses(async (processes) => {
    const dir = processes.tempDir;
    await Deno.writeTextFile(join(dir, "main.py"), MAIN_PY);
    const head = await startScriptedHead();
    try {
      const { process: worker, ready } = await startWorkerProcess(processes, {
        headAddress: head.address,
        project: dir,
        args: extraArgs,
      });
      await body({ head, worker, ready, dir });
    } finally {
      await head.stop();
    }
  });
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

// A roll call makes the worker install the function and reserve a slot for the request.
async function acceptedRollCall(head: ScriptedHead): Promise<string> {
  const requestId = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
  await waitUntil(() => rollCallAnswered(head, requestId), "the roll call response");
  return requestId;
}

function rollCallAnswered(head: ScriptedHead, requestId: string): boolean {
  return head.received.some(({ message }) =>
    message.type === "MsgRollCallResponse" && message.request_id === requestId
  );
}

Deno.test("allora worker runs the inference function for a head", async () => {
  await withWorker([], async ({ head, ready }) => {
    const requestId = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    const answer = await head.waitFor(({ message }) => message.type === "MsgRollCallResponse");
    assert.equal(answer.from, ready.peer_id);
    assert.equal((answer.message as { code: string }).code, "202");

    await head.execute(ready.peer_id, executeFields(requestId, "ETH"));
    const response = await executeResponse(head, requestId);
    const result = response.results?.[ready.peer_id];
    assert.ok(result, JSON.stringify(response));
    assert.equal(result.code, "200");
    assert.equal(result.result.exit_code, 0);
    const output = JSON.parse(result.result.stdout);
    assert.deepEqual(output, { infererValue: "2514.37", topic: "1", height: "1200" });
    assert.ok((result.usage.wall_clock_time ?? 0) > 0);
  });
});

Deno.test("allora worker rejects invalid inference output", async () => {
  await withWorker([], async ({ head, ready }) => {
    const requestId = await acceptedRollCall(head);
    await head.execute(ready.peer_id, executeFields(requestId, "number"));
    const result = (await executeResponse(head, requestId)).results?.[ready.peer_id];
    assert.equal(result?.code, "500");
    assert.match(
      JSON.parse(result?.result.stdout ?? "{}").error,
      /^invalid inference output: infererValue must be a decimal string, found number 2514\.37/,
    );
  });
});

Deno.test("allora worker responds 404 for a missing function", async () => {
  await withWorker([], async ({ head, ready }) => {
    await waitUntil(() => head.host.isConnected(ready.peer_id), "the worker to connect");
    await head.execute(ready.peer_id, {
      ...executeFields("r-missing", "ETH"),
      function_id: "bafymissingfunction",
    });
    const response = await executeResponse(head, "r-missing");
    assert.equal(response.code, "404");
    assert.equal(response.results?.[ready.peer_id]?.code, "404");
  });
});

Deno.test("allora worker ignores roll calls while its slot is reserved", async () => {
  await withWorker(["--concurrency", "1"], async ({ head, worker, ready }) => {
    const first = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(() => rollCallAnswered(head, first), "the first roll call response");

    const second = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(
      () => worker.stderr.includes("roll call ignored") && worker.stderr.includes(second),
      "the worker to ignore the second roll call",
    );

    await head.execute(ready.peer_id, executeFields(first, "ETH"));
    assert.equal((await executeResponse(head, first)).code, "200");
    const third = await head.rollCall(TOPIC, { functionId: FUNCTION_ID });
    await waitUntil(() => rollCallAnswered(head, third), "the third roll call response");
    assert.equal(rollCallAnswered(head, second), false);
  });
});

Deno.test("allora worker re-dials a restarted head", async () => {
  await withWorker([], async ({ head, worker, ready }) => {
    await waitUntil(() => head.host.isConnected(ready.peer_id), "the first connection");
    const { privateKey, address } = head;
    await head.stop();
    const port = address.split("/")[4];
    const restarted = await startScriptedHead({ privateKey, listen: `/ip4/127.0.0.1/tcp/${port}` });
    try {
      await waitUntil(
        () => restarted.host.isConnected(ready.peer_id),
        "the worker to re-dial",
        90_000,
      );
      const requestId = await restarted.rollCall(TOPIC, { functionId: FUNCTION_ID });
      await waitUntil(() => rollCallAnswered(restarted, requestId), "a roll call response");
      assert.match(worker.stderr, /boot node disconnected; re-dialing/);
    } finally {
      await restarted.stop();
    }
  });
});

Deno.test("allora worker fails running executions on SIGTERM and exits", async () => {
  await withWorker([], async ({ head, worker, ready, dir }) => {
    const requestId = await acceptedRollCall(head);
    await head.execute(ready.peer_id, executeFields(requestId, "sleep"));
    await waitUntil(() => existsSync(join(dir, "started")), "main.py to start", 60_000);

    const { code } = await worker.stop("SIGTERM");
    assert.equal(code, 0);
    const response = await executeResponse(head, requestId);
    assert.equal(response.code, "500");
    assert.match(response.results?.[ready.peer_id]?.result.stderr ?? "", /shutting down/);
  });
});

Deno.test("allora worker maps parameters and stdin onto a local --function", async () => {
  await withWorker(["--function", PROBE], async ({ head, ready }) => {
    assert.equal(ready.functions.length, 1);
    const functionId = ready.functions[0];
    await waitUntil(() => head.host.isConnected(ready.peer_id), "the worker to connect");

    await head.execute(ready.peer_id, {
      request_id: "r-args",
      function_id: functionId,
      method: "probe.wasm",
      parameters: [{ name: "mode", value: "args" }, { name: "empty", value: "" }, {
        name: "x",
        value: "two words",
      }],
      config: {},
    });
    const args = (await executeResponse(head, "r-args")).results?.[ready.peer_id];
    assert.equal(args?.code, "200");
    assert.equal(args?.result.stdout, "probe.wasm\nargs\ntwo words\n");

    await head.execute(ready.peer_id, {
      request_id: "r-stdin",
      function_id: functionId,
      method: "probe.wasm",
      parameters: [{ name: "mode", value: "stdin" }],
      config: { stdin: "from the request" },
    });
    const stdin = (await executeResponse(head, "r-stdin")).results?.[ready.peer_id];
    assert.equal(stdin?.result.stdout, "from the request");
  });
});

Deno.test("allora worker stops a run at --execution-timeout", async () => {
  await withWorker(
    ["--function", PROBE, "--execution-timeout", "500ms"],
    async ({ head, ready }) => {
      await waitUntil(() => head.host.isConnected(ready.peer_id), "the worker to connect");
      await head.execute(ready.peer_id, {
        request_id: "r-loop",
        function_id: ready.functions[0],
        method: "probe.wasm",
        parameters: [{ name: "mode", value: "loop" }],
        config: {},
      });
      const result = (await executeResponse(head, "r-loop")).results?.[ready.peer_id];
      assert.equal(result?.code, "500");
      assert.equal(result?.result.exit_code, 15);
      assert.equal(result?.result.stdout, "looping\n");
    },
  );
});
