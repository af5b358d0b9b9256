/**
 * `allora chain` end to end: the real CLI in a subprocess against a devnet started by the test,
 * with a keystore written by the wallet module and the password in ALLORA_WALLET_PASSWORD.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createKeystore, deriveAccount, generateMnemonic } from "../node/wallet/mod.ts";
import { startTestDevnet } from "../testing/devnet.ts";
import { tempDir } from "../testing/temp_dir.ts";
import { type CliResult, runCliProcess } from "../testing/cli.ts";

const PASSWORD = "e2e password, not a secret";
const ONE_ALLO = 10n ** 18n;

/** Runs `allora ARGV` in `cwd` with the keystore password set. */
function allora(cwd: string, argv: string[]): Promise<CliResult> {
  return runCliProcess(argv, { cwd, env: { ALLORA_WALLET_PASSWORD: PASSWORD } });
}

Deno.test("allora chain registers a new wallet on a devnet", async () => {
  await using dir = await tempDir();
  const mnemonic = generateMnemonic();
  const { address } = await deriveAccount(mnemonic);
  // keys/wallet.json is the keystore path allora chain uses without a config file.
  await createKeystore(join(dir.path, "keys", "wallet.json"), mnemonic, PASSWORD);
  await using devnet = await startTestDevnet({
    chainId: "e2e-1",
    fund: [{ address, amount: 2n * ONE_ALLO }],
  });
  const rpc = ["--rpc", devnet.url];

  const status = await allora(dir.path, ["chain", "status", ...rpc]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^chain id\s+e2e-1$/m);
  assert.match(status.stdout, /^emissions version\s+v9$/m);

  const balance = await allora(dir.path, ["chain", "balance", ...rpc]);
  assert.equal(balance.code, 0, balance.stderr);
  assert.equal(balance.stdout, "2000000000000000000 uallo (2 ALLO)\n");

  const topic = await allora(dir.path, ["chain", "topic", "1", ...rpc]);
  assert.equal(topic.code, 0, topic.stderr);
  assert.match(topic.stdout, /^topic\s+1$/m);
  assert.match(topic.stdout, /^epoch length\s+12 blocks$/m);

  const register = await allora(dir.path, ["chain", "register", "--topic", "1", ...rpc]);
  assert.equal(register.code, 0, register.stderr);
  assert.match(register.stdout, new RegExp(`^Registered ${address} as a worker of topic 1$`, "m"));
  const txHash =
    /^tx ([0-9A-F]{64}) \(height (\d+); registration fee 200 uallo, plus the transaction's gas fee\)$/m
      .exec(register.stdout);
  assert.ok(txHash, register.stdout);
  assert.equal(devnet.state.tx(txHash[1])?.result.code, 0);
  assert.ok(devnet.state.state.emissions.topics.get("1")?.workers.has(address));
  assert.ok(!register.stderr.includes(PASSWORD));

  const again = await allora(dir.path, ["chain", "register", "--topic", "1", ...rpc]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `${address} is already registered in topic 1; nothing sent\n`);
  assert.equal([...devnet.state.txs()].length, 1);

  const missing = await allora(dir.path, ["chain", "register", "--topic", "99", ...rpc]);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    "error: Cannot register in topic 99: topic 99 does not exist\n" +
      "hint: this chain's topic ids run from 1 to 1; check the id\n",
  );
});
