import assert from "node:assert/strict";
import { join } from "node:path";
import { calculateFee, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { BinaryWriter } from "cosmjs-types/binary";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { assertRejects } from "../../testing/assert.ts";
import {
  bankSend,
  makeWallet,
  signSend,
  startFundedDevnet,
  startTestDevnet,
  TEST_GAS_PRICE,
} from "../../testing/devnet.ts";
import { DevnetError } from "./mod.ts";
import { StateFileError } from "./store.ts";

const FEE = calculateFee(200_000, TEST_GAS_PRICE);

Deno.test("startDevnet() continues height, balances and sequences after a restart", async () => {
  const home = await Deno.makeTempDir({ prefix: "devnet-home-" });
  const alice = await makeWallet();
  const bob = await makeWallet();
  try {
    let height: number;
    {
      await using devnet = await startTestDevnet({
        home,
        fund: [{ address: alice.address, amount: 10n ** 18n }],
      });
      const client = await SigningStargateClient.connectWithSigner(devnet.url, alice.wallet, {
        broadcastPollIntervalMs: 100,
      });
      const result = await client.signAndBroadcast(alice.address, [
        bankSend(alice.address, bob.address, 42n),
      ], FEE);
      assert.equal(result.code, 0);
      client.disconnect();
      await devnet.stop();
      height = devnet.state.height;
    }
    await using again = await startTestDevnet({ home, fund: [] });
    assert.ok(
      again.state.height >= height,
      `height went back from ${height} to ${again.state.height}`,
    );
    const client = await StargateClient.connect(again.url);
    assert.equal((await client.getBalance(bob.address, "uallo")).amount, "42");
    assert.equal((await client.getAccount(alice.address))?.sequence, 1);
    client.disconnect();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("startDevnet() rejects a state file of another chain id", async () => {
  const home = await Deno.makeTempDir({ prefix: "devnet-home-" });
  try {
    const first = await startTestDevnet({ home, chainId: "first" });
    await first.stop();
    const error = await assertRejects(
      () => startTestDevnet({ home, chainId: "second" }),
      DevnetError,
    );
    assert.match(error.message, /contains chain 'first', not 'second'/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("startDevnet() rejects a damaged state file", async () => {
  const home = await Deno.makeTempDir({ prefix: "devnet-home-" });
  try {
    await Deno.writeTextFile(join(home, "state.json"), "{not json");
    const error = await assertRejects(() => startTestDevnet({ home }), StateFileError);
    assert.equal(error.path, join(home, "state.json"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("end of block opens a worker nonce every epoch and closes the window", async () => {
  await using devnet = await startTestDevnet({
    blockTimeMs: 0,
    topics: [1n, 2n],
    epochLength: 3,
    workerSubmissionWindow: 2,
  });
  const topic = () => devnet.state.state.emissions.topics.get("1")!;
  devnet.produceBlock(); // height 2
  assert.deepEqual(topic().workerNonces, []);
  const opened = devnet.produceBlock(); // height 3
  assert.deepEqual(topic().workerNonces, [3n]);
  assert.equal(topic().topic.epochLastEnded, 3n);
  const event = opened.events.find((item) =>
    item.type === "emissions.v9.EventWorkerSubmissionWindowOpened"
  );
  assert.deepEqual(event?.attributes.map((item) => [item.key, item.value]), [
    ["topic_id", '"1"'],
    ["nonce_block_height", '"3"'],
    ["window_end_block", '"5"'],
  ]);
  devnet.produceBlock(); // 4
  const closed = devnet.produceBlock(); // 5
  assert.ok(
    closed.events.some((item) => item.type === "emissions.v9.EventWorkerSubmissionWindowClosed"),
  );
  devnet.produceBlock(); // 6
  assert.deepEqual(topic().workerNonces, [6n]);
  assert.equal(devnet.state.state.emissions.nextTopicId, 3n);
});

/** Appends a field to encoded bytes. */
function withExtraField(bytes: Uint8Array, field: number): Uint8Array {
  const extra = new BinaryWriter().uint32((field << 3) | 0).uint64(1n).finish();
  return new Uint8Array([...bytes, ...extra]);
}

Deno.test("broadcast rejects an unknown TxBody field with code 2", async () => {
  await using funded = await startFundedDevnet(10n ** 18n, { blockTimeMs: 0 });
  const { devnet } = funded;
  const signed = TxRaw.decode(await signSend(funded, { sequence: 0 }));
  const unknown = devnet.state.checkTx(
    TxRaw.encode({ ...signed, bodyBytes: withExtraField(signed.bodyBytes, 9) }).finish(),
  );
  assert.equal(unknown.code, 2);
  assert.match(unknown.log, /unknown field 9 \(wire type varint\) in cosmos\.tx\.v1beta1\.TxBody/);

  // A non-critical field decodes; the signature no longer covers the body, so it fails there.
  const nonCritical = devnet.state.checkTx(
    TxRaw.encode({ ...signed, bodyBytes: withExtraField(signed.bodyBytes, 1025) }).finish(),
  );
  assert.equal(nonCritical.code, 4);
});
