import assert from "node:assert/strict";
import { coins, type EncodeObject, Registry } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  calculateFee,
  defaultRegistryTypes,
  GasPrice,
  SigningStargateClient,
  StargateClient,
} from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { assertRejects } from "../../testing/assert.ts";
import { makeWallet, startTestDevnet, type TestWallet } from "../../testing/devnet.ts";

const ONE_ALLO = 10n ** 18n;
const GAS_PRICE = GasPrice.fromString("10uallo");
const POLL = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 30_000 };

async function signingClient(url: string, { wallet }: TestWallet) {
  return await SigningStargateClient.connectWithSigner(url, wallet, {
    gasPrice: GAS_PRICE,
    ...POLL,
  });
}

function sendMsg(from: string, to: string, amount: string): EncodeObject {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: from, toAddress: to, amount: coins(amount, "uallo") },
  };
}

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
  const alice = await makeWallet();
  const bob = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
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
    const bySender = await client.searchTx(`message.sender='${alice.address}'`);
    assert.equal(bySender.length, 1);
  } finally {
    client.disconnect();
  }
});

Deno.test("broadcast rejects a signature over another chain id with code 4", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = calculateFee(200_000, GAS_PRICE);
    const signed = await client.sign(
      alice.address,
      [sendMsg(alice.address, alice.address, "1")],
      fee,
      "",
      {
        accountNumber: 0n,
        sequence: 0,
        chainId: "other-chain",
      },
    );
    const error = await assertRejects(
      () => client.broadcastTx(TxRaw.encode(signed).finish()),
      BroadcastTxError,
    );
    assert.equal(error.code, 4);
    assert.equal(error.codespace, "sdk");
    assert.match(error.log ?? "", /signature verification failed/);
  } finally {
    client.disconnect();
  }
});

Deno.test("broadcast rejects a wrong sequence with code 32", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = calculateFee(200_000, GAS_PRICE);
    const signed = await client.sign(
      alice.address,
      [sendMsg(alice.address, alice.address, "1")],
      fee,
      "",
      {
        accountNumber: 0n,
        sequence: 5,
        chainId: devnet.chainId,
      },
    );
    const error = await assertRejects(
      () => client.broadcastTx(TxRaw.encode(signed).finish()),
      BroadcastTxError,
    );
    assert.equal(error.code, 32);
    assert.match(error.log ?? "", /account sequence mismatch, expected 0, got 5/);
  } finally {
    client.disconnect();
  }
});

Deno.test("broadcast rejects a fee below the minimum gas price with code 13", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = { amount: coins("1999999", "uallo"), gas: "200000" };
    const error = await assertRejects(
      () =>
        client.signAndBroadcast(alice.address, [sendMsg(alice.address, alice.address, "1")], fee),
      BroadcastTxError,
    );
    assert.equal(error.code, 13);
    assert.equal(devnet.state.account(alice.address)?.sequence, 0n);
  } finally {
    client.disconnect();
  }
});

Deno.test("broadcast rejects a fee above the balance with code 5", async () => {
  const poor = await makeWallet();
  await using devnet = await startTestDevnet({ fund: [{ address: poor.address, amount: 1000n }] });
  const client = await signingClient(devnet.url, poor);
  try {
    const fee = calculateFee(200_000, GAS_PRICE);
    const error = await assertRejects(
      () => client.signAndBroadcast(poor.address, [sendMsg(poor.address, poor.address, "1")], fee),
      BroadcastTxError,
    );
    assert.equal(error.code, 5);
    assert.equal(error.codespace, "sdk");
  } finally {
    client.disconnect();
  }
});

Deno.test("a send above the balance fails in the block with code 5 and still pays the fee", async () => {
  const alice = await makeWallet();
  const bob = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = calculateFee(200_000, GAS_PRICE);
    const result = await client.signAndBroadcast(
      alice.address,
      [sendMsg(alice.address, bob.address, (2n * ONE_ALLO).toString())],
      fee,
    );
    assert.equal(result.code, 5);
    assert.match(result.rawLog ?? "", /insufficient funds/);
    assert.equal(devnet.state.balance(bob.address), 0n);
    assert.equal(devnet.state.balance(alice.address), ONE_ALLO - 2_000_000n);
    assert.equal(devnet.state.account(alice.address)?.sequence, 1n);
  } finally {
    client.disconnect();
  }
});

Deno.test("broadcast rejects a message type the chain does not know with code 2", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await SigningStargateClient.connectWithSigner(devnet.url, alice.wallet, {
    registry: new Registry(defaultRegistryTypes),
    gasPrice: GAS_PRICE,
    ...POLL,
  });
  try {
    const delegate: EncodeObject = {
      typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
      value: {
        delegatorAddress: alice.address,
        validatorAddress: "allovaloper1xyz",
        amount: { denom: "uallo", amount: "1" },
      },
    };
    const error = await assertRejects(
      () => client.signAndBroadcast(alice.address, [delegate], calculateFee(200_000, GAS_PRICE)),
      BroadcastTxError,
    );
    assert.equal(error.code, 2);
    assert.match(
      error.log ?? "",
      /unable to resolve type URL \/cosmos\.staking\.v1beta1\.MsgDelegate/,
    );
  } finally {
    client.disconnect();
  }
});

Deno.test("a gas limit below the gas used fails with code 11", async () => {
  const alice = await makeWallet();
  await using devnet = await startTestDevnet({
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = calculateFee(5_000, GAS_PRICE);
    const error = await assertRejects(
      () =>
        client.signAndBroadcast(alice.address, [sendMsg(alice.address, alice.address, "1")], fee),
      BroadcastTxError,
    );
    assert.equal(error.code, 11);
  } finally {
    client.disconnect();
  }
});

Deno.test("two transactions from one account land in one block with sequences 0 and 1", async () => {
  const alice = await makeWallet();
  const bob = await makeWallet();
  await using devnet = await startTestDevnet({
    blockTimeMs: 0,
    fund: [{ address: alice.address, amount: ONE_ALLO }],
  });
  const client = await signingClient(devnet.url, alice);
  try {
    const fee = calculateFee(200_000, GAS_PRICE);
    const hashes = [];
    for (const sequence of [0, 1]) {
      const signed = await client.sign(
        alice.address,
        [sendMsg(alice.address, bob.address, "7")],
        fee,
        "",
        {
          accountNumber: 0n,
          sequence,
          chainId: devnet.chainId,
        },
      );
      hashes.push(await client.broadcastTxSync(TxRaw.encode(signed).finish()));
    }
    const block = devnet.produceBlock();
    assert.deepEqual(block.txHashes, hashes);
    assert.equal(devnet.state.balance(bob.address), 14n);
    assert.equal(devnet.state.account(alice.address)?.sequence, 2n);
  } finally {
    client.disconnect();
  }
});
