import assert from "node:assert/strict";
import { sha256 } from "@cosmjs/crypto";
import { assertRejects } from "../../testing/assert.ts";
import { TestChain } from "../../testing/chain_state.ts";
import { startTestRpcServer, type TestRpcServer } from "../../testing/rpc_server.ts";
import { silentLogger } from "../log.ts";
import { accountFromPrivateKey } from "./account.ts";
import { ChainClient } from "./client.ts";
import {
  AccountNotFoundError,
  ChainError,
  InsufficientBalanceError,
  TopicNotFoundError,
} from "./errors.ts";
import { ensureWorkerRegistered, registerWorker } from "./registration.ts";
import { submitWorkerPayload } from "./payload.ts";
import { emissionsTypeUrl, RegisterRequest } from "./emissions/mod.ts";

const alice = accountFromPrivateKey(sha256(new TextEncoder().encode("alice")));
const ONE_ALLO = 10n ** 18n;

async function setup(version: "v9" | "v10" = "v9") {
  const server = startTestRpcServer(new TestChain({ version }));
  server.chain.addTopic(1n);
  server.chain.addTopic(3n);
  server.chain.fund(alice.address, ONE_ALLO);
  const client = await ChainClient.connect({ rpc: server.url, pollIntervalMs: 20 });
  return {
    server,
    client,
    async [Symbol.asyncDispose]() {
      client.close();
      await server.close();
    },
  };
}

function registerMessages(server: TestRpcServer) {
  return server.chain.received.flatMap((tx) => tx.messages);
}

Deno.test("registerWorker() sends a correctly encoded RegisterRequest", async () => {
  await using env = await setup();
  const result = await registerWorker(env.client, alice, 1n);
  assert.equal(result.status, "registered");
  assert.match(result.txHash ?? "", /^[0-9A-F]{64}$/);

  const [tx] = env.server.chain.received;
  assert.equal(tx.hash, result.txHash);
  assert.equal(tx.result.code, 0);
  assert.deepEqual(tx.messages, [{
    typeUrl: "/emissions.v9.RegisterRequest",
    value: { sender: alice.address, topicId: 1n, owner: alice.address, isReputer: false },
  }]);
  // 80000 simulated gas × 1.5, at the feemarket's 10 uallo per gas.
  assert.equal(tx.gasLimit, 120_000n);
  assert.equal(tx.feeAmount, 1_200_000n);
  assert.ok(env.server.chain.isRegistered(1n, alice.address));
  assert.equal(
    env.server.chain.accounts.get(alice.address)?.balance,
    ONE_ALLO - 1_200_000n - 200n,
  );
});

Deno.test("registerWorker() uses the v10 type URL on a v10 chain", async () => {
  await using env = await setup("v10");
  await registerWorker(env.client, alice, 3n);
  assert.equal(registerMessages(env.server)[0].typeUrl, "/emissions.v10.RegisterRequest");
});

Deno.test("registerWorker() sends nothing when already registered", async () => {
  await using env = await setup();
  env.server.chain.registrations.add(`1/${alice.address}`);
  const result = await registerWorker(env.client, alice, 1n);
  assert.equal(result.status, "already-registered");
  assert.equal(env.server.calls.includes("broadcast_tx_sync"), false);
});

Deno.test("registerWorker() rejects a missing topic before sending", async () => {
  await using env = await setup();
  const error = await assertRejects(
    () => registerWorker(env.client, alice, 9n),
    TopicNotFoundError,
  );
  assert.equal(error.topicId, 9n);
  assert.equal(env.server.calls.includes("broadcast_tx_sync"), false);
});

Deno.test("registerWorker() checks the balance against the registration fee", async () => {
  await using env = await setup();
  env.server.chain.params.registrationFee = String(2n * ONE_ALLO);
  const error = await assertRejects(
    () => registerWorker(env.client, alice, 1n),
    InsufficientBalanceError,
  );
  assert.equal(error.balance, ONE_ALLO);
  assert.equal(error.required, 2n * ONE_ALLO);
  assert.equal(env.server.calls.includes("broadcast_tx_sync"), false);
});

Deno.test("registerWorker() reports an account that was never funded", async () => {
  await using env = await setup();
  env.server.chain.params.registrationFee = "0";
  const stranger = accountFromPrivateKey(sha256(new TextEncoder().encode("stranger")));
  const error = await assertRejects(
    () => registerWorker(env.client, stranger, 1n),
    AccountNotFoundError,
  );
  assert.equal(error.address, stranger.address);
});

Deno.test("registerWorker() resynchronizes after a sequence mismatch", async () => {
  await using env = await setup();
  env.server.chain.injectedCheckTx.push({
    code: 32,
    codespace: "sdk",
    log: "account sequence mismatch, expected 1, got 0",
  });
  const result = await registerWorker(env.client, alice, 1n);
  assert.equal(result.status, "registered");
  assert.equal(env.server.calls.filter((m) => m === "broadcast_tx_sync").length, 2);
  assert.equal(env.server.chain.received.length, 1);
});

Deno.test("AccountSubmitter.submit() maps a chain rejection to ChainError", async () => {
  await using env = await setup();
  env.server.chain.registrations.add(`1/${alice.address}`);
  const submitter = await env.client.submitter(alice);
  const message = {
    typeUrl: emissionsTypeUrl("v9", "RegisterRequest"),
    value: RegisterRequest.fromPartial({
      sender: alice.address,
      topicId: 1n,
      owner: alice.address,
    }),
  };
  const error = await assertRejects(
    () => submitter.submit("register in topic 1", [message]),
    ChainError,
  );
  assert.equal(error.code, 8);
  assert.equal(error.codespace, "emissions");
  assert.equal(error.kind, "already-registered");
  assert.match(error.message, /^Cannot register in topic 1: /);
});

Deno.test("AccountSubmitter.submit() serializes one account's transactions", async () => {
  await using env = await setup();
  const results = await Promise.all([
    registerWorker(env.client, alice, 1n),
    registerWorker(env.client, alice, 3n),
  ]);
  assert.deepEqual(results.map((result) => result.status), ["registered", "registered"]);
  assert.equal(env.server.chain.accounts.get(alice.address)?.sequence, 2n);
  // Without the queue both would sign with sequence 0 and one would need a retry.
  assert.equal(env.server.calls.filter((m) => m === "broadcast_tx_sync").length, 2);
});

Deno.test("ensureWorkerRegistered() reports each topic without throwing", async () => {
  await using env = await setup();
  env.server.chain.registrations.add(`3/${alice.address}`);
  const statuses = await ensureWorkerRegistered({
    client: env.client,
    account: alice,
    topics: [1, 2, "3"],
    logger: silentLogger,
  });
  assert.deepEqual(statuses.map(({ topicId, status }) => [topicId, status]), [
    [1n, "registered"],
    [2n, "failed"],
    [3n, "already-registered"],
  ]);
  assert.match(statuses[1].reason ?? "", /Cannot find topic 2/);
  assert.ok(statuses[1].hint);
});

Deno.test("submitWorkerPayload() lands a bundle the chain verifies", async () => {
  await using env = await setup();
  await registerWorker(env.client, alice, 1n);
  const result = await submitWorkerPayload({
    client: env.client,
    account: alice,
    topicId: 1n,
    nonce: 12n,
    output: '{"infererValue": 0.0000001}',
  });
  const tx = env.server.chain.received.find((received) => received.hash === result.txHash);
  assert.equal(tx?.result.code, 0);
  assert.equal(tx?.messages[0].typeUrl, "/emissions.v9.InsertWorkerPayloadRequest");
});

Deno.test("submitWorkerPayload() maps a failure in the block to ChainError", async () => {
  await using env = await setup();
  await registerWorker(env.client, alice, 1n);
  env.server.chain.injectedDeliverTx.push({
    code: 67,
    codespace: "emissions",
    log: "worker window not available",
  });
  const error = await assertRejects(
    () =>
      submitWorkerPayload({
        client: env.client,
        account: alice,
        topicId: 1n,
        nonce: 12n,
        output: "5",
      }),
    ChainError,
  );
  assert.equal(error.kind, "window-closed");
  assert.equal(error.txHash, env.server.chain.received.at(-1)?.hash);
});

Deno.test("AccountSubmitter.submit() maps a fee below the chain minimum", async () => {
  await using env = await setup();
  env.server.chain.gasPriceAtomics = "1000000000000000000";
  const error = await assertRejects(() => registerWorker(env.client, alice, 1n), ChainError);
  assert.equal(error.code, 13);
  assert.equal(error.kind, "insufficient-fee");
  assert.equal(env.server.chain.received.length, 0);
});
