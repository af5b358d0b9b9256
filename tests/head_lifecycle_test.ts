/**
 * `allora head` process lifecycle: identity reuse across restarts, clean shutdown on SIGTERM
 * with a request in flight, and settings from config.yaml.
 */
import assert from "node:assert/strict";
import { postJson, withProcesses } from "../testing/processes.ts";

Deno.test("head reuses its private key across restarts", async () => {
  await withProcesses(async (processes) => {
    const first = await processes.head(["--private-key", "keys/priv.bin"], "first head");
    assert.equal((await first.process.stop()).code, 0);

    const second = await processes.head(["--private-key", "keys/priv.bin"], "second head");

    assert.equal(second.ready.peer_id, first.ready.peer_id);
    const stat = await Deno.stat(`${processes.tempDir}/keys/priv.bin`);
    assert.equal(stat.mode! & 0o777, 0o600);
  });
});

Deno.test("head exits with 0 on SIGTERM and fails in-flight requests", async () => {
  await withProcesses(async (processes) => {
    const { process, ready } = await processes.head(["--execution-timeout", "60s"]);
    await processes.worker(ready.multiaddrs[0], {
      topics: ["allora-topic-1-worker"],
      mode: "never",
    });
    const pending = postJson(ready.rest, "/api/v1/functions/execute", {
      function_id: "bafy",
      method: "inference.wasm",
      topic: "1",
      config: { number_of_nodes: 1, timeout: 30 },
    });
    // After the roll call the request waits on a worker that never replies.
    await waitFor(() => process.stderr.includes("roll call succeeded"), 30_000);

    const started = performance.now();
    const status = await process.stop("SIGTERM");
    const exitMs = performance.now() - started;
    const { body } = await pending;

    assert.equal(status.code, 0);
    assert.ok(exitMs < 10_000, `exit took ${exitMs} ms`);
    assert.equal(body.code, "500");
    assert.equal(body.message, "request abandoned: the head node is shutting down");
    assert.match(process.stderr, /head node stopped/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test("head reads limits from its config file", async () => {
  await withProcesses(async (processes) => {
    await Deno.writeTextFile(
      `${processes.tempDir}/config.yaml`,
      "name: demo\ntopic: 1\nhead:\n  max_nodes: 3\n",
    );
    const { ready } = await processes.head();

    const { status, body } = await postJson(ready.rest, "/api/v1/functions/execute", {
      function_id: "bafy",
      method: "inference.wasm",
      config: { number_of_nodes: 4 },
    });

    assert.equal(status, 400);
    assert.equal(body.message, "invalid config.number_of_nodes 4: this head allows at most 3");
  });
});
