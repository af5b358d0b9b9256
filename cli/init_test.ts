import assert from "node:assert/strict";
import { join } from "node:path";
import YAML from "yaml";
import { tempDir } from "../testing/temp_dir.ts";
import { runCli } from "../testing/cli.ts";
import { loadConfig } from "../node/config/config.ts";
import { NETWORK_ENDPOINTS } from "../node/config/networks.ts";
import { loadIdentity } from "../node/p2p/identity.ts";
import { createInitCommand, type InitComponents } from "./init.ts";
import { memoryIo } from "./io.ts";
import { main } from "./main.ts";

async function runInit(
  args: string[],
  { env, components }: { env?: Record<string, string>; components?: InitComponents } = {},
) {
  const io = memoryIo({ env });
  const commands = components === undefined ? undefined : [createInitCommand(components)];
  const code = await main(["init", ...args], { io, commands });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Returns the init arguments for project "demo", topic 3, in `dir`. */
function demoArgs(dir: string, ...extra: string[]): string[] {
  return ["--name", "demo", "--topic", "3", "--dir", dir, ...extra];
}

async function createProject(parent: string, ...extra: string[]) {
  const dir = join(parent, "demo");
  const result = await runInit(demoArgs(dir, ...extra));
  assert.equal(result.code, 0, result.stderr);
  return dir;
}

async function listNames(folder: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) names.push(entry.name);
  return names.sort();
}

Deno.test("init writes a dev project whose files parse", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const config = await loadConfig(join(dir, "config.yaml"));
  assert.equal(config.name, "demo");
  assert.equal(config.topic, 3);
  assert.equal(config.network, "local");
  assert.equal(config.chain.rpc, NETWORK_ENDPOINTS.local.rpc);
  JSON.parse(await Deno.readTextFile(join(dir, "config.schema.json")));
  YAML.parse(await Deno.readTextFile(join(dir, "dev-docker-compose.yaml")));
  const ignored = (await Deno.readTextFile(join(dir, ".gitignore"))).split("\n");
  for (
    const entry of ["keys/", "secrets.env", ".env", "data/head/", "data/worker/", "__pycache__/"]
  ) {
    assert.ok(ignored.includes(entry), `.gitignore lists ${entry}`);
  }
  assert.match(await Deno.readTextFile(join(dir, "README.md")), /allora dev/);
  assert.match(await Deno.readTextFile(join(dir, "Dockerfile")), /^ENTRYPOINT \["allora"\]$/m);
});

Deno.test("init writes identities that load and match the config", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const head = await loadIdentity(join(dir, "keys/head"));
  const worker = await loadIdentity(join(dir, "keys/worker"));
  assert.ok(!head.peerId.equals(worker.peerId));
  assert.equal(
    (await Deno.readTextFile(join(dir, "keys/head/identity"))).trim(),
    head.peerId.toString(),
  );
  assert.equal((await Deno.stat(join(dir, "keys/head/priv.bin"))).mode! & 0o777, 0o600);
  const config = await loadConfig(join(dir, "config.yaml"));
  assert.deepEqual(config.worker.boot_nodes, [`/ip4/127.0.0.1/tcp/9010/p2p/${head.peerId}`]);
});

Deno.test("init writes a dev compose file with the head's peer ID and ports", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const head = await loadIdentity(join(dir, "keys/head"));
  const compose = YAML.parse(await Deno.readTextFile(join(dir, "dev-docker-compose.yaml")));
  assert.equal(compose.version, undefined);
  const { head: headService, worker } = compose.services;
  assert.deepEqual(headService.command, ["head", "--config", "config.yaml"]);
  assert.deepEqual(worker.command, ["worker", "--config", "config.yaml"]);
  assert.equal(headService.environment.ALLORA_HEAD_REST_API, "0.0.0.0:6000");
  assert.deepEqual(headService.ports, ["127.0.0.1:6000:6000", "127.0.0.1:9010:9010"]);
  assert.deepEqual(worker.ports, ["127.0.0.1:9011:9011"]);
  assert.equal(
    worker.environment.ALLORA_WORKER_BOOT_NODES,
    `/dns4/head/tcp/9010/p2p/${head.peerId}`,
  );
  assert.equal(headService.restart, "unless-stopped");
  assert.equal(worker.restart, "unless-stopped");
});

Deno.test("init rejects bad flags with exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--name", "bad name", "--topic", "1"], /Invalid value for --name: 'bad name'/],
    [["--name", "../x", "--topic", "1"], /Invalid value for --name: '\.\.\/x'/],
    [["--name", "demo", "--topic", "0"], /Invalid value for --topic: 0/],
    [["--name", "demo", "--topic", "one"], /Invalid value for --topic: 'one'/],
    [["--name", "demo", "--topic", "1", "--env", "test"], /Invalid value for --env: 'test'/],
    [["--name", "demo", "--topic", "1", "--network", "edgenet"], /'edgenet' is retired/],
    [["--name", "demo", "--topic", "1", "--colour"], /Unknown option '--colour'/],
    [["--topic", "1"], /Missing option --name/],
    [["--name", "demo"], /Missing option --topic/],
    [["--name", "demo", "--topic", "1", "--boot-nodes", "/ip4/1.2.3.4"], /applies to --env prod/],
  ];
  for (const [args, expected] of cases) {
    const { code, stderr } = await runInit(args);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, expected);
    assert.match(stderr, /^hint: /m, `${args.join(" ")} prints a hint`);
  }
});

Deno.test("init keeps edited main.py and config.yaml on a rerun", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  await Deno.writeTextFile(join(dir, "main.py"), "print('mine')\n");
  const config = (await Deno.readTextFile(join(dir, "config.yaml"))) + "# my note\n";
  await Deno.writeTextFile(join(dir, "config.yaml"), config);
  await Deno.remove(join(dir, "README.md"));

  const { code, stdout } = await runInit(demoArgs(dir));
  assert.equal(code, 0);
  assert.equal(await Deno.readTextFile(join(dir, "main.py")), "print('mine')\n");
  assert.equal(await Deno.readTextFile(join(dir, "config.yaml")), config);
  assert.match(stdout, /kept +main\.py +\(exists/);
  assert.match(stdout, /kept +config\.yaml/);
  assert.match(stdout, /created +README\.md/);
  assert.match(stdout, /unchanged +Dockerfile/);
});

Deno.test("init --force overwrites edits but keeps identities", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const before = await loadIdentity(join(dir, "keys/head"));
  await Deno.writeTextFile(join(dir, "main.py"), "print('mine')\n");
  const { code, stdout } = await runInit(demoArgs(dir, "--force"));
  assert.equal(code, 0);
  assert.match(stdout, /overwrote +main\.py/);
  assert.match(await Deno.readTextFile(join(dir, "main.py")), /infererValue/);
  assert.ok((await loadIdentity(join(dir, "keys/head"))).peerId.equals(before.peerId));
});

Deno.test("init --dry-run writes nothing and lists the plan", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  const { code, stdout } = await runInit(demoArgs(dir, "--dry-run"));
  assert.equal(code, 0);
  assert.deepEqual(await listNames(tmp.path), []);
  assert.match(stdout, /Dry run, nothing was written/);
  assert.match(stdout, /create +keys\/worker\/priv\.bin/);
});

Deno.test("init --json prints the files as JSON", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  const { code, stdout } = await runInit(demoArgs(dir, "--json"));
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.dir, dir);
  assert.equal(report.dryRun, false);
  assert.ok(
    report.files.some((file: { path: string; action: string }) =>
      file.path === "main.py" && file.action === "create"
    ),
  );
});

Deno.test("init leaves no folder when writing fails halfway", async () => {
  await using tmp = await tempDir();
  let staged = 0;
  const components: InitComponents = {
    beforeWrite: () => {
      if (++staged === 6) throw new Error("simulated disk full");
    },
  };
  const dir = join(tmp.path, "demo");
  const { code, stderr } = await runInit(demoArgs(dir), {
    components,
  });
  assert.equal(code, 1);
  assert.match(stderr, /Cannot write project .*simulated disk full/);
  assert.deepEqual(await listNames(tmp.path), []);
});

Deno.test("init rejects a corrupt key instead of replacing it", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  await Deno.writeFile(join(dir, "keys/head/priv.bin"), new Uint8Array(10));
  const { code, stderr } = await runInit(demoArgs(dir, "--force"));
  assert.equal(code, 1);
  assert.match(stderr, /Cannot load private key .*priv\.bin/);
  assert.match(stderr, /hint: .*delete .*keys\/head/);
});

Deno.test("init warns when a kept config names an old head", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  await Deno.remove(join(dir, "keys/head"), { recursive: true });
  const { code, stderr } = await runInit(demoArgs(dir));
  assert.equal(code, 0);
  const head = await loadIdentity(join(dir, "keys/head"));
  assert.match(stderr, new RegExp(`WARN .*does not name the head's peer ID ${head.peerId}`));
});

Deno.test("init --network sets the dev config's network and endpoint", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(
    tmp.path,
    "--network",
    "allora-testnet-1",
    "--default-arg",
    "BTC",
  );
  const config = await loadConfig(join(dir, "config.yaml"));
  assert.equal(config.network, "allora-testnet-1");
  assert.equal(config.chain.rpc, NETWORK_ENDPOINTS["allora-testnet-1"].rpc);
  assert.equal(config.inference.default_arg, "BTC");
});

const PYTHON = await new Deno.Command("python3", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((output) => output.success, () => false);
const NEEDS_PYTHON = PYTHON ? "" : " (ignored: python3 not found)";

async function runMain(dir: string, args: string[]) {
  const output = await new Deno.Command("python3", { args: ["main.py", ...args], cwd: dir })
    .output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test({
  name: `main.py prints a decimal infererValue${NEEDS_PYTHON}`,
  ignore: !PYTHON,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    for (const args of [["3", "1200", "", "ETH"], ["3", "1200", "1100", "btc"], ["3", "1", ""]]) {
      const { code, stdout, stderr } = await runMain(dir, args);
      assert.equal(code, 0, `${args}: ${stdout}`);
      assert.equal(stderr, "");
      const lines = stdout.trim().split("\n");
      assert.equal(lines.length, 1, "exactly one line of output");
      const value = JSON.parse(lines[0]).infererValue;
      assert.equal(typeof value, "string");
      assert.match(value, /^\d+(\.\d+)?$/);
      assert.ok(Number(value) > 0);
    }
  },
});

Deno.test({
  name: `main.py prints a JSON error and exits 1 on bad arguments${NEEDS_PYTHON}`,
  ignore: !PYTHON,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    const cases: [string[], RegExp][] = [
      [[], /expected <topic_id>/],
      [["3", "1200"], /got 2 argument/],
      [["x", "1200", ""], /invalid topic_id 'x'/],
      [["0", "1200", ""], /invalid topic_id '0'/],
      [["3", "-5", ""], /invalid block_height '-5'/],
      [["3", "1200", "soon"], /invalid block_height_eval 'soon'/],
      [["3", "1200", "", "DOGE"], /unknown token 'DOGE'.*BTC, ETH, SOL/],
    ];
    for (const [args, expected] of cases) {
      const { code, stdout, stderr } = await runMain(dir, args);
      assert.equal(code, 1, `${args}: ${stdout}`);
      assert.equal(stderr, "");
      assert.match(JSON.parse(stdout).error, expected);
    }
  },
});

Deno.test({
  name: `main.py reports a broken data file as JSON${NEEDS_PYTHON}`,
  ignore: !PYTHON,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    await Deno.writeTextFile(
      join(dir, "data/prices.csv"),
      "date,token,close\n2025-01-01,ETH,abc\n",
    );
    const broken = await runMain(dir, ["3", "1200", ""]);
    assert.equal(broken.code, 1);
    assert.match(JSON.parse(broken.stdout).error, /invalid close 'abc' on line 2/);
    await Deno.remove(join(dir, "data/prices.csv"));
    const missing = await runMain(dir, ["3", "1200", ""]);
    assert.equal(missing.code, 1);
    assert.match(JSON.parse(missing.stdout).error, /cannot read prices\.csv/);
  },
});

Deno.test({
  name: `main.py --help prints its usage${NEEDS_PYTHON}`,
  ignore: !PYTHON,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    const { code, stdout } = await runMain(dir, ["--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /python3 main\.py <topic_id> <block_height> <block_height_eval>/);
  },
});

Deno.test("init rerun with another topic warns that config.yaml kept its topic", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "p");
  assert.equal((await runCli(["init", "--name", "p", "--topic", "1", "--dir", dir])).code, 0);
  const rerun = await runCli(["init", "--name", "p", "--topic", "2", "--dir", dir]);
  assert.equal(rerun.code, 0);
  assert.match(rerun.stderr, /kept with topic 1, not the requested 2/);
});
