import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../testing/cli.ts";
import { withTempDir } from "../testing/temp_dir.ts";
import { TestChain } from "../testing/chain_state.ts";
import { startTestRpcServer } from "../testing/rpc_server.ts";
import { createKeystore } from "../node/wallet/mod.ts";

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

function testServer() {
  const server = startTestRpcServer(new TestChain({ chainId: "allora-cli-1" }));
  server.chain.addTopic(1n, { metadata: "ETH price in 10 min", epochLength: 60n });
  server.chain.fund(ADDRESS, 10n ** 18n);
  return server;
}

Deno.test("chain status prints chain id, height and emissions version", async () => {
  await using server = testServer();
  const text = await runCli(["chain", "status", "--rpc", server.url]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^chain id\s+allora-cli-1$/m);
  assert.match(text.stdout, /^emissions version\s+v9$/m);

  const json = await runCli(["--json", "chain", "status", "--rpc", server.url]);
  const document = JSON.parse(json.stdout);
  assert.equal(document.chain_id, "allora-cli-1");
  assert.equal(document.height, 10);
  assert.equal(document.emissions_version, "v9");
});

Deno.test("chain balance reads an address or the wallet's", async () => {
  await using server = testServer();
  const json = await runCli(["--json", "chain", "balance", ADDRESS, "--rpc", server.url]);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), {
    address: ADDRESS,
    denom: "uallo",
    amount: "1000000000000000000",
    allo: "1",
  });
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const text = await runCli(["chain", "balance", "--keystore", keystore, "--rpc", server.url]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, "1000000000000000000 uallo (1 ALLO)\n");
  });
});

Deno.test("chain balance rejects an invalid address", async () => {
  const result = await runCli(["chain", "balance", "cosmos1xyz", "--rpc", "http://127.0.0.1:9"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Invalid address 'cosmos1xyz'/);
});

Deno.test("chain topic prints a topic and rejects a missing one", async () => {
  await using server = testServer();
  const json = await runCli(["--json", "chain", "topic", "1", "--rpc", server.url]);
  assert.equal(json.code, 0, json.stderr);
  const topic = JSON.parse(json.stdout);
  assert.equal(topic.id, 1);
  assert.equal(topic.metadata, "ETH price in 10 min");
  assert.equal(topic.epoch_length, 60);
  assert.equal(topic.emissions_version, "v9");

  const missing = await runCli(["chain", "topic", "7", "--rpc", server.url]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Cannot find topic 7/);
});

Deno.test("chain register sends a RegisterRequest signed by the wallet", async () => {
  await using server = testServer();
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["--json", "chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", server.url, "--yes"], { env: ENV });
    assert.equal(result.code, 0, result.stderr);

    const [tx] = server.chain.received;
    assert.deepEqual(tx.messages, [{
      typeUrl: "/emissions.v9.RegisterRequest",
      value: { sender: ADDRESS, topicId: 1n, owner: ADDRESS, isReputer: false },
    }]);
    const document = JSON.parse(result.stdout);
    assert.equal(document.status, "registered");
    assert.equal(document.tx_hash, tx.hash);
    assert.equal(document.registration_fee, "200");
    assert.ok(!result.stderr.includes(PASSWORD));
  });
});

Deno.test("chain register reports an already registered wallet", async () => {
  await using server = testServer();
  server.chain.registrations.add(`1/${ADDRESS}`);
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", server.url, "--yes"], { env: ENV });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /already registered in topic 1; nothing sent/);
    assert.equal(server.chain.received.length, 0);
  });
});

Deno.test("chain register explains a balance below the fee", async () => {
  await using server = testServer();
  server.chain.params.registrationFee = String(5n * 10n ** 18n);
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore];
    const result = await runCli([...argv, "--rpc", server.url, "--yes"], { env: ENV });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: Cannot register in topic 1: balance of allo1\S+ is 10+ uallo/,
    );
    assert.match(result.stderr, /hint: fund the wallet/);
    assert.equal(server.calls.includes("broadcast_tx_sync"), false);
  });
});

Deno.test("chain register stops when not confirmed", async () => {
  await using server = testServer();
  await withTempDir(async (dir) => {
    const keystore = await writeKeystore(dir);
    const argv = ["chain", "register", "--topic", "1", "--keystore", keystore, "--rpc", server.url];
    const result = await runCli(argv, { env: ENV, answers: ["n"] });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not confirmed/);
    assert.equal(server.calls.length, 0);
  });
});

Deno.test("chain commands read chain.rpc and chain.wallet from --config", async () => {
  await using server = testServer();
  await withTempDir(async (dir) => {
    await writeKeystore(dir);
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      `name: demo\ntopic: 1\nchain:\n  rpc: ${server.url}\n  wallet: keys/wallet.json\n`,
    );
    const result = await runCli(["--json", "chain", "balance", "--config", config]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).address, ADDRESS);
  });
});

Deno.test("chain commands take ALLORA_CHAIN_RPC over config", async () => {
  await using server = testServer();
  await withTempDir(async (dir) => {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(config, "name: demo\ntopic: 1\nchain:\n  rpc: http://127.0.0.1:9\n");
    const argv = ["--json", "chain", "status", "--config", config];
    const result = await runCli(argv, { env: { ALLORA_CHAIN_RPC: server.url } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).rpc, server.url);
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
