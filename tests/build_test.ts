/**
 * Tests of `deno task build`. The full build needs denort, which `deno compile` downloads on
 * first use; without a network it runs only when DENORT_BIN names a denort binary, and is
 * ignored otherwise with the reason in its name.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../testing/temp_dir.ts";
import { compileArgs, denortHelp, isDenortDownloadFailure, ROOT } from "../scripts/build.ts";

const BUILD_SCRIPT = join(ROOT, "scripts/build.ts");
const decoder = new TextDecoder();

async function runBuild(output: string, env: Record<string, string> = {}) {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BUILD_SCRIPT, "--output", output],
    cwd: ROOT,
    env,
  }).output();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

async function runBinary(path: string, args: string[], cwd: string) {
  const result = await new Deno.Command(path, { args, cwd }).output();
  return { code: result.code, stdout: decoder.decode(result.stdout) };
}

Deno.test("compileArgs() embeds the templates", async () => {
  const args = await compileArgs("dist/allora");
  assert.deepEqual(args.slice(0, 2), ["compile", "--allow-all"]);
  assert.equal(args[args.indexOf("--include") + 1], "templates");
  assert.ok(args.includes("node/runtime/sandbox_worker.ts"), "the sandbox worker entry");
  assert.deepEqual(args.slice(-3), ["-o", "dist/allora", "main.ts"]);
});

Deno.test("isDenortDownloadFailure() spots an offline compile", () => {
  // The stderr of deno 2.9.6 compiling without a network.
  const offline = `Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/allora.tmp-1'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known`;
  assert.equal(isDenortDownloadFailure(offline), true);
  assert.equal(isDenortDownloadFailure("error: Type checking failed."), false);
});

Deno.test("denortHelp() names the variable and the release asset", () => {
  const help = denortHelp("2.9.6", "x86_64-unknown-linux-gnu");
  assert.match(help, /DENORT_BIN=/);
  assert.match(help, /denort-x86_64-unknown-linux-gnu\.zip of Deno v2\.9\.6/);
});

Deno.test("build script rejects a DENORT_BIN that does not exist", async () => {
  await using tmp = await tempDir();
  const missing = join(tmp.path, "denort");
  const { code, stderr } = await runBuild(join(tmp.path, "allora"), { DENORT_BIN: missing });
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`Cannot use DENORT_BIN '${missing}': no such file`));
});

const DENORT_BIN = Deno.env.get("DENORT_BIN");
const HAS_DENORT = DENORT_BIN !== undefined &&
  (await Deno.stat(DENORT_BIN).then((info) => info.isFile, () => false));
const DENORT_REASON = HAS_DENORT ? "" : " (ignored: set DENORT_BIN to a denort binary to run it)";

Deno.test({
  name: `build script compiles an allora that runs init${DENORT_REASON}`,
  ignore: !HAS_DENORT,
  fn: async () => {
    await using tmp = await tempDir();
    const binary = join(tmp.path, "allora");
    const build = await runBuild(binary, { DENORT_BIN: DENORT_BIN! });
    assert.equal(build.code, 0, build.stderr);

    const version = await runBinary(binary, ["--version"], tmp.path);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^allora \d+\.\d+\.\d+/);

    // The templates come from inside the executable, so run it away from the source tree.
    const init = await runBinary(
      binary,
      ["init", "--name", "demo", "--topic", "1", "--dry-run", "--json"],
      tmp.path,
    );
    assert.equal(init.code, 0);
    const report = JSON.parse(init.stdout);
    assert.ok(report.files.some((file: { path: string }) => file.path === "main.py"));

    const written = await runBinary(binary, ["init", "--name", "demo", "--topic", "1"], tmp.path);
    assert.equal(written.code, 0);
    assert.equal(
      await Deno.readTextFile(join(tmp.path, "demo/main.py")),
      await Deno.readTextFile(join(ROOT, "templates/project/main.py")),
    );
  },
});
