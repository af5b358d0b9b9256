import assert from "node:assert/strict";
import { assertRejects } from "../../testing/assert.ts";
import {
  type ChainTestbed,
  decodeTx,
  ONE_ALLO,
  startChainTestbed,
} from "../../testing/chain_testbed.ts";
import { makeWallet, produceBlocksTo, startTestDevnet } from "../../testing/devnet.ts";
import { queryFailure } from "../../testing/rpc_proxy.ts";
import { deriveAccount } from "../wallet/mod.ts";
import { ChainClient } from "./client.ts";
import { AccountNotFoundError, ChainError } from "./errors.ts";
import { GAS_PRICE_PATH } from "./fees.ts";
import { submitWorkerPayload } from "./payload.ts";
import { registerWorker } from "./registration.ts";

const PAYLOAD_V9 = "/emissions.v9.InsertWorkerPayloadRequest";
const EPOCH = 12;
const NONCE = 12n;

/** Starts a testbed whose account is registered in topic 1 and whose nonce 12 is open. */
async function startRegistered(window: number): Promise<ChainTestbed> {
  const bed = await startChainTestbed({ epochLength: EPOCH, workerSubmissionWindow: window });
  produceBlocksTo(bed.devnet, EPOCH);
  await registerWorker(bed.client, bed.account, 1n);
  return bed;
}

function submit(bed: ChainTestbed, options: { nonce?: bigint; output?: string } = {}) {
  return submitWorkerPayload({
    client: bed.client,
    account: bed.account,
    topicId: 1n,
    nonce: options.nonce ?? NONCE,
    output: options.output ?? "2500.5",
  });
}

Deno.test("submitWorkerPayload() lands a bundle the chain verifies", async () => {
  await using bed = await startRegistered(EPOCH);
  const [nonce] = await bed.client.query.emissions.unfulfilledWorkerNonces(1n);
  assert.equal(nonce, NONCE);
  const result = await submit(bed, { output: '{"infererValue": 0.0000001}' });

  const record = bed.devnet.state.tx(result.txHash);
  assert.equal(record?.result.code, 0);
  const [message] = decodeTx(record!.tx).messages;
  assert.equal(message.typeUrl, PAYLOAD_V9);
  const bundle = message.value.workerDataBundle as { worker: string; nonce: unknown };
  assert.equal(bundle.worker, bed.account.address);
  assert.deepEqual(bundle.nonce, { blockHeight: NONCE });
  const topic = bed.devnet.state.state.emissions.topics.get("1")!;
  assert.equal(topic.latestInferences.get(bed.account.address)?.value, "1E-7");
});

Deno.test("submitWorkerPayload() maps a second payload to already-submitted", async () => {
  await using bed = await startRegistered(EPOCH);
  await submit(bed);
  const broadcasts = bed.proxy.count("broadcast_tx_sync");
  const error = await assertRejects(() => submit(bed), ChainError);
  assert.equal(error.kind, "already-submitted");
  assert.equal(error.code, 78);
  assert.equal(error.codespace, "emissions");
  assert.equal(error.reportedCode, 6);
  assert.equal(error.reportedCodespace, "sdk");
  assert.match(error.log, /cannot update EMA more than once per window/);
  assert.match(
    error.message,
    /^Cannot submit the payload of topic 1 nonce 12: this worker already submitted in this window \(emissions code 78, reported as sdk code 6\)$/,
  );
  assert.equal(error.hint, "wait for the next window");
  assert.equal(bed.proxy.count("broadcast_tx_sync"), broadcasts);
});

Deno.test("submitWorkerPayload() maps a closed window to window-closed", async () => {
  const window = 3;
  await using bed = await startRegistered(window);
  // The next block, where the payload would run, is past blocks 12 to 14.
  produceBlocksTo(bed.devnet, EPOCH + window);
  const error = await assertRejects(() => submit(bed), ChainError);
  assert.equal(error.kind, "window-closed");
  assert.equal(error.code, 67);
  assert.equal(error.codespace, "emissions");
  assert.match(error.hint, /do not retry this nonce/);
});

Deno.test("submitWorkerPayload() maps a closed nonce to nonce-not-found", async () => {
  await using bed = await startRegistered(3);
  const never = await assertRejects(() => submit(bed, { nonce: 7n }), ChainError);
  assert.equal(never.kind, "nonce-not-found");
  assert.equal(never.code, 75);

  // The next epoch opens nonce 24 and closes nonce 12.
  produceBlocksTo(bed.devnet, 2 * EPOCH);
  const closed = await assertRejects(() => submit(bed), ChainError);
  assert.equal(closed.kind, "nonce-not-found");
  assert.equal(closed.code, 75);
  assert.equal(closed.codespace, "emissions");
  assert.equal(closed.hint, "fetch the current nonce and submit for that one");
});

Deno.test("submitWorkerPayload() maps an unregistered worker to not-registered", async () => {
  await using bed = await startChainTestbed({ epochLength: EPOCH });
  produceBlocksTo(bed.devnet, EPOCH);
  const error = await assertRejects(() => submit(bed), ChainError);
  assert.equal(error.kind, "not-registered");
  assert.equal(error.code, 13);
  assert.equal(error.codespace, "emissions");
  assert.match(error.hint, /allora chain register --topic ID/);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 0);
});

Deno.test("submitWorkerPayload() maps a failure in the block to ChainError", async () => {
  const window = 4;
  await using bed = await startRegistered(window);
  // The window closes while the transaction waits for its block: CheckTx passes, delivery at
  // block 16 fails.
  bed.proxy.handler = (call, forward) => {
    if (call.method === "broadcast_tx_sync") produceBlocksTo(bed.devnet, EPOCH + window - 1);
    return forward();
  };
  const error = await assertRejects(() => submit(bed), ChainError);
  assert.equal(error.kind, "window-closed");
  assert.equal(error.code, 67);
  assert.equal(error.reportedCode, 67);
  assert.match(error.txHash ?? "", /^[0-9A-F]{64}$/);
  const record = bed.devnet.state.tx(error.txHash!);
  assert.equal(record?.result.code, 67);
  assert.equal(record?.height, EPOCH + window);
});

Deno.test("submitWorkerPayload() rejects an account that was never funded", async () => {
  await using bed = await startChainTestbed({ balance: 0n, epochLength: EPOCH });
  produceBlocksTo(bed.devnet, EPOCH);
  const error = await assertRejects(() => submit(bed), AccountNotFoundError);
  assert.equal(error.address, bed.account.address);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 0);
});

Deno.test("AccountSubmitter.submit() maps a fee below the chain minimum", async () => {
  // Without a feemarket price the client pays the configured 1 uallo per gas, but the chain
  // requires 10.
  await using bed = await startChainTestbed({ client: { gasPrice: "1uallo", pollIntervalMs: 20 } });
  bed.proxy.handler = async (call, forward) => {
    const result = await forward();
    if (call.path !== GAS_PRICE_PATH) return result;
    return queryFailure(result, { code: 6, codespace: "sdk", log: "unknown query path" });
  };
  const error = await assertRejects(
    () => registerWorker(bed.client, bed.account, 1n),
    ChainError,
  );
  assert.equal(error.code, 13);
  assert.equal(error.codespace, "sdk");
  assert.equal(error.kind, "insufficient-fee");
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 1);
  assert.equal([...bed.devnet.state.txs()].length, 0);
});

// Blocks every 200 ms and a 20-block window leave the client 4 s to land a payload.
Deno.test("submitWorkerPayload() lands a payload between timed blocks", async () => {
  const wallet = await makeWallet();
  const account = await deriveAccount(wallet.mnemonic);
  await using devnet = await startTestDevnet({
    blockTimeMs: 200,
    epochLength: 20,
    workerSubmissionWindow: 20,
    fund: [{ address: wallet.address, amount: ONE_ALLO }],
  });
  const client = await ChainClient.connect({ rpc: devnet.url, pollIntervalMs: 100 });
  try {
    assert.equal((await registerWorker(client, account, 1n)).status, "registered");
    await devnet.waitForHeight(20);
    const [nonce] = await client.query.emissions.unfulfilledWorkerNonces(1n);
    assert.equal(nonce, 20n);
    const output = { infererValue: "0.0000001", forecasterValues: [] };
    const landed = await submitWorkerPayload({ client, account, topicId: 1n, nonce, output });
    assert.ok(landed.height > 20);

    const error = await assertRejects(
      () => submitWorkerPayload({ client, account, topicId: 1n, nonce, output }),
      ChainError,
    );
    assert.equal(error.kind, "already-submitted");
  } finally {
    client.close();
  }
});
