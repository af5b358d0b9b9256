/**
 * The local flow end to end: `allora init --env dev`, `allora dev` with one and three workers
 * as real processes on 127.0.0.1, then requests from `allora request`, from HTTP with the
 * body of Allora's worker guide, and from the real `curl` binary. Every request runs the
 * project's `main.py` through the embedded inference function.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withProcesses } from "../testing/processes.ts";
import { runCli } from "../testing/cli.ts";
import {
  createProject,
  type DevReady,
  execute,
  freePort,
  guideBody,
  infererValue,
  startDev,
} from "../testing/flow.ts";
import type { ExecuteResponse } from "../cli/request.ts";

// main.py prints at most 6 decimals and never an exponent.
const DECIMAL_REGEXP = /^-?\d+(\.\d{1,6})?$/;
const HAS_CURL = await new Deno.Command("curl", { args: ["--version"], stdout: "null" }).output()
  .then((status) => status.success, () => false);

function sorted(values: readonly string[] | undefined): string[] {
  return [...values ?? []].sort();
}

/** Asserts one group of identical results, a decimal inference from exactly the dev workers. */
function assertInference(response: ExecuteResponse, ready: DevReady): void {
  assert.equal(response.code, "200", JSON.stringify(response));
  assert.equal(response.results?.length, 1, JSON.stringify(response.results));
  const [entry] = response.results!;
  assert.equal(entry.result.exit_code, 0);
  assert.match(infererValue(entry.result.stdout), DECIMAL_REGEXP);
  assert.equal(entry.frequency, 100);
  assert.deepEqual(sorted(entry.peers), sorted(ready.workers));
  assert.deepEqual(sorted(response.cluster?.peers), sorted(ready.workers));
}

Deno.test("allora dev serves requests with one worker", async (t) => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    const config = join(project, "config.yaml");
    const { ready } = await startDev(processes, project, ["--workers", "1"]);
    assert.equal(ready.workers.length, 1);
    const request = (...args: string[]) =>
      runCli(["request", "--head", ready.rest, "--config", config, ...args]);

    await t.step("allora request prints the inference", async () => {
      const result = await request("--nodes", "1");
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /code 200, 1 worker selected/);
      assert.match(result.stdout, /inference -?\d+(\.\d+)? {2}\(exit 0; 100% of answers; 1 peer\)/);
      assert.ok(result.stdout.includes(ready.workers[0]), result.stdout);
    });

    await t.step("allora request --json prints the head's response", async () => {
      const result = await request("--nodes", "1", "--json");
      assert.equal(result.code, 0, result.stderr);
      assertInference(JSON.parse(result.stdout), ready);
    });

    await t.step("the guide's execute body gets the inference", async () => {
      const { status, body } = await execute(ready.rest, guideBody());
      assert.equal(status, 200);
      assertInference(body, ready);
    });

    await t.step({
      name: "the guide's curl command gets the inference",
      ignore: !HAS_CURL,
      fn: async () => {
        const url = ready.rest.replace("127.0.0.1", "localhost");
        const output = await new Deno.Command("curl", {
          args: [
            "-s",
            "-X",
            "POST",
            `${url}/api/v1/functions/execute`,
            "-H",
            "Content-Type: application/json",
            "-d",
            JSON.stringify(guideBody()),
          ],
        }).output();
        const stdout = new TextDecoder().decode(output.stdout);
        assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
        assertInference(JSON.parse(stdout), ready);
      },
    });

    await t.step("allora request exits 1 on a failure code", async () => {
      const result = await request("--topic", "7", "--timeout", "1");
      assert.equal(result.code, 1);
      assert.match(result.stdout, /code 408/);
      assert.match(result.stdout, /no workers subscribed to allora-topic-7-worker/);
    });

    await t.step("allora request --json prints a failure response", async () => {
      const result = await request("--topic", "7", "--timeout", "1", "--json");
      assert.equal(result.code, 1);
      const response = JSON.parse(result.stdout);
      assert.equal(response.code, "408");
      assert.equal(typeof response.request_id, "string");
      assert.deepEqual(response.cluster, {});
    });
  });
});

Deno.test("allora dev serves requests with three workers", async (t) => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    const config = join(project, "config.yaml");
    const { ready } = await startDev(processes, project, ["--workers", "3"]);
    assert.equal(ready.workers.length, 3);
    assert.equal(new Set(ready.workers).size, 3, "each worker has its own peer id");

    await t.step("allora request gets one answer from every worker", async () => {
      const result = await runCli([
        "request",
        "--head",
        ready.rest,
        "--config",
        config,
        "--nodes",
        "3",
        // The request returns once 3 workers accept; the long window only helps a loaded machine.
        "--timeout",
        "10",
        "--json",
      ]);
      assert.equal(result.code, 0, result.stderr || result.stdout);
      assertInference(JSON.parse(result.stdout), ready);
    });

    await t.step("the guide's execute body reaches every worker", async () => {
      const { status, body } = await execute(ready.rest, guideBody());
      assert.equal(status, 200);
      assertInference(body, ready);
    });
  });
});

Deno.test("allora request without a head exits 1 with a hint", async () => {
  const port = freePort();
  const result = await runCli(["request", "--head", `http://127.0.0.1:${port}`]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(
    result.stderr,
    new RegExp(`Cannot reach the head at http://127\\.0\\.0\\.1:${port}`),
  );
  assert.match(result.stderr, /allora dev/);
});
