import "../shim.ts";
import assert from "node:assert/strict";
import { createHost } from "../p2p/host.ts";
import { generateIdentity } from "../p2p/identity.ts";
import type { MsgExecuteResponse, MsgFormClusterResponse } from "../p2p/messages.ts";
import { startWorkerNode, type WorkerNode } from "./node.ts";
import { parseBootNode } from "./boot.ts";
import {
  BlockingExecutor,
  FakeExecutor,
  FakeInstaller,
  okRun,
} from "../../testing/worker_fakes.ts";
import { type ScriptedHead, startScriptedHead, waitUntil } from "../../testing/scripted_head.ts";
import type { Executor } from "./ports.ts";
import { createLogger, silentLogger } from "../log.ts";

const TOPIC = "allora-topic-1-worker";

async function startWorker(
  head: ScriptedHead,
  { executor = new FakeExecutor() as Executor, concurrency = 2, logger = silentLogger } = {},
): Promise<WorkerNode> {
  const host = await createHost({ privateKey: (await generateIdentity()).privateKey });
  return startWorkerNode({
    host,
    executor,
    installer: new FakeInstaller(["bafyfunction"]),
    topics: [TOPIC],
    bootNodes: [parseBootNode(head.address)],
    concurrency,
    logger,
  });
}

Deno.test("startWorkerNode() accepts a roll call and returns the execution", async () => {
  const head = await startScriptedHead();
  const executor = new FakeExecutor(() => okRun('{"infererValue":"42"}\n'));
  const worker = await startWorker(head, { executor });
  try {
    const requestId = await head.rollCall(TOPIC);
    const answer = await head.waitFor(({ message }) => message.type === "MsgRollCallResponse");
    assert.equal(answer.from, worker.peerId);
    assert.deepEqual(answer.message, {
      type: "MsgRollCallResponse",
      code: "202",
      function_id: "bafyfunction",
      request_id: requestId,
    });

    await head.execute(worker.peerId, {
      request_id: requestId,
      config: { env_vars: [{ name: "TOPIC_ID", value: "1" }] },
    });
    const { message } = await head.waitFor(({ message }) => message.type === "MsgExecuteResponse");
    const response = message as MsgExecuteResponse;
    assert.equal(response.code, "200");
    assert.equal(response.results?.[worker.peerId]?.result.stdout, '{"infererValue":"42"}\n');
    assert.equal(executor.requests[0].requestId, requestId);
  } finally {
    await worker.stop();
    await head.stop();
  }
});

Deno.test("startWorkerNode() declines a cluster with 501", async () => {
  const head = await startScriptedHead();
  const worker = await startWorker(head);
  try {
    await waitUntil(() => head.host.isConnected(worker.peerId), "the worker to connect");
    await head.host.send(worker.peerId, {
      type: "MsgFormCluster",
      request_id: "r1",
      peers: [worker.peerId],
      consensus: 2,
    });
    const { message } = await head.waitFor(({ message }) =>
      message.type === "MsgFormClusterResponse"
    );
    assert.equal((message as MsgFormClusterResponse).code, "501");
  } finally {
    await worker.stop();
    await head.stop();
  }
});

Deno.test("startWorkerNode() stays silent while its slots are busy", async () => {
  const head = await startScriptedHead();
  const executor = new BlockingExecutor();
  const lines: string[] = [];
  const logger = createLogger({ format: "json", write: (line) => lines.push(line) });
  const worker = await startWorker(head, { executor, concurrency: 1, logger });
  try {
    const first = await head.rollCall(TOPIC);
    await head.waitFor(({ message }) => message.type === "MsgRollCallResponse");
    await head.execute(worker.peerId, { request_id: first });
    await waitUntil(() => executor.started.length === 1, "the execution to start");

    const second = await head.rollCall(TOPIC);
    await waitUntil(
      () => lines.some((line) => line.includes("roll call ignored") && line.includes(second)),
      "the worker to skip the second roll call",
    );
    executor.finish();
    await head.waitFor(({ message }) => message.type === "MsgExecuteResponse");

    const third = await head.rollCall(TOPIC);
    await head.waitFor(({ message }) =>
      message.type === "MsgRollCallResponse" && message.request_id === third
    );
    const answered = head.received.filter(({ message }) => message.type === "MsgRollCallResponse")
      .map(({ message }) => (message as { request_id: string }).request_id);
    assert.deepEqual(answered, [first, third]);
  } finally {
    await worker.stop();
    await head.stop();
  }
});

Deno.test("startWorkerNode() re-dials its boot node after a head restart", async () => {
  let head = await startScriptedHead();
  const worker = await startWorker(head);
  const { privateKey, address } = head;
  try {
    await waitUntil(() => head.host.isConnected(worker.peerId), "the first connection");
    await head.stop();
    const port = address.split("/")[4];
    head = await startScriptedHead({ privateKey, listen: `/ip4/127.0.0.1/tcp/${port}` });
    await waitUntil(() => head.host.isConnected(worker.peerId), "the re-dial", 60_000);
    await head.rollCall(TOPIC);
    const answer = await head.waitFor(({ message }) => message.type === "MsgRollCallResponse");
    assert.equal(answer.from, worker.peerId);
  } finally {
    await worker.stop();
    await head.stop();
  }
});
