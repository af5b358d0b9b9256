import assert from "node:assert/strict";
import { assertRejects } from "../testing/assert.ts";
import { silentLogger } from "../node/log.ts";
import type { Context } from "./command.ts";
import { CliError, UsageError } from "./errors.ts";
import { command } from "./head.ts";
import { memoryIo } from "./io.ts";

function context(): Context {
  return {
    io: memoryIo(),
    global: { logLevel: "silent", logFormat: "text", json: false, yes: true },
    logger: silentLogger,
    signal: new AbortController().signal,
  };
}

Deno.test("head command rejects a missing config file", async () => {
  const error = await assertRejects(
    () => command.run(["--config", "/nonexistent/config.yaml"], context()),
    CliError,
  );
  assert.match(error.message, /Cannot find \/nonexistent\/config\.yaml/);
  assert.equal(error.hint, "fix the file or pass --config FILE");
});

Deno.test("head command rejects an invalid port before starting", async () => {
  const error = await assertRejects(() => command.run(["--port", "70000"], context()), UsageError);
  assert.match(error.message, /--port: 70000/);
});

Deno.test("head command is long running", () => {
  assert.equal(command.longRunning, true);
});
