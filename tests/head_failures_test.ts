/**
 * `allora head` as a real subprocess with misbehaving scripted workers: silence, slowness and
 * disconnection in the middle of a request.
 */
import assert from "node:assert/strict";
import { awaitWorkers, postJson, withProcesses } from "../testing/processes.ts";

const FUNCTION = {
  function_id: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  method: "inference.wasm",
};
const EXECUTE = "/api/v1/functions/execute";
const TOPIC = "allora-topic-7-worker";

Deno.test("head answers 206 when a worker never returns a result", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head(["--execution-timeout", "2s"]);
    const address = ready.multiaddrs[0];
    await processes.worker(address, { topics: [TOPIC], stdout: "done" });
    await processes.worker(address, { topics: [TOPIC], mode: "never" });
    await awaitWorkers(ready.rest, "7", 2);

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "7",
      config: { number_of_nodes: 2, timeout: 30 },
    });

    assert.equal(body.code, "206");
    assert.equal(
      body.message,
      "1 of 2 selected workers returned results, below the threshold 0.6 (1 did not answer within 2000 ms)",
    );
    assert.equal((body.results as unknown[]).length, 1);
    assert.equal((body.cluster as { peers: string[] }).peers.length, 2);
  });
});

Deno.test("head answers 204 when no selected worker returns a result", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head(["--execution-timeout", "1s"]);
    await processes.worker(ready.multiaddrs[0], { topics: [TOPIC], mode: "never" });

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "7",
      config: { number_of_nodes: 1, timeout: 30 },
    });

    assert.equal(body.code, "204");
    assert.equal(
      body.message,
      "no results from 1 selected workers (1 did not answer within 1000 ms)",
    );
    assert.equal(body.results, undefined);
  });
});

Deno.test("head stops waiting for a worker that disconnects mid-request", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head(["--execution-timeout", "60s"]);
    const address = ready.multiaddrs[0];
    await processes.worker(address, { topics: [TOPIC], stdout: "done" });
    await processes.worker(address, { topics: [TOPIC], mode: "disconnect" });
    // No awaitWorkers here: its probe would make the disconnecting worker exit.

    const started = performance.now();
    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "7",
      config: { number_of_nodes: 2, timeout: 30 },
    });
    const elapsedMs = performance.now() - started;

    assert.equal(body.code, "206");
    assert.equal(
      body.message,
      "1 of 2 selected workers returned results, below the threshold 0.6 (1 disconnected)",
    );
    assert.equal((body.results as unknown[]).length, 1);
    assert.ok(elapsedMs < 30_000, `took ${elapsedMs} ms: the head waited for the lost worker`);
  });
});

Deno.test("head waits for a slow worker within the execution timeout", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head(["--execution-timeout", "30s"]);
    await processes.worker(ready.multiaddrs[0], {
      topics: [TOPIC],
      mode: "slow",
      delayMs: 1500,
      stdout: "late",
    });

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "7",
      config: { number_of_nodes: 1, timeout: 30 },
    });

    assert.equal(body.code, "200");
    assert.equal((body.results as Array<{ result: { stdout: string } }>)[0].result.stdout, "late");
  });
});

Deno.test("head runs consensus requests without consensus and says so", async () => {
  await withProcesses(async (processes) => {
    const { ready } = await processes.head();
    await processes.worker(ready.multiaddrs[0], { topics: [TOPIC], stdout: "plain" });

    const { body } = await postJson(ready.rest, EXECUTE, {
      ...FUNCTION,
      topic: "7",
      config: { number_of_nodes: 1, timeout: 30, consensus_algorithm: "PBFT" },
    });

    assert.equal(body.code, "200");
    assert.equal(
      body.message,
      "consensus 'pbft' is not supported by this head: executed without consensus",
    );
    assert.equal((body.results as unknown[]).length, 1);
  });
});
