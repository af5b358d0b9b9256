import assert from "node:assert/strict";
import { join } from "node:path";
import { assertRejects } from "../testing/assert.ts";
import { tempDir } from "../testing/temp_dir.ts";
import { CliError } from "./errors.ts";
import { reportError } from "./main.ts";
import { memoryIo } from "./io.ts";
import { loadProjectConfig } from "./project_config.ts";

async function loadError(text: string | undefined): Promise<CliError> {
  await using dir = await tempDir();
  const file = join(dir.path, "config.yaml");
  if (text !== undefined) await Deno.writeTextFile(file, text);
  return await assertRejects(() => loadProjectConfig(file), CliError);
}

Deno.test("loadProjectConfig() hints at allora init for a missing file", async () => {
  const error = await loadError(undefined);
  assert.match(error.message, /^Cannot find .*config\.yaml$/);
  assert.match(error.hint ?? "", /allora init --name NAME --topic ID --env dev/);
});

Deno.test("loadProjectConfig() hints at the YAML for a syntax error", async () => {
  const error = await loadError("name: demo\ntopic: [\n");
  assert.match(error.message, /^Cannot parse .*config\.yaml: /);
  assert.match(
    error.hint ?? "",
    /^fix the YAML syntax of .*config\.yaml at the place the message names$/,
  );
});

Deno.test("loadProjectConfig() hints at the invalid key", async () => {
  const error = await loadError('name: demo\ntopic: "abc"\n');
  assert.match(error.message, /Invalid value for 'topic'/);
  assert.match(error.hint ?? "", /^fix 'topic' in .*config\.yaml; its schema is/);
});

Deno.test("reportError() leaves out a cause the message quotes", async () => {
  const quoted = await loadError("name: demo\ntopic: [\n");
  const io = memoryIo();
  assert.equal(reportError(quoted, io, false), 1);
  assert.doesNotMatch(io.stderr, /caused by/);

  const other = memoryIo();
  reportError(new CliError("Cannot reach the head", { cause: new Error("refused") }), other, false);
  assert.match(other.stderr, /^error: Cannot reach the head\n {2}caused by: refused\n$/);
});
