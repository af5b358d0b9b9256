/**
 * `allora head` as a real subprocess with scripted workers over libp2p on 127.0.0.1: worker
 * selection, aggregation, concurrent requests, roll-call failures and the result endpoint.
 */
import assert from "node:assert/strict";
import { awaitWorkers, postJson, withProcesses } from "../testing/processes.ts";

const FUNCTION = {
  function_id: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  method: "inference.wasm",
};
const EXECUTE = "/api/v1/functions/execute";
const TOPIC = "allora-topic-1-worker";

interface Entry {
  result: { stdout: string; stderr: string; exit_code: number };
  peers: string[];
  frequency: number;
}

Deno.test("head selects N workers and aggregates identical output", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const address = ready.multiaddrs[0];
    await Promise.all(
      [1, 2, 3].map(() =>
        processes.worker(address, { topics: [TOPIC], stdout: "topic {topic_id}" })
      ),
    );

    const { status, body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "1",
      config: { number_of_nodes: 2, timeout: 20 },
    });

    assert.equal(status, 200);
    assert.equal(body.code, "200");
    assert.match(String(body.request_id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    const peers = (body.cluster as { peers: string[] }).peers;
    assert.equal(peers.length, 2);
    const results = body.results as Entry[];
    assert.equal(results.length, 1);
    assert.equal(results[0].result.stdout, "topic 1");
    assert.equal(results[0].frequency, 100);
    assert.deepEqual([...results[0].peers].sort(), [...peers].sort());
    assert.equal(body.message, undefined);
  });
});

Deno.test("head with number_of_nodes -1 waits the window and takes all", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const address = ready.multiaddrs[0];
    await Promise.all([1, 2].map(() => processes.worker(address, { topics: [TOPIC] })));
    await awaitWorkers(ready.rest, "1", 2);

    const started = performance.now();
    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "1",
      config: { number_of_nodes: -1, timeout: 3 },
    });
    const elapsedMs = performance.now() - started;

    assert.equal(body.code, "200");
    assert.equal((body.cluster as { peers: string[] }).peers.length, 2);
    assert.ok(elapsedMs >= 2900, `answered after ${elapsedMs} ms, before the 3 s window ended`);
  });
});

Deno.test("head aggregates differing outputs by frequency", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const address = ready.multiaddrs[0];
    await Promise.all([
      processes.worker(address, { topics: [TOPIC], stdout: "same" }),
      processes.worker(address, { topics: [TOPIC], stdout: "same" }),
      processes.worker(address, { topics: [TOPIC], stdout: "other", exitCode: 3 }),
    ]);
    await awaitWorkers(ready.rest, "1", 3);

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "1",
      config: { number_of_nodes: 3, timeout: 30 },
    });

    assert.equal(body.code, "200");
    const results = body.results as Entry[];
    assert.equal(results.length, 2);
    assert.deepEqual(results[0].result, { stdout: "same", stderr: "", exit_code: 0 });
    assert.equal(results[0].peers.length, 2);
    assert.equal(results[0].frequency, 200 / 3);
    assert.deepEqual(results[1].result, { stdout: "other", stderr: "", exit_code: 3 });
    assert.equal(results[1].frequency, 100 / 3);
  });
});

Deno.test("head keeps concurrent requests apart", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const address = ready.multiaddrs[0];
    await Promise.all(
      [1, 2].map(() =>
        processes.worker(address, {
          topics: [TOPIC],
          stdout: "param={param}",
          mode: "slow",
          delayMs: 300,
        })
      ),
    );
    await awaitWorkers(ready.rest, "1", 2);

    const request = (value: string) =>
      postJson(ready.rest, EXECUTE, {
        ...FUNCTION,
        topic: "1",
        parameters: [{ name: "arg", value }],
        config: { number_of_nodes: 2, timeout: 30 },
      });
    const [first, second] = await Promise.all([request("first"), request("second")]);

    assert.notEqual(first.body.request_id, second.body.request_id);
    assert.equal(first.body.code, "200");
    assert.equal(second.body.code, "200");
    assert.deepEqual((first.body.results as Entry[]).map((entry) => entry.result.stdout), [
      "param=first",
    ]);
    assert.deepEqual((second.body.results as Entry[]).map((entry) => entry.result.stdout), [
      "param=second",
    ]);
  });
});

Deno.test("head answers 408 when fewer workers than requested respond", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const address = ready.multiaddrs[0];
    await Promise.all([1, 2].map(() => processes.worker(address, { topics: [TOPIC] })));
    await awaitWorkers(ready.rest, "1", 2);

    const { status, body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "1",
      config: { number_of_nodes: 3, timeout: 3 },
    });

    assert.equal(status, 200);
    assert.equal(body.code, "408");
    assert.equal(body.message, "roll call timed out: 2 of 3 requested nodes responded");
    assert.deepEqual(body.cluster, {});
    assert.equal(body.results, undefined);
    assert.ok(body.request_id);
  });
});

Deno.test("head answers 408 when no worker subscribes to the topic", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    await processes.worker(ready.multiaddrs[0], { topics: [TOPIC] });

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "99",
      config: { timeout: 1 },
    });

    assert.equal(body.code, "408");
    assert.equal(body.message, "no workers subscribed to allora-topic-99-worker");
  });
});

Deno.test("head serves a finished request from the result endpoint", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    await processes.worker(ready.multiaddrs[0], { topics: [TOPIC], stdout: "42" });
    const executed = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "1",
      config: { number_of_nodes: 1, timeout: 30 },
    });
    assert.equal(executed.body.code, "200");

    const found = await postJson(ready.rest, "/api/v1/functions/requests/result", {
      id: executed.body.request_id,
    });
    const missing = await postJson(ready.rest, "/api/v1/functions/requests/result", {
      id: crypto.randomUUID(),
    });

    assert.equal(found.status, 200);
    assert.deepEqual(found.body, executed.body);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: "result not found" });
  });
});

Deno.test("head install publishes and collects acknowledgements", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    const worker = await processes.worker(ready.multiaddrs[0], { topics: [TOPIC] });
    const workerId = JSON.parse(worker.stdout.split("\n")[0]).peer_id;

    const { status, body } = await postJson(ready.rest, "/api/v1/functions/install", {
      cid: FUNCTION.function_id,
      wait_ms: 1500,
    });

    assert.equal(status, 200);
    assert.equal(body.code, "200");
    assert.deepEqual(body.installed, [workerId]);
  });
});
