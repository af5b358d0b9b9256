/**
 * The embedded inference function run by the real runtime, with a model script whose
 * ALLORA_ARG_PARAMS argument (its fourth) picks what it prints.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRuntime } from "../runtime/mod.ts";
import type { RunRequest, RunResult } from "../runtime/types.ts";
import { tempDir } from "../../testing/temp_dir.ts";
import { FUNCTION_METHOD } from "./reference.ts";

const MODULE = fileURLToPath(new URL(`./build/${FUNCTION_METHOD}`, import.meta.url));
const MODEL_PY = `import sys
mode = sys.argv[4]
if mode == "plain":
    print("prediction: 3.2")
elif mode == "error":
    print('  { "error" : "no data for token" }')
elif mode == "error-later":
    print('{"infererValue":"1","error":"stale"}')
else:
    print('{"infererValue":"2514.37"}')
`;

async function runModel(mode: string): Promise<RunResult> {
  await using dir = await tempDir();
  await Deno.writeTextFile(join(dir.path, "model.py"), MODEL_PY);
  const runtime = await createRuntime({
    poolSize: 1,
    inference: { command: ["python3", "model.py"], cwd: dir.path },
  });
  const request: RunRequest = {
    requestId: `function-${mode}`,
    module: { path: MODULE },
    method: FUNCTION_METHOD,
    args: [],
    env: [["ALLORA_ARG_PARAMS", mode], ["TOPIC_ID", "1"], ["ALLORA_BLOCK_HEIGHT_CURRENT", "1"]],
    stdin: "",
    permissions: [],
  };
  try {
    return await runtime.run(request);
  } finally {
    await runtime.close();
  }
}

Deno.test("inference function prints the model's answer and exits 0", async () => {
  const result = await runModel("value");
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, '{"infererValue":"2514.37"}\n');
});

Deno.test("inference function passes output that is not JSON through", async () => {
  const result = await runModel("plain");
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, "prediction: 3.2\n");
  assert.equal(result.stderr, "");
});

Deno.test("inference function exits 1 on an error object", async () => {
  const result = await runModel("error");
  assert.equal(result.exitCode, 1);
  assert.equal(result.stdout, '  { "error" : "no data for token" }\n');
});

Deno.test("inference function leaves a later error key to the worker", async () => {
  const result = await runModel("error-later");
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, '{"infererValue":"1","error":"stale"}\n');
});
