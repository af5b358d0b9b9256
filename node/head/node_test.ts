import assert from "node:assert/strict";
import { answerWith, FakeNetwork } from "../../testing/fake_network.ts";
import type { MsgExecute } from "../p2p/messages.ts";
import { planExecution } from "./job.ts";
import { HeadNode } from "./node.ts";
import type { ExecutionJob } from "./types.ts";

const LIMITS = { maxNodes: 100, maxRollCallTimeoutMs: 60_000 };

function job(config: Record<string, unknown> = {}): ExecutionJob {
  return planExecution({
    function_id: "bafy",
    method: "f.wasm",
    topic: "1",
    config: { timeout: 1, ...config },
  }, LIMITS);
}

function startHead(network: FakeNetwork, executionTimeoutMs = 500): HeadNode {
  return new HeadNode({ network, executionTimeoutMs, healthCheckIntervalMs: 0 });
}

Deno.test("HeadNode.execute() stops the roll call at N and sends executes", async () => {
  const network = new FakeNetwork();
  for (const peer of ["w1", "w2", "w3"]) network.addWorker(peer, { execute: answerWith("42") });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 2, consensus_algorithm: "raft" }));

    assert.equal(body.code, "200");
    assert.deepEqual(body.cluster, { peers: ["w1", "w2"] });
    assert.deepEqual(body.results, [{
      result: { stdout: "42", stderr: "", exit_code: 0 },
      peers: ["w1", "w2"],
      frequency: 100,
    }]);
    assert.match(body.message!, /consensus 'raft' is not supported/);
    const rollCall = network.published[0];
    assert.equal(rollCall.topic, "allora-topic-1-worker");
    assert.deepEqual(rollCall.message, {
      type: "MsgRollCall",
      origin: network.peerId,
      function_id: "bafy",
      request_id: body.request_id,
      consensus: 0,
      attributes: undefined,
    });
    const executes = network.sent.map((entry) => entry.message as MsgExecute);
    assert.deepEqual(network.sent.map((entry) => entry.peer), ["w1", "w2"]);
    assert.equal(executes[0].topic, "allora-topic-1-worker");
    assert.deepEqual(executes[0].reporting_peers, ["w1", "w2"]);
    assert.equal(executes[0].config.consensus_algorithm, undefined);
    assert.deepEqual(executes[0].config.env_vars, [{ name: "TOPIC_ID", value: "1" }]);
  } finally {
    head.close();
  }
});

// Calls `reply` with the base of a roll-call response each time the head publishes a roll call.
function onRollCall(
  network: FakeNetwork,
  reply: (base: { type: "MsgRollCallResponse"; request_id: string }) => void,
): void {
  const originalPublish = network.publish.bind(network);
  network.publish = (topic, message) => {
    if (message.type === "MsgRollCall") {
      reply({ type: "MsgRollCallResponse", request_id: message.request_id });
    }
    return originalPublish(topic, message);
  };
}

Deno.test("HeadNode.execute() ignores invalid roll call responses", async () => {
  const network = new FakeNetwork();
  network.addWorker("good", { execute: answerWith("ok") });
  const head = startHead(network);
  // Invalid replies arrive before the real one: wrong function, wrong code, unknown peer, duplicate.
  onRollCall(network, (reply) => {
    network.deliver({ ...reply, code: "202", function_id: "other" }, "good");
    network.deliver({ ...reply, code: "500", function_id: "bafy" }, "good");
    network.deliver({ ...reply, code: "202", function_id: "bafy" }, "stranger");
    network.deliver({ ...reply, code: "202", function_id: "bafy" }, "good");
    network.deliver({ ...reply, code: "202", function_id: "bafy" }, "good");
  });
  try {
    const body = await head.execute(job({ number_of_nodes: -1, timeout: 1 }));

    assert.equal(body.code, "200");
    assert.deepEqual(body.cluster.peers, ["good"]);
    assert.equal(network.sent.length, 1);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() answers 408 and releases responders", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1");
  network.addWorker("w2", { acceptRollCall: false });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 2, timeout: 1 }));

    assert.equal(body.code, "408");
    assert.equal(body.message, "roll call timed out: 1 of 2 requested nodes responded");
    assert.deepEqual(body.cluster, {});
    assert.equal(network.sent.filter(({ message }) => message.type === "MsgExecute").length, 0);

    // The worker that accepted is told to free the slot it reserved.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const releases = network.sent.filter(({ message }) => message.type === "MsgDisbandCluster");
    assert.deepEqual(releases.map(({ peer }) => peer), ["w1"]);
    assert.deepEqual(releases[0].message, {
      type: "MsgDisbandCluster",
      request_id: body.request_id,
    });
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() answers 408 when the topic has no subscribers", async () => {
  const network = new FakeNetwork();
  const head = startHead(network);
  try {
    const body = await head.execute(job());
    assert.equal(body.code, "408");
    assert.equal(body.message, "no workers subscribed to allora-topic-1-worker");
    assert.equal(network.published.length, 0);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() counts failed sends in the denominator", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", { execute: answerWith("x") });
  network.addWorker("w2", { failSend: true });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 2 }));

    assert.equal(body.code, "206");
    assert.equal(
      body.message,
      "1 of 2 selected workers returned results, below the threshold 0.6 (1 could not be reached)",
    );
    assert.deepEqual(body.cluster.peers, ["w1", "w2"]);
    const failures = await head.metrics.sendFailures.get();
    assert.equal(failures.values[0].value, 1);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() stops waiting for a disconnected worker", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", { execute: answerWith("x") });
  network.addWorker("w2", { disconnectOnExecute: true });
  const head = startHead(network, 60_000);
  try {
    const started = performance.now();
    const body = await head.execute(job({ number_of_nodes: 2, threshold: 0.5 }));

    assert.equal(body.code, "200");
    assert.ok(performance.now() - started < 30_000);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() ignores a response without the sender's result", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", {
    execute: (message) => ({
      type: "MsgExecuteResponse",
      request_id: message.request_id,
      code: "200",
      results: {},
    }),
  });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 1 }));
    assert.equal(body.code, "204");
    assert.equal(body.results, undefined);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() takes only results of its own request", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", {
    execute: (message, peer) => {
      // A stray reply for another request arrives first; it must not count.
      const stray = answerWith("stray")!({ ...message, request_id: "other" }, peer)!;
      network.deliver(stray, peer);
      return answerWith("mine")!(message, peer);
    },
  });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 1 }));
    assert.deepEqual(body.results?.map((entry) => entry.result.stdout), ["mine"]);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.close() answers in-flight requests with 500", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1");
  const head = startHead(network, 60_000);
  const pending = head.execute(job({ number_of_nodes: 1 }));
  while (network.sent.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

  head.close();
  const body = await pending;

  assert.equal(body.code, "500");
  assert.equal(body.message, "request abandoned: the head node is shutting down");
  const after = await head.execute(job());
  assert.equal(after.code, "500");
});

Deno.test("HeadNode.result() returns finished responses by request id", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", { execute: answerWith("x") });
  const head = startHead(network);
  try {
    const body = await head.execute(job({ number_of_nodes: 1 }));
    assert.deepEqual(head.result(body.request_id), body);
    assert.equal(head.result("unknown"), undefined);
    const metrics = await head.renderMetrics();
    assert.match(metrics.body, /allora_head_requests_total\{code="200"\} 1/);
    assert.match(metrics.body, /allora_head_connected_workers 1/);
    assert.match(metrics.body, /allora_head_request_duration_seconds_count 1/);
  } finally {
    head.close();
  }
});

Deno.test("HeadNode publishes health checks on the general topic", async () => {
  const network = new FakeNetwork();
  const head = new HeadNode({ network, healthCheckIntervalMs: 10 });
  try {
    while (network.published.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(network.published[0], {
      topic: "blockless/b7s/general",
      message: { type: "MsgHealthCheck", code: 200 },
    });
  } finally {
    head.close();
  }
});

Deno.test("HeadNode.execute() names workers that declined the roll call", async () => {
  const network = new FakeNetwork();
  network.addWorker("w1", { acceptRollCall: false });
  const head = startHead(network);
  onRollCall(
    network,
    (reply) => network.deliver({ ...reply, code: "500", function_id: "bafy" }, "w1"),
  );
  try {
    const body = await head.execute(job({ number_of_nodes: -1, timeout: 1 }));

    assert.equal(body.code, "408");
    assert.match(body.message ?? "", /1 worker declined with code 500/);
  } finally {
    head.close();
  }
});
