import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, probe, startRuntime, tempDir, writeScript } from "../_test_util.ts";
import { CgiErrno, ExitCode } from "../errno.ts";
import type { RunRequest } from "../types.ts";

// The model script: argv is <topicid> <blockheight> <blockheighteval> <arguments…>, and the
// first argument picks what it does.
const MAIN_PY = `
import json, os, sys, time
topic, height, height_eval, *arguments = sys.argv[1:]
mode = arguments[0] if arguments else ""
if mode == "BIG":
    sys.stdout.write(json.dumps({"infererValue": "1", "padding": "x" * 100000}))
elif mode == "FAIL":
    print("model exploded", file=sys.stderr)
    sys.exit(3)
elif mode == "SLEEP":
    with open("pid", "w") as f:
        f.write(str(os.getpid()))
    time.sleep(30)
elif mode == "ENV":
    print(json.dumps(dict(os.environ)))
else:
    print("warming up", file=sys.stderr)
    print(json.dumps({"infererValue": "2514.37", "argv": sys.argv[1:]}))
`;

// An external extension: responds to --ext_verify, then echoes what it received as JSON.
const ECHO_EXTENSION = `#!/usr/bin/env python3
import json, os, sys
if sys.argv[1:] == ["--ext_verify"]:
    print(json.dumps({"alias": "echo-ext", "description": "test extension", "is_cgi": True}))
    sys.exit(0)
print(json.dumps({
    "args": sys.argv[1:],
    "stdin": sys.stdin.read(),
    "guest": [os.environ.get("GUEST_VAR"), os.environ.get("GUEST_VAR2")],
    "topic": os.environ.get("TOPIC_ID"),
    "secret": os.environ.get("ALLORA_TEST_NODE_SECRET"),
}))
print("echo-ext stderr", file=sys.stderr)
`;

const INFER_ENV: [string, string][] = [
  ["ALLORA_ARG_PARAMS", "ETH"],
  ["TOPIC_ID", "1"],
  ["ALLORA_BLOCK_HEIGHT_CURRENT", "1200"],
];

function inferRequest(argument: string, args: string[] = ["infer"]): RunRequest {
  const env: [string, string][] = [["ALLORA_ARG_PARAMS", argument], ...INFER_ENV.slice(1)];
  return probe(args, { env });
}

async function projectWithModel() {
  const dir = await tempDir();
  await writeScript(join(dir.path, "main.py"), MAIN_PY);
  return dir;
}

Deno.test("cgi-allora-infer runs main.py with the v2 argv", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path },
  });
  const result = await runtime.run(inferRequest("ETH"));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), {
    infererValue: "2514.37",
    argv: ["1", "1200", "", "ETH"],
  });
  assert.match(result.stderr, /warming up\n$/, "script stderr reaches cgi_stderr_read");
});

Deno.test("cgi-allora-infer works with the @blockless/sdk flow", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path },
  });
  const result = await runtime.run({
    ...inferRequest("BTC"),
    module: { path: fixture("sdk_probe.wasm") },
    method: "sdk_probe.wasm",
  });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), {
    infererValue: "2514.37",
    argv: ["1", "1200", "", "BTC"],
  });
});

Deno.test("cgi_stdout_read returns output over 64 KiB whole", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path },
  });
  const once = await runtime.run(inferRequest("BIG", ["infer", "262144"]));
  assert.equal(once.exitCode, 0);
  assert.equal(JSON.parse(once.stdout).padding.length, 100_000);

  const chunked = await runtime.run(inferRequest("BIG", ["infer", "40000", "5"]));
  assert.equal(JSON.parse(chunked.stdout).padding.length, 100_000);
  assert.match(chunked.stderr, /read 0: errno=0 num=40000\nread 1: errno=0 num=40000\n/);
});

Deno.test("cgi-allora-infer reports a failed script as JSON", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path },
  });
  const result = await runtime.run(inferRequest("FAIL"));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), {
    error: "main.py exited with code 3",
    stderr: "model exploded\n",
  });
});

Deno.test("cgi-allora-infer kills a script past its timeout", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path, timeoutMs: 500 },
  });
  const result = await runtime.run(inferRequest("SLEEP"));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), {
    error: "main.py timed out after 500 ms",
    stderr: "",
  });
});

Deno.test("execution timeout kills a blocked inference script", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["python3", "main.py"], cwd: project.path, timeoutMs: 30_000 },
    // Long enough for python3 to start and write its pid on a loaded machine.
    limits: { timeoutMs: 4_000 },
  });
  const result = await runtime.run(inferRequest("SLEEP"));
  assert.equal(result.exitCode, ExitCode.TIMEOUT);
  assert.equal(result.error?.kind, "timeout");

  // run() resolves after the execution's processes were killed and reaped.
  const pid = await Deno.readTextFile(join(project.path, "pid"));
  await assert.rejects(Deno.stat(`/proc/${pid}`), Deno.errors.NotFound);
});

Deno.test("cgi-allora-infer reports a command that cannot start", async () => {
  await using project = await projectWithModel();
  await using runtime = await startRuntime({
    inference: { command: ["allora-no-such-interpreter", "main.py"], cwd: project.path },
  });
  const result = await runtime.run(inferRequest("ETH"));
  assert.match(JSON.parse(result.stdout).error, /Cannot start "allora-no-such-interpreter"/);
});

Deno.test("cgi-allora-infer passes request vars but no node secrets", async () => {
  Deno.env.set("ALLORA_TEST_NODE_SECRET", "do-not-leak");
  try {
    await using project = await projectWithModel();
    await using runtime = await startRuntime({
      inference: { command: ["python3", "main.py"], cwd: project.path, env: { MODEL: "m1" } },
    });
    const request = inferRequest("ENV");
    request.env.push(["LD_PRELOAD", "/tmp/evil.so"], ["PATH", "/nowhere"]);
    const env = JSON.parse((await runtime.run(request)).stdout);
    assert.equal(env.TOPIC_ID, "1");
    assert.equal(env.ALLORA_BLOCK_HEIGHT_CURRENT, "1200");
    assert.equal(
      env.BLS_LIST_VARS,
      "ALLORA_ARG_PARAMS;TOPIC_ID;ALLORA_BLOCK_HEIGHT_CURRENT;LD_PRELOAD;PATH",
    );
    assert.equal(env.MODEL, "m1");
    assert.equal(env.ALLORA_TEST_NODE_SECRET, undefined);
    assert.equal(env.LD_PRELOAD, undefined);
    // pyenv's python3 shim prepends its own folders, so compare the end.
    assert.ok(env.PATH.endsWith(Deno.env.get("PATH")!), env.PATH);
  } finally {
    Deno.env.delete("ALLORA_TEST_NODE_SECRET");
  }
});

Deno.test("cgi_list_read lists verified extensions and the built-in", async () => {
  await using extensions = await tempDir();
  await writeScript(join(extensions.path, "echo-ext"), ECHO_EXTENSION, true);
  await writeScript(join(extensions.path, "not-executable"), ECHO_EXTENSION);
  await writeScript(join(extensions.path, "silent"), "#!/bin/sh\nexit 1\n", true);
  await writeScript(join(extensions.path, "no-cgi"), '#!/bin/sh\necho \'{"alias":"x"}\'\n', true);
  await using runtime = await startRuntime({ extensionsDir: extensions.path });

  const result = await runtime.run(probe(["cgi-list"]));
  const list = JSON.parse(result.stdout);
  assert.deepEqual(list.map((entry: { alias: string }) => entry.alias), [
    "cgi-allora-infer",
    "echo-ext",
  ]);
  assert.equal(list[1].fileName, "echo-ext");
  assert.equal(list[1].description, "test extension");
  assert.match(list[1].md5, /^[0-9a-f]{32}$/);
});

Deno.test("cgi_open runs an external extension with args and envs", async () => {
  Deno.env.set("ALLORA_TEST_NODE_SECRET", "do-not-leak");
  try {
    await using extensions = await tempDir();
    await writeScript(join(extensions.path, "echo-ext"), ECHO_EXTENSION, true);
    await using runtime = await startRuntime({ extensionsDir: extensions.path });

    const result = await runtime.run(probe(["cgi", "echo-ext", "--flag"], { env: INFER_ENV }));
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "open errno=0");
    assert.deepEqual(JSON.parse(lines[1]), {
      args: ["--flag"],
      stdin: "ping\n",
      guest: ["from-sdk", "from-runtime"],
      topic: "1",
      secret: null,
    });
    assert.equal(lines[2], `close=0 again=${CgiErrno.INVALID_HANDLE}`);
    assert.equal(result.stderr, "echo-ext stderr\n");
  } finally {
    Deno.env.delete("ALLORA_TEST_NODE_SECRET");
  }
});

Deno.test("cgi_open rejects an unknown alias", async () => {
  await using runtime = await startRuntime();
  const result = await runtime.run(probe(["cgi", "nope"]));
  assert.equal(result.stdout, `open errno=${CgiErrno.INVALID_PARAMETER}\n`);
});
