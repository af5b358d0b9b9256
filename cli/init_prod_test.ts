import assert from "node:assert/strict";
import { join } from "node:path";
import YAML from "yaml";
import { tempDir } from "../testing/temp_dir.ts";
import { createInitCommand, type InitComponents } from "./init.ts";
import type { WalletComponents } from "./init_prod.ts";
import { memoryIo } from "./io.ts";
import { main } from "./main.ts";

const HEAD =
  "/dns4/head-0.example/tcp/32130/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
const PASSWORD = "correct horse battery staple";

async function runInit(
  args: string[],
  options: { env?: Record<string, string>; answers?: string[]; components?: InitComponents } = {},
) {
  const io = memoryIo({ env: options.env, answers: options.answers });
  const commands = [createInitCommand(options.components ?? {})];
  const code = await main(["init", ...args], { io, commands });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function createProject(parent: string): Promise<string> {
  const dir = join(parent, "demo");
  const result = await runInit(["--name", "demo", "--topic", "3", "--dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  return dir;
}

/** Returns prod arguments for the project in `dir` on testnet with one head. */
function prodArgs(dir: string, ...extra: string[]): string[] {
  return [
    "--env=prod",
    `--dir=${dir}`,
    "--network=allora-testnet-1",
    `--boot-nodes=${HEAD}`,
    ...extra,
  ];
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("init --env prod --dry-run lists the wallet and deployment files", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stdout } = await runInit([
    "--env=prod",
    "--dir",
    dir,
    "--network",
    "allora-testnet-1",
    "--boot-nodes",
    HEAD,
    "--dry-run",
    "--json",
  ]);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  const actions = Object.fromEntries(
    report.files.map((file: { path: string; action: string }) => [file.path, file.action]),
  );
  assert.equal(actions["keys/wallet.json"], "create");
  assert.equal(actions["prod-docker-compose.yaml"], "create");
  assert.equal(actions["allora-worker.service"], "create");
  assert.equal(await exists(join(dir, "prod-docker-compose.yaml")), false);
});

Deno.test("init --env prod creates the dev project first in a dry run", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  const { code, stdout } = await runInit([
    "--env=prod",
    "--name=demo",
    "--topic=3",
    `--dir=${dir}`,
    "--network=allora-mainnet-1",
    `--boot-nodes=${HEAD}`,
    "--dry-run",
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /create +config\.yaml/);
  assert.match(stdout, /create +allora-worker\.service/);
  assert.equal(await exists(dir), false);
});

Deno.test("init --env prod requires a project folder", async () => {
  await using tmp = await tempDir();
  const { code, stderr } = await runInit(["--env", "prod", "--dir", tmp.path]);
  assert.equal(code, 1);
  assert.match(stderr, /no config\.yaml there/);
  assert.match(stderr, /hint: .*--name and --topic/);
});

Deno.test("init --env prod requires a network for a local project", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stderr } = await runInit(["--env", "prod", "--dir", dir, "--boot-nodes", HEAD]);
  assert.equal(code, 2);
  assert.match(stderr, /Missing option --network/);
});

Deno.test("init --env prod writes no dev project when a prod flag is missing", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  const { code } = await runInit(["--env=prod", "--name=demo", "--topic=3", `--dir=${dir}`]);
  assert.equal(code, 2);
  assert.equal(await exists(dir), false);
});

Deno.test("init --env prod rejects a head address without a peer ID", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const bad = "/dns4/head-0.example/tcp/32130";
  const { code, stderr } = await runInit([
    "--env=prod",
    `--dir=${dir}`,
    "--network=allora-testnet-1",
    `--boot-nodes=${HEAD},${bad}`,
  ]);
  assert.equal(code, 2);
  assert.match(stderr, new RegExp(`Invalid head address '${bad}'`));
});

Deno.test("init --env prod ignores local heads from the config", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stderr } = await runInit([
    "--env=prod",
    `--dir=${dir}`,
    "--network=allora-testnet-1",
  ]);
  assert.equal(code, 2);
  assert.match(stderr, /Missing option --boot-nodes for allora-testnet-1/);
});

Deno.test("init --env prod asks before changing anything on a terminal", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stderr } = await runInit(
    prodArgs(dir),
    { answers: [""] },
  );
  assert.equal(code, 1);
  assert.match(stderr, /Set up demo on allora-testnet-1 .*\[y\/N\]/);
  assert.match(stderr, /Cancelled: nothing was written/);
  assert.equal(await exists(join(dir, "allora-worker.service")), false);
});

Deno.test("init --env prod fails clearly without the wallet module", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stderr } = await runInit(prodArgs(dir));
  assert.equal(code, 1);
  assert.match(stderr, /no wallet module/);
  assert.equal(await exists(join(dir, "allora-worker.service")), false);
});

// The real wallet module lands from another branch; until then these tests are ignored.
const wallet = await loadWalletModule();
const WALLET_PENDING = wallet ? "" : " (pending: node/wallet/mod.ts is not merged yet)";

async function loadWalletModule(): Promise<WalletComponents | undefined> {
  // Specifiers in variables so that type checking passes while the modules are absent.
  const walletPath = "../node/wallet/mod.ts";
  const inputPath = "./wallet_input.ts";
  try {
    return { ...(await import(walletPath)), ...(await import(inputPath)) } as WalletComponents;
  } catch {
    return undefined;
  }
}

Deno.test({
  name: `init --env prod creates a wallet and keeps secrets out of the files${WALLET_PENDING}`,
  ignore: wallet === undefined,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    const { code, stdout, stderr } = await runInit(
      prodArgs(dir, "--json"),
      { env: { ALLORA_WALLET_PASSWORD: PASSWORD }, components: { wallet } },
    );
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.match(report.walletAddress, /^allo1/);

    const compose = await Deno.readTextFile(join(dir, "prod-docker-compose.yaml"));
    assert.equal(YAML.parse(compose).services.worker.environment.ALLORA_WORKER_BOOT_NODES, HEAD);
    const secrets = await Deno.readTextFile(join(dir, "secrets.env"));
    assert.match(secrets, new RegExp(`^ALLORA_WALLET_PASSWORD='${PASSWORD}'$`, "m"));
    assert.equal((await Deno.stat(join(dir, "secrets.env"))).mode! & 0o777, 0o600);
    for (const file of ["config.yaml", "prod-docker-compose.yaml", "allora-worker.service"]) {
      assert.ok(!(await Deno.readTextFile(join(dir, file))).includes(PASSWORD), file);
    }
    assert.ok(!stdout.includes(PASSWORD), "stdout has no password");
    assert.ok(!stderr.includes(PASSWORD), "stderr has no password");
  },
});

Deno.test({
  name: `init --env prod keeps an existing wallet on a rerun${WALLET_PENDING}`,
  ignore: wallet === undefined,
  fn: async () => {
    await using tmp = await tempDir();
    const dir = await createProject(tmp.path);
    const args = prodArgs(dir);
    const options = { env: { ALLORA_WALLET_PASSWORD: PASSWORD }, components: { wallet } };
    const first = await runInit([...args, "--json"], options);
    assert.equal(first.code, 0, first.stderr);
    const keystore = await Deno.readTextFile(join(dir, "keys/wallet.json"));
    const second = await runInit([...args, "--json"], options);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(await Deno.readTextFile(join(dir, "keys/wallet.json")), keystore);
    assert.equal(JSON.parse(second.stdout).walletAddress, JSON.parse(first.stdout).walletAddress);
  },
});
