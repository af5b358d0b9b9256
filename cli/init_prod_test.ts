import assert from "node:assert/strict";
import { join } from "node:path";
import YAML from "yaml";
import { tempDir } from "../testing/temp_dir.ts";
import { createInitCommand, type InitComponents } from "./init.ts";
import {
  deriveAccount,
  generateMnemonic,
  readKeystore,
  unlockKeystore,
} from "../node/wallet/mod.ts";
import { PASSWORD_VARIABLE } from "../node/project/prod.ts";
import { PASSWORD_ENV } from "./wallet_input.ts";
import { memoryIo } from "./io.ts";
import { main } from "./main.ts";

const HEAD =
  "/dns4/head-0.example/tcp/32130/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
const PASSWORD = "correct horse battery staple";

async function runInit(
  args: string[],
  options: {
    env?: Record<string, string>;
    answers?: string[];
    stdin?: string;
    components?: InitComponents;
  } = {},
) {
  const io = memoryIo({ env: options.env, answers: options.answers, stdin: options.stdin });
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

const PASSWORD_ENV_ONLY = { env: { ALLORA_WALLET_PASSWORD: PASSWORD } };

Deno.test("init --env prod reads the password variable of the wallet module", () => {
  assert.equal(PASSWORD_VARIABLE, PASSWORD_ENV);
});

Deno.test("init --env prod creates a wallet and keeps secrets out of the files", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stdout, stderr } = await runInit(prodArgs(dir, "--json"), PASSWORD_ENV_ONLY);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  const info = await readKeystore(join(dir, "keys/wallet.json"));
  assert.equal(report.walletAddress, info.address);
  assert.match(info.address, /^allo1/);

  const compose = await Deno.readTextFile(join(dir, "prod-docker-compose.yaml"));
  assert.equal(YAML.parse(compose).services.worker.environment.ALLORA_WORKER_BOOT_NODES, HEAD);
  const unit = await Deno.readTextFile(join(dir, "allora-worker.service"));
  assert.match(unit, new RegExp(`^WorkingDirectory=${dir}$`, "m"));
  const secrets = await Deno.readTextFile(join(dir, "secrets.env"));
  assert.match(secrets, new RegExp(`^ALLORA_WALLET_PASSWORD='${PASSWORD}'$`, "m"));
  assert.equal((await Deno.stat(join(dir, "secrets.env"))).mode! & 0o777, 0o600);

  // Neither the password nor the mnemonic appears anywhere but secrets.env and the keystore.
  const mnemonic = await unlockKeystore(join(dir, "keys/wallet.json"), PASSWORD);
  const files = ["config.yaml", "prod-docker-compose.yaml", "allora-worker.service"];
  for (
    const text of [
      stdout,
      stderr,
      ...await Promise.all(files.map((file) => Deno.readTextFile(join(dir, file)))),
    ]
  ) {
    assert.ok(!text.includes(PASSWORD), "no password");
    assert.ok(!text.includes(mnemonic), "no mnemonic");
  }
  assert.match(stderr, /recovery phrase was not printed/);
});

Deno.test("init --env prod keeps an existing wallet on a rerun", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const first = await runInit(prodArgs(dir, "--json"), PASSWORD_ENV_ONLY);
  assert.equal(first.code, 0, first.stderr);
  const keystore = await Deno.readTextFile(join(dir, "keys/wallet.json"));
  const second = await runInit(prodArgs(dir, "--json", "--force"), PASSWORD_ENV_ONLY);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(await Deno.readTextFile(join(dir, "keys/wallet.json")), keystore);
  assert.equal(JSON.parse(second.stdout).walletAddress, JSON.parse(first.stdout).walletAddress);
});

Deno.test("init --env prod --import-wallet stores the given mnemonic", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const mnemonic = generateMnemonic();
  const { code, stdout, stderr } = await runInit(prodArgs(dir, "--json", "--import-wallet"), {
    ...PASSWORD_ENV_ONLY,
    stdin: `${mnemonic}\n`,
  });
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).walletAddress, (await deriveAccount(mnemonic)).address);
});

Deno.test("init --env prod without a password writes no prod files", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stderr } = await runInit(prodArgs(dir));
  assert.equal(code, 1);
  assert.match(stderr, /Cannot ask for the keystore password/);
  assert.match(stderr, /hint: set ALLORA_WALLET_PASSWORD/);
  assert.equal(await exists(join(dir, "keys/wallet.json")), false);
  assert.equal(await exists(join(dir, "allora-worker.service")), false);
});

Deno.test("init --env prod without the password variable writes no secrets.env", async () => {
  await using tmp = await tempDir();
  const dir = await createProject(tmp.path);
  const { code, stdout } = await runInit(prodArgs(dir), {
    answers: ["y", PASSWORD, PASSWORD],
  });
  assert.equal(code, 0);
  assert.equal(await exists(join(dir, "secrets.env")), false);
  assert.match(stdout, /put ALLORA_WALLET_PASSWORD='<wallet password>' in secrets\.env/);
  assert.match(await Deno.readTextFile(join(dir, "allora-worker.service")), /EnvironmentFile=-/);
});
