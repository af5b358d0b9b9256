/**
 * A model that fails, under `allora dev`: main.py crashes, prints text that is not JSON,
 * prints an `infererValue` that is not a decimal, or hangs. Each request gets a result whose
 * stdout is an `{"error":…}` object naming the problem, `allora request` exits 1, and the
 * network goes on serving the next request.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withProcesses } from "../testing/processes.ts";
import { runCli } from "../testing/cli.ts";
import {
  createProject,
  editConfig,
  execute,
  inferenceBody,
  infererValue,
  processesUsing,
  startDev,
} from "../testing/flow.ts";

// Wraps the project's model: ALLORA_ARG_PARAMS (the last argument) picks a failure, and any
// other value runs main.py unchanged.
const FAULTY_PY = `import json, runpy, sys, time
mode = sys.argv[-1]
if mode == "crash":
    raise RuntimeError("model exploded")
elif mode == "not-json":
    print("prediction: 3.2")
elif mode == "not-decimal":
    print(json.dumps({"infererValue": "about 3"}))
elif mode == "hang":
    time.sleep(60)
else:
    sys.argv[0] = "main.py"
    runpy.run_path("main.py", run_name="__main__")
`;
// Equal timeouts, as in a new project's config.yaml; the worker stops main.py 1 s earlier.
// Generous, because python3 alone can take over a second to start on a loaded 2-core machine.
const TIMEOUT_MS = 10_000;
const STOPPED_AFTER_MS = 9_000;

/** One failure: the ALLORA_ARG_PARAMS value and what the result's stdout error must match. */
const FAILURES: { mode: string; error: RegExp; stderr?: RegExp }[] = [
  {
    mode: "crash",
    error: /^faulty\.py exited with code 1$/,
    stderr: /Traceback[\s\S]*RuntimeError: model exploded/,
  },
  {
    mode: "not-json",
    error: /^invalid inference output: stdout is not one JSON object: "prediction: 3\.2"$/,
  },
  {
    mode: "not-decimal",
    error: /^invalid inference output: infererValue is not a decimal: "about 3"$/,
  },
  {
    mode: "hang",
    error: new RegExp(`^faulty\\.py timed out after ${STOPPED_AFTER_MS} ms$`),
  },
];

Deno.test("allora dev reports a failing model and keeps serving", async (t) => {
  await withProcesses(async (processes) => {
    const project = await createProject(processes.tempDir);
    await Deno.writeTextFile(join(project, "faulty.py"), FAULTY_PY);
    await editConfig(project, [
      [["inference", "command"], ["python3", "faulty.py"]],
      [["inference", "timeout_ms"], TIMEOUT_MS],
      [["worker", "execution_timeout_ms"], TIMEOUT_MS],
    ]);
    const { process: dev, ready } = await startDev(processes, project);
    const config = join(project, "config.yaml");

    for (const failure of FAILURES) {
      await t.step(`main.py ${failure.mode} gives an error result`, async () => {
        const { status, body } = await execute(ready.rest, inferenceBody(failure.mode));
        assert.equal(status, 200);
        assert.equal(body.code, "200", JSON.stringify(body));
        assert.equal(body.results?.length, 1);
        const { result, peers } = body.results![0];
        assert.deepEqual(peers, ready.workers);
        const output = JSON.parse(result.stdout);
        assert.match(output.error, failure.error);
        if (failure.stderr) assert.match(result.stderr, failure.stderr);

        const printed = await runCli([
          "request",
          "--head",
          ready.rest,
          "--config",
          config,
          "--arg",
          failure.mode,
          "--nodes",
          "1",
        ]);
        assert.equal(printed.code, 1, printed.stdout);
        assert.match(printed.stdout, /code 200, 1 worker selected/);
        assert.ok(printed.stdout.includes(`error: ${output.error}`), printed.stdout);

        // The next request still gets an inference.
        const next = await execute(ready.rest, inferenceBody("ETH"));
        assert.equal(next.body.code, "200");
        assert.match(infererValue(next.body.results![0].result.stdout), /^\d+(\.\d+)?$/);
      });
    }

    await t.step("workers report code 500 for each failure", () => {
      // The head's response carries no per-worker code, so the worker's log line shows it.
      const failed = dev.stderr.match(/execute response sent .* code=500 /g) ?? [];
      assert.equal(failed.length, 2 * FAILURES.length, dev.stderr);
    });

    await t.step("a hanging main.py is stopped", async () => {
      const hanging = (await processesUsing(project)).filter((line) => line.includes("faulty.py"));
      assert.deepEqual(hanging, []);
    });
  });
});
