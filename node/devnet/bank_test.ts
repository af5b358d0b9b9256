import assert from "node:assert/strict";
import { coins, type EncodeObject, Registry } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  calculateFee,
  defaultRegistryTypes,
  StargateClient,
} from "@cosmjs/stargate";
import { assertRejects } from "../../testing/assert.ts";
import {
  bankSend,
  makeWallet,
  signSend,
  startFundedDevnet,
  startTestDevnet,
  TEST_GAS_PRICE,
} from "../../testing/devnet.ts";

const ONE_ALLO = 10n ** 18n;
const FEE = calculateFee(200_000, TEST_GAS_PRICE);

Deno.test("StargateClient reads chain id, height, balance and account", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await StargateClient.connect(devnet.url);
  try {
    assert.equal(await client.getChainId(), "devnet-test");
    assert.ok((await client.getHeight()) >= 1);
    assert.deepEqual(await client.getBalance(alice.address, "uallo"), {
      denom: "uallo",
      amount: ONE_ALLO.toString(),
    });
    const account = await client.getAccount(alice.address);
    assert.equal(account?.accountNumber, 0n);
    assert.equal(account?.sequence, 0);
    assert.equal(account?.pubkey, null);
    const stranger = await makeWallet();
    assert.equal(await client.getAccount(stranger.address), null);
    assert.deepEqual(await client.getAllBalances(stranger.address), []);
  } finally {
    client.disconnect();
  }
});

Deno.test("sendTokens() lands, charges the fee and increments the sequence", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const { client, wallet: alice } = funded;
  const bob = await makeWallet();
  const result = await client.sendTokens(
    alice.address,
    bob.address,
    coins("1000", "uallo"),
    "auto",
  );
  assert.equal(result.code, 0, result.rawLog);
  assert.equal((await client.getBalance(bob.address, "uallo")).amount, "1000");

  const fee = ONE_ALLO - 1000n - BigInt((await client.getBalance(alice.address, "uallo")).amount);
  assert.ok(fee >= result.gasWanted * 10n, `fee ${fee} is below gas wanted × 10`);
  assert.equal((await client.getAccount(alice.address))?.sequence, 1);
  assert.ok((await client.getAccount(alice.address))?.pubkey, "public key was not stored");

  const found = await client.getTx(result.transactionHash);
  assert.equal(found?.height, result.height);
  assert.equal(found?.code, 0);
  const transfers = found?.events.filter((event) => event.type === "transfer") ?? [];
  assert.ok(
    transfers.some((event) =>
      event.attributes.some((a) => a.key === "recipient" && a.value === bob.address)
    ),
  );
  assert.equal((await client.searchTx(`message.sender='${alice.address}'`)).length, 1);
});

Deno.test("broadcast rejects a signature over another chain id with code 4", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const tx = await signSend(funded, { sequence: 0, chainId: "other-chain" });
  const error = await assertRejects(
    () => funded.client.broadcastTx(tx),
    BroadcastTxError,
  );
  assert.equal(error.code, 4);
  assert.equal(error.codespace, "sdk");
  assert.match(error.log ?? "", /signature verification failed/);
});

Deno.test("broadcast rejects a wrong sequence with code 32", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const tx = await signSend(funded, { sequence: 5 });
  const error = await assertRejects(
    () => funded.client.broadcastTx(tx),
    BroadcastTxError,
  );
  assert.equal(error.code, 32);
  assert.match(error.log ?? "", /account sequence mismatch, expected 0, got 5/);
});

Deno.test("broadcast rejects a fee below the minimum gas price with code 13", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const { client, devnet, wallet: alice } = funded;
  const fee = { amount: coins("1999999", "uallo"), gas: "200000" };
  const error = await assertRejects(
    () => client.signAndBroadcast(alice.address, [bankSend(alice.address, alice.address, 1n)], fee),
    BroadcastTxError,
  );
  assert.equal(error.code, 13);
  assert.equal(devnet.state.account(alice.address)?.sequence, 0n);
});

Deno.test("broadcast rejects a fee above the balance with code 5", async () => {
  await using funded = await startFundedDevnet(1000n);
  const { client, wallet: poor } = funded;
  const error = await assertRejects(
    () => client.signAndBroadcast(poor.address, [bankSend(poor.address, poor.address, 1n)], FEE),
    BroadcastTxError,
  );
  assert.equal(error.code, 5);
  assert.equal(error.codespace, "sdk");
});

Deno.test("a send above the balance fails with code 5 and pays the fee", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const { client, devnet, wallet: alice } = funded;
  const bob = await makeWallet();
  const result = await client.signAndBroadcast(
    alice.address,
    [bankSend(alice.address, bob.address, 2n * ONE_ALLO)],
    FEE,
  );
  assert.equal(result.code, 5);
  assert.match(result.rawLog ?? "", /insufficient funds/);
  assert.equal(devnet.state.balance(bob.address), 0n);
  assert.equal(devnet.state.balance(alice.address), ONE_ALLO - 2_000_000n);
  assert.equal(devnet.state.account(alice.address)?.sequence, 1n);
});

Deno.test("broadcast rejects an unknown message type with code 2", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO, {
    clientOptions: { registry: new Registry(defaultRegistryTypes) },
  });
  const { client, wallet: alice } = funded;
  const delegate: EncodeObject = {
    typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
    value: {
      delegatorAddress: alice.address,
      validatorAddress: "allovaloper1xyz",
      amount: { denom: "uallo", amount: "1" },
    },
  };
  const error = await assertRejects(
    () => client.signAndBroadcast(alice.address, [delegate], FEE),
    BroadcastTxError,
  );
  assert.equal(error.code, 2);
  assert.match(
    error.log ?? "",
    /unable to resolve type URL \/cosmos\.staking\.v1beta1\.MsgDelegate/,
  );
});

Deno.test("a gas limit below the gas used fails with code 11", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const { client, wallet: alice } = funded;
  const error = await assertRejects(
    () =>
      client.signAndBroadcast(
        alice.address,
        [bankSend(alice.address, alice.address, 1n)],
        calculateFee(5_000, TEST_GAS_PRICE),
      ),
    BroadcastTxError,
  );
  assert.equal(error.code, 11);
});

Deno.test("sendTokens() with 'auto' gas lands after the key is stored", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO);
  const { client, wallet: alice } = funded;
  const bob = await makeWallet();
  for (let round = 0; round < 3; round++) {
    const result = await client.sendTokens(alice.address, bob.address, coins("1", "uallo"), "auto");
    assert.equal(result.code, 0, `round ${round}: ${result.rawLog}`);
  }
  assert.equal((await client.getBalance(bob.address, "uallo")).amount, "3");
});

Deno.test("two sequences from one account land in one block", async () => {
  await using funded = await startFundedDevnet(ONE_ALLO, { blockTimeMs: 0 });
  const { client, devnet, wallet: alice } = funded;
  const bob = await makeWallet();
  const hashes = [];
  for (const sequence of [0, 1]) {
    const tx = await signSend(funded, { sequence, to: bob.address, amount: 7n });
    hashes.push(await client.broadcastTxSync(tx));
  }
  const block = devnet.produceBlock();
  assert.deepEqual(block.txHashes, hashes);
  assert.equal(devnet.state.balance(bob.address), 14n);
  assert.equal(devnet.state.account(alice.address)?.sequence, 2n);
});
