/**
 * `allora dev` that cannot start: a taken REST or p2p port, a missing interpreter, an invalid
 * config.yaml, and a head or worker whose key is corrupt. Each exits 1 with a message that
 * names the problem and a hint, and leaves no process of the project running.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Processes, withProcesses } from "../testing/processes.ts";
import {
  assertNoneRunning,
  createProject,
  devArgs,
  editConfig,
  runAllora,
} from "../testing/flow.ts";
import { waitUntil } from "../testing/scripted_head.ts";

interface Failure {
  /** Changes the project or the machine; returns the extra `allora dev` arguments. */
  arrange(project: string): Promise<string[]>;
  error: RegExp;
  hint: RegExp;
}

/** Runs `allora dev` in a new project after `failure.arrange` and checks how it fails. */
async function assertDevFails(processes: Processes, failure: Failure): Promise<void> {
  const project = await createProject(processes.tempDir);
  const args = await failure.arrange(project);
  const dev = runAllora(processes, project, devArgs(["--workers", "2", ...args]));

  const status = await dev.exited();
  assert.equal(status.code, 1);
  assert.equal(dev.stdout, "", "no ready line");
  assert.match(dev.stderr, failure.error);
  assert.match(dev.stderr, failure.hint);
  await assertNoneRunning(project);
}

Deno.test("allora dev rejects a taken REST port", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: () => Promise.resolve(["--rest-api", `127.0.0.1:${port}`]),
      error: new RegExp(`error: Cannot use port ${port} on 127\\.0\\.0\\.1: it is already taken`),
      hint: /hint: stop the program using it, or pick another port with --rest-api/,
    })
  );
});

Deno.test("allora dev rejects a taken p2p port", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: () => Promise.resolve(["--port", String(port)]),
      error: new RegExp(`error: Cannot use port ${port} on 127\\.0\\.0\\.1: it is already taken`),
      hint: /hint: stop the program using it, or pick another port with --port/,
    })
  );
});

Deno.test("allora dev rejects a missing interpreter", async () => {
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: async (project) => {
        await editConfig(project, [[["inference", "command"], ["python3-allora-missing", "x.py"]]]);
        return [];
      },
      error: /error: Cannot run the inference command 'python3-allora-missing': /,
      hint: /hint: check inference\.command in config\.yaml/,
    })
  );
});

Deno.test("allora dev rejects config.yaml with a YAML error", async () => {
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: async (project) => {
        await Deno.writeTextFile(join(project, "config.yaml"), "name: flow\ntopic: [\n");
        return [];
      },
      error: /error: Cannot parse .*config\.yaml: /,
      hint: /hint: fix the YAML syntax of .*config\.yaml/,
    })
  );
});

Deno.test("allora dev rejects config.yaml with an invalid value", async () => {
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: async (project) => {
        await editConfig(project, [[["head", "port"], "ninety"]]);
        return [];
      },
      error: /error: Invalid value for 'head\.port' in .*config\.yaml: "ninety"/,
      hint: /hint: fix 'head\.port' in .*config\.yaml/,
    })
  );
});

Deno.test("allora dev stops the head when a worker cannot start", async () => {
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: async (project) => {
        await Deno.writeTextFile(join(project, "keys", "worker", "priv.bin"), "corrupt");
        return [];
      },
      error: /\[worker-1\] error: Cannot load private key .*priv\.bin: expected a 68-byte/,
      hint: /error: Cannot start the local network: worker-1 exited with code 1/,
    })
  );
});

Deno.test("allora dev reports a head that cannot start", async () => {
  await withProcesses((processes) =>
    assertDevFails(processes, {
      arrange: async (project) => {
        await Deno.writeTextFile(join(project, "keys", "head", "priv.bin"), "corrupt");
        return [];
      },
      error: /\[head\] error: Cannot load private key .*priv\.bin/,
      hint: /error: Cannot start the local network: head exited with code 1/,
    })
  );
});

Deno.test("allora dev stops cleanly on SIGTERM during its start", async () => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    const dev = runAllora(processes, project, devArgs(["--workers", "2"]));
    // The head logs before the workers start, so the signal arrives while dev waits for them.
    await waitUntil(() => dev.stderr.includes("[head] "), "the head's first log line", 60_000);
    dev.child.kill("SIGTERM");

    const status = await dev.exited();
    assert.equal(status.code, 0, dev.stderr);
    assert.equal(dev.stdout, "", "no ready line");
    assert.doesNotMatch(dev.stderr, /error:/);
    assert.match(dev.stderr, /^stopping the local network$/m);
    await assertNoneRunning(project);
  });
});
