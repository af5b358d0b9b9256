/**
 * Processes of a project's network that die: a worker killed with SIGKILL while it runs a
 * request, and a head killed and started again on the same ports with the same key. The head
 * and workers run as `allora head` and `allora worker` subprocesses with the project's config,
 * because `allora dev` stops the whole network when one of its processes exits (tested last).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type TestProcess, withProcesses } from "../testing/processes.ts";
import {
  assertNoneRunning,
  childProcesses,
  createProject,
  editConfig,
  execute,
  executeWhenServedBy,
  inferenceBody,
  infererValue,
  startDev,
  startHead,
  startWorker,
} from "../testing/flow.ts";

// With ALLORA_ARG_PARAMS "slow", the model notes its start in data/started/ and takes 3 s,
// so the test can kill a worker while main.py runs.
const SLOW_PY = `import os, runpy, sys, time
if sys.argv[-1] == "slow":
    os.makedirs("data/started", exist_ok=True)
    open(f"data/started/{os.getpid()}", "w").close()
    time.sleep(3)
    sys.argv[-1] = "ETH"
sys.argv[0] = "main.py"
runpy.run_path("main.py", run_name="__main__")
`;
// Far above the 3 s model, so a result that waits for it shows the kill went unnoticed.
const HEAD_EXECUTION_TIMEOUT_MS = 60_000;

function sorted(values: readonly string[] | undefined): string[] {
  return [...values ?? []].sort();
}

async function startedRuns(project: string): Promise<number> {
  try {
    return (await Array.fromAsync(Deno.readDir(join(project, "data", "started")))).length;
  } catch {
    return 0;
  }
}

async function slowProject(parent: string): Promise<string> {
  const project = await createProject(parent);
  await Deno.writeTextFile(join(project, "slow.py"), SLOW_PY);
  await editConfig(project, [
    [["inference", "command"], ["python3", "slow.py"]],
    [["head", "execution_timeout_ms"], HEAD_EXECUTION_TIMEOUT_MS],
  ]);
  return project;
}

/**
 * Sends a slow request to `nodes` workers, kills `victim` with SIGKILL once every selected
 * worker runs main.py, and returns the response with its duration.
 */
async function killDuringRequest(
  project: string,
  rest: string,
  nodes: number,
  victim: TestProcess,
) {
  await Deno.remove(join(project, "data", "started"), { recursive: true }).catch(() => {});
  const started = performance.now();
  const response = execute(rest, inferenceBody("slow", { number_of_nodes: nodes }));
  const deadline = Date.now() + 30_000;
  while (await startedRuns(project) < nodes) {
    assert.ok(Date.now() < deadline, "the workers did not start main.py within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  victim.child.kill("SIGKILL");
  const { body } = await response;
  return { body, elapsedMs: performance.now() - started };
}

Deno.test("network answers after a worker is killed mid-request", async (t) => {
  await withProcesses(async (processes) => {
    const project = await slowProject(processes.tempDir);
    const { ready: head } = await startHead(processes, project);
    const headAddress = head.multiaddrs[0];
    const workers: { process: TestProcess; peerId: string }[] = [];
    for (const index of [1, 2, 3]) {
      workers.push(await startWorker(processes, project, headAddress, index));
    }
    const peers = workers.map((worker) => worker.peerId);
    await executeWhenServedBy(head.rest, peers);

    await t.step("2 of 3 results pass the 0.6 threshold", async () => {
      const { body, elapsedMs } = await killDuringRequest(
        project,
        head.rest,
        3,
        workers[2].process,
      );
      assert.equal(body.code, "200", JSON.stringify(body));
      assert.deepEqual(sorted(body.cluster?.peers), sorted(peers));
      assert.equal(body.results?.length, 1);
      assert.deepEqual(sorted(body.results![0].peers), sorted(peers.slice(0, 2)));
      assert.match(infererValue(body.results![0].result.stdout), /^\d+(\.\d+)?$/);
      assert.ok(elapsedMs < HEAD_EXECUTION_TIMEOUT_MS, `took ${elapsedMs} ms`);
    });

    await t.step("1 of 2 results fall below the threshold", async () => {
      const { body, elapsedMs } = await killDuringRequest(
        project,
        head.rest,
        2,
        workers[1].process,
      );
      assert.equal(body.code, "206", JSON.stringify(body));
      assert.equal(
        body.message,
        "1 of 2 selected workers returned results, below the threshold 0.6 (1 disconnected)",
      );
      assert.deepEqual(body.results?.[0].peers, [peers[0]]);
      assert.ok(elapsedMs < HEAD_EXECUTION_TIMEOUT_MS, `took ${elapsedMs} ms`);
    });

    await t.step("the last worker keeps serving", async () => {
      const { body } = await execute(head.rest, inferenceBody("ETH", { number_of_nodes: 1 }));
      assert.equal(body.code, "200", JSON.stringify(body));
      assert.deepEqual(body.results?.[0].peers, [peers[0]]);
    });
  });
});

Deno.test("workers serve a head restarted on the same ports", async () => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    const first = await startHead(processes, project);
    const headAddress = first.ready.multiaddrs[0];
    const workers: { process: TestProcess; peerId: string }[] = [];
    for (const index of [1, 2]) {
      workers.push(await startWorker(processes, project, headAddress, index));
    }
    const peers = sorted(workers.map((worker) => worker.peerId));
    await executeWhenServedBy(first.ready.rest, peers);

    await first.process.stop("SIGKILL");
    const restPort = Number(new URL(first.ready.rest).port);
    const p2pPort = Number(/\/tcp\/(\d+)\//.exec(headAddress)![1]);
    const second = await startHead(processes, project, { restPort, p2pPort });
    assert.equal(second.ready.peer_id, first.ready.peer_id);
    assert.equal(second.ready.rest, first.ready.rest);

    await executeWhenServedBy(second.ready.rest, peers, 120_000);
    const { body: after } = await execute(
      second.ready.rest,
      inferenceBody("ETH", { number_of_nodes: 2 }),
    );
    assert.equal(after.code, "200", JSON.stringify(after));
    assert.deepEqual(sorted(after.cluster?.peers), peers);
    assert.deepEqual(sorted(after.results?.[0].peers), peers);
    for (const worker of workers) assert.equal(worker.process.status, undefined);
  });
});

Deno.test("allora dev stops every process when a worker dies", async () => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    const { process: dev } = await startDev(processes, project, ["--workers", "2"]);
    const children = await childProcesses(dev.child.pid);
    const worker = children.find((child) => child.command.includes("worker-2"));
    assert.ok(worker, JSON.stringify(children));
    assert.equal(children.length, 3, JSON.stringify(children));

    Deno.kill(worker.pid, "SIGKILL");
    const status = await dev.exited();
    assert.equal(status.code, 1);
    assert.match(dev.stderr, /worker-2 exited with code 137/);
    await assertNoneRunning(project);
  });
});
