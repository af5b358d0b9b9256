import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../testing/cli.ts";
import { withTempDir } from "../testing/temp_dir.ts";
import {
  type ChainTestbedOptions,
  decodeTx,
  ONE_ALLO,
  startChainTestbed,
} from "../testing/chain_testbed.ts";
import { produceBlocksTo } from "../testing/devnet.ts";
import { createKeystore } from "../node/wallet/mod.ts";
import { InsufficientBalanceError, registerWorker } from "../node/chain/mod.ts";
import { LOCAL_FUNDING_HINT, toChainCliError } from "./chain_setup.ts";
import { CliError } from "./errors.ts";

// Public cosmjs test mnemonic ("alice") and the allo address it derives.
const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const ADDRESS = "allo14qemq0vw6y3gc3u3e0aty2e764u4gs5lhzd76y";
const PASSWORD = "correct horse battery staple";
const ENV = { ALLORA_WALLET_PASSWORD: PASSWORD };
const FAST_SCRYPT = { n: 2 ** 10, r: 8, p: 1 };

async function writeKeystore(dir: string): Promise<string> {
  const path = join(dir, "keys", "wallet.json");
  await createKeystore(path, MNEMONIC, PASSWORD, { scrypt: FAST_SCRYPT });
  return path;
}

/** Starts a devnet "allora-cli-1" with topic 1 (60-block epochs) where alice holds 1 ALLO. */
function startChain(options: ChainTestbedOptions = {}) {
  return startChainTestbed({
    chainId: "allora-cli-1",
    epochLength: 60,
    mnemonic: MNEMONIC,
    ...options,
  });
}

Deno.test("chain status prints chain id, height and emissions version", async () => {
  await using chain = await startChain();
  produceBlocksTo(chain.devnet, 10);
  const text = await runCli(["chain", "status", "--rpc", chain.proxy.url]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^chain id\s+allora-cli-1$/m);
  assert.match(text.stdout, /^height\s+10 \(/m);
  assert.match(text.stdout, /^emissions version\s+v9$/m);

  const json = await runCli(["--json", "chain", "status", "--rpc", chain.proxy.url]);
  const document = JSON.parse(json.stdout);
  assert.equal(document.chain_id, "allora-cli-1");
  assert.equal(document.height, 10);
  assert.equal(document.time, chain.devnet.state.block(10)?.time);
  assert.equal(document.emissions_version, "v9");
  assert.equal(document.node_version, "0.38.19");
});

Deno.test("chain balance reads an address or the wallet's", async () => {
  await using chain = await startChain();
  const url = chain.proxy.url;
  const json = await runCli(["--json", "chain", "balance", ADDRESS, "--rpc", url]);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), {
    address: ADDRESS,
    denom: "uallo",
    amount: "1000000000000000000",
    allo: "1",
  });
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const text = await runCli(["chain", "balance", "--keystore", keystore, "--rpc", url]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, "1000000000000000000 uallo (1 ALLO)\n");
  });
});

Deno.test("chain balance rejects an invalid address", async () => {
  const result = await runCli(["chain", "balance", "cosmos1xyz", "--rpc", "http://127.0.0.1:9"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Invalid address 'cosmos1xyz'/);

  const badChecksum = ADDRESS.slice(0, -1) + "q";
  const typo = await runCli(["chain", "balance", badChecksum, "--rpc", "http://127.0.0.1:9"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /valid checksum/);
});

Deno.test("chain topic prints a topic and rejects a missing one", async () => {
  await using chain = await startChain();
  const url = chain.proxy.url;
  const json = await runCli(["--json", "chain", "topic", "1", "--rpc", url]);
  assert.equal(json.code, 0, json.stderr);
  const topic = JSON.parse(json.stdout);
  assert.equal(topic.id, 1);
  assert.equal(topic.metadata, "devnet topic 1");
  assert.equal(topic.epoch_length, 60);
  assert.equal(topic.emissions_version, "v9");

  const missing = await runCli(["chain", "topic", "7", "--rpc", url]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: Cannot read topic 7: topic 7 does not exist$/m);
  assert.match(missing.stderr, /^hint: this chain's topic ids run from 1 to 1; check the id$/m);
});

Deno.test("chain register sends a RegisterRequest signed by the wallet", async () => {
  await using chain = await startChain();
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["--json", "chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", chain.proxy.url, "--yes"], { env: ENV });
    assert.equal(result.code, 0, result.stderr);

    const document = JSON.parse(result.stdout);
    assert.equal(document.status, "registered");
    assert.equal(document.registration_fee, "200");
    const record = chain.devnet.state.tx(document.tx_hash);
    assert.equal(record?.result.code, 0);
    assert.equal(document.height, record?.height);
    assert.deepEqual(decodeTx(record!.tx).messages, [{
      typeUrl: "/emissions.v9.RegisterRequest",
      value: { sender: ADDRESS, topicId: 1n, owner: ADDRESS, isReputer: false },
    }]);
    assert.ok(chain.devnet.state.state.emissions.topics.get("1")?.workers.has(ADDRESS));
    assert.ok(!result.stderr.includes(PASSWORD));
  });
});

Deno.test("chain register reports an already registered wallet", async () => {
  await using chain = await startChain();
  await registerWorker(chain.client, chain.account, 1n);
  const broadcasts = chain.proxy.count("broadcast_tx_sync");
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", chain.proxy.url, "--yes"], { env: ENV });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /already registered in topic 1; nothing sent/);
    assert.equal(chain.proxy.count("broadcast_tx_sync"), broadcasts);
  });
});

Deno.test("chain register rejects a missing topic", async () => {
  await using chain = await startChain();
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "99", "--keystore", keystore, "--yes"];
    const result = await runCli([...argv, "--rpc", chain.proxy.url], { env: ENV });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: Cannot register in topic 99: topic 99 does not exist$/m);
    assert.match(result.stderr, /^hint: this chain's topic ids run from 1 to 1; check the id$/m);
    assert.equal(chain.proxy.count("broadcast_tx_sync"), 0);
  });
});

Deno.test("chain register explains a balance below the fee", async () => {
  await using chain = await startChain({ balance: 100n });
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", chain.proxy.url, "--yes"], { env: ENV });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: Cannot register in topic 1: balance of allo1\S+ is 100 uallo, 200 uallo needed/,
    );
    assert.match(result.stderr, /hint: fund the wallet/);
    assert.equal(chain.proxy.count("broadcast_tx_sync"), 0);
  });
});

Deno.test("chain register stops when not confirmed", async () => {
  await using chain = await startChain();
  const callsBefore = chain.proxy.calls.length;
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", chain.proxy.url], { env: ENV, answers: ["n"] });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not confirmed/);
    assert.equal(chain.proxy.calls.length, callsBefore);
  });
});

Deno.test("chain commands read chain.rpc and chain.wallet from --config", async () => {
  await using chain = await startChain({ balance: 3n * ONE_ALLO });
  await withTempDir(async (dir) => {
    await writeKeystore(dir);
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      `name: demo\ntopic: 1\nchain:\n  rpc: ${chain.proxy.url}\n  wallet: keys/wallet.json\n`,
    );
    const result = await runCli(["--json", "chain", "balance", "--config", config]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).address, ADDRESS);
    assert.equal(JSON.parse(result.stdout).allo, "3");
  });
});

Deno.test("chain commands take ALLORA_CHAIN_RPC over config", async () => {
  await using chain = await startChain();
  await withTempDir(async (dir) => {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(config, "name: demo\ntopic: 1\nchain:\n  rpc: http://127.0.0.1:9\n");
    const argv = ["--json", "chain", "status", "--config", config];
    const result = await runCli(argv, { env: { ALLORA_CHAIN_RPC: chain.proxy.url } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).rpc, chain.proxy.url);
  });
});

Deno.test("chain status explains an unreachable RPC", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const result = await runCli(["chain", "status", "--rpc", `http://127.0.0.1:${port}`]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /error: Cannot reach the chain RPC at http:\/\/127\.0\.0\.1:/);
  assert.match(result.stderr, /hint: check --rpc or chain\.rpc/);
});

Deno.test("chain without a subcommand is a usage error", async () => {
  const result = await runCli(["chain"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Missing subcommand for 'allora chain'/);
  const help = await runCli(["chain", "register", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: allora chain register --topic ID/);
});

Deno.test("toChainCliError() points a loopback chain at devnet funding", () => {
  const error = toChainCliError(
    new InsufficientBalanceError("allo1x", 10n, 200n, "the registration fee"),
    "http://127.0.0.1:26657",
  );
  assert.ok(error instanceof CliError);
  assert.equal(error.hint, LOCAL_FUNDING_HINT);
});
