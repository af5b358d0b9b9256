import assert from "node:assert/strict";
import type { EncodeObject } from "@cosmjs/proto-signing";
import {
  BroadcastTxError,
  calculateFee,
  createProtobufRpcClient,
  QueryClient,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  buildWorkerBundle,
  createEmissionsRegistry,
  emissionsTypeUrl,
  insertWorkerPayloadMessage,
  setupEmissionsExtension,
  type WorkerDataBundle,
} from "../../chain/mod.ts";
import { deriveAccount } from "../../wallet/mod.ts";
import { assertRejects } from "../../../testing/assert.ts";
import {
  type FundedDevnet,
  makeWallet,
  startFundedDevnet,
  TEST_GAS_PRICE,
  type TestWallet,
} from "../../../testing/devnet.ts";
import type { TxRecord } from "../chain.ts";
import type { DevnetOptions } from "../mod.ts";
import { LatestInferenceRequest, LatestInferenceResponse } from "../../chain/emissions/mod.ts";

const ONE_ALLO = 10n ** 18n;
const FEE = calculateFee(400_000, TEST_GAS_PRICE);
const EPOCH = 4;
const WINDOW = 2;

/** Starts a manual-block devnet with topic 1 (epoch 4, window 2) and Alice funded. */
async function emissionsDevnet(options: DevnetOptions = {}): Promise<FundedDevnet> {
  return await startFundedDevnet(ONE_ALLO, {
    blockTimeMs: 0,
    epochLength: EPOCH,
    workerSubmissionWindow: WINDOW,
    clientOptions: { registry: createEmissionsRegistry("v9") },
    ...options,
  });
}

/** Signs `msgs` from the funded wallet, broadcasts them, produces a block; returns the result. */
async function deliver(funded: FundedDevnet, msgs: EncodeObject[]): Promise<TxRecord> {
  const { client, devnet, wallet } = funded;
  const account = devnet.state.account(wallet.address)!;
  const signed = await client.sign(wallet.address, msgs, FEE, "", {
    accountNumber: account.accountNumber,
    sequence: Number(account.sequence),
    chainId: devnet.chainId,
  });
  const hash = await client.broadcastTxSync(TxRaw.encode(signed).finish());
  devnet.produceBlock();
  return devnet.state.tx(hash)!;
}

function register(address: string, topicId = 1n): EncodeObject {
  return {
    typeUrl: emissionsTypeUrl("v9", "RegisterRequest"),
    value: { sender: address, topicId, owner: address, isReputer: false },
  };
}

async function bundleFor(
  wallet: TestWallet,
  nonce: bigint,
  value = "1.5",
): Promise<WorkerDataBundle> {
  const account = await deriveAccount(wallet.mnemonic);
  return buildWorkerBundle({
    account,
    topicId: 1n,
    nonce,
    output: { infererValue: value, forecasterValues: [] },
  });
}

function produceUntil(funded: FundedDevnet, height: number) {
  while (funded.devnet.state.height < height) funded.devnet.produceBlock();
}

async function queryClient(url: string) {
  const comet = await Comet38Client.connect(url);
  return QueryClient.withExtensions(comet, setupEmissionsExtension("v9"));
}

Deno.test("RegisterRequest charges the fee and registers the worker", async () => {
  await using funded = await emissionsDevnet();
  const { devnet, wallet: alice } = funded;
  const before = devnet.state.balance(alice.address);
  const result = await deliver(funded, [register(alice.address)]);
  assert.equal(result.result.code, 0, result.result.log);
  const fee = FEE.amount[0].amount;
  assert.equal(devnet.state.balance(alice.address), before - 200n - BigInt(fee));

  const query = await queryClient(devnet.url);
  assert.equal(await query.emissions.isWorkerRegistered(1n, alice.address), true);
  assert.equal((await query.emissions.params()).registrationFee, "200");
});

Deno.test("RegisterRequest twice fails with emissions code 8", async () => {
  await using funded = await emissionsDevnet();
  await deliver(funded, [register(funded.wallet.address)]);
  const again = await deliver(funded, [register(funded.wallet.address)]);
  assert.equal(again.result.code, 8);
  assert.equal(again.result.codespace, "emissions");
});

Deno.test("RegisterRequest for a missing topic fails with code 23", async () => {
  await using funded = await emissionsDevnet();
  const result = await deliver(funded, [register(funded.wallet.address, 9n)]);
  assert.equal(result.result.code, 23);
  assert.equal(result.result.codespace, "emissions");
});

Deno.test("RegisterRequest with 'auto' gas lands through Simulate", async () => {
  await using funded = await emissionsDevnet({ blockTimeMs: 100 });
  const { client, wallet: alice } = funded;
  const result = await client.signAndBroadcast(alice.address, [register(alice.address)], "auto");
  assert.equal(result.code, 0, result.rawLog);
});

Deno.test("a payload inside the window lands and reads back", async () => {
  await using funded = await emissionsDevnet();
  const { devnet, wallet: alice } = funded;
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const query = await queryClient(devnet.url);
  assert.deepEqual(await query.emissions.unfulfilledWorkerNonces(1n), [4n]);
  const status = await query.emissions.workerSubmissionWindowStatus(1n, alice.address);
  assert.equal(status.isOpen, true);
  assert.equal(status.isRegistered, true);

  const bundle = await bundleFor(alice, 4n, "+001.50");
  const result = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(result.result.code, 0, result.result.log);

  const rpc = createProtobufRpcClient(query);
  const bytes = await rpc.request(
    "emissions.v9.QueryService",
    "GetWorkerLatestInferenceByTopicId",
    LatestInferenceRequest.toBytes({ topicId: 1n, workerAddress: alice.address }),
  );
  const { latestInference } = LatestInferenceResponse.decode(bytes);
  assert.equal(latestInference?.value, "1.50");
  assert.equal(latestInference?.blockHeight, 4n);
});

Deno.test("a second payload for one nonce fails with code 78", async () => {
  // A window of 3 blocks (4 to 6) leaves room for the second payload at height 6.
  await using funded = await emissionsDevnet({ workerSubmissionWindow: 3 });
  const { wallet: alice } = funded;
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(alice, 4n);
  const first = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(first.result.code, 0, first.result.log);
  const second = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(second.result.code, 78);
  assert.equal(second.result.codespace, "emissions");
});

Deno.test("a payload after the window fails with 67, after the epoch with 75", async () => {
  await using funded = await emissionsDevnet();
  const { wallet: alice } = funded;
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH + WINDOW - 1);
  const bundle = await bundleFor(alice, 4n);
  // Delivered at height 6: the window of nonce 4 covers blocks 4 and 5.
  const late = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(late.height, EPOCH + WINDOW);
  assert.equal(late.result.code, 67);
  produceUntil(funded, 2 * EPOCH);
  const stale = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(stale.result.code, 75);
});

Deno.test("a payload with a changed value fails signature verification", async () => {
  await using funded = await emissionsDevnet();
  const { wallet: alice } = funded;
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(alice, 4n);
  bundle.inferenceForecastsBundle!.inference!.value = "2.5";
  const result = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(result.result.code, 4);
  assert.equal(result.result.codespace, "sdk");
  assert.match(result.result.log, /signature/i);
});

Deno.test("a bundle signed by another key fails with code 4", async () => {
  await using funded = await emissionsDevnet();
  const { wallet: alice } = funded;
  const mallory = await makeWallet();
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(mallory, 4n);
  const forged = {
    ...bundle,
    worker: alice.address,
    inferenceForecastsBundle: {
      inference: { ...bundle.inferenceForecastsBundle!.inference!, inferer: alice.address },
    },
  };
  const result = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, forged)]);
  assert.equal(result.result.code, 4, result.result.log);
});

Deno.test("a payload from an unregistered worker fails with code 13", async () => {
  await using funded = await emissionsDevnet();
  const { wallet: alice } = funded;
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(alice, 4n);
  const result = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(result.result.code, 13);
  assert.equal(result.result.codespace, "emissions");
});

Deno.test("an inference with v10 values is an unknown field on v9", async () => {
  await using funded = await emissionsDevnet();
  const { client, wallet: alice } = funded;
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(alice, 4n);
  bundle.inferenceForecastsBundle!.inference!.values = ["1"];
  const error = await assertRejects(
    () =>
      client.signAndBroadcast(alice.address, [
        insertWorkerPayloadMessage("v9", alice.address, bundle),
      ], FEE),
    BroadcastTxError,
  );
  assert.equal(error.code, 2);
  assert.match(error.log ?? "", /unknown field 7/);
});

Deno.test("a closed nonce becomes the network inference", async () => {
  await using funded = await emissionsDevnet();
  const { devnet, wallet: alice } = funded;
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const bundle = await bundleFor(alice, 4n, "3.25");
  await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  produceUntil(funded, 2 * EPOCH);
  const data = devnet.state.state.emissions.topics.get("1")!;
  assert.deepEqual(data.latestNetworkInference, {
    blockHeight: 4n,
    combinedValue: "3.25",
    infererValues: [{ worker: alice.address, value: "3.25" }],
  });
  assert.deepEqual(data.workerNonces, [8n]);
});

Deno.test("a restart keeps registrations, nonces and payloads", async () => {
  const home = await Deno.makeTempDir({ prefix: "devnet-emissions-" });
  try {
    let alice: TestWallet;
    {
      await using funded = await emissionsDevnet({ home });
      alice = funded.wallet;
      await deliver(funded, [register(alice.address)]);
      produceUntil(funded, EPOCH);
      const bundle = await bundleFor(alice, 4n);
      const result = await deliver(funded, [
        insertWorkerPayloadMessage("v9", alice.address, bundle),
      ]);
      assert.equal(result.result.code, 0);
    }
    await using again = await emissionsDevnet({ home });
    assert.equal(again.devnet.state.height, EPOCH + 1);
    const query = await queryClient(again.devnet.url);
    assert.equal(await query.emissions.isWorkerRegistered(1n, alice.address), true);
    assert.deepEqual(await query.emissions.unfulfilledWorkerNonces(1n), [4n]);
    const payloads = again.devnet.state.state.emissions.topics.get("1")!.payloads.get("4");
    assert.ok(payloads?.has(alice.address));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a payload with a forecast lands; a bad forecast inferer fails with code 7", async () => {
  await using funded = await emissionsDevnet({ workerSubmissionWindow: 3 });
  const { devnet, wallet: alice } = funded;
  const bob = await makeWallet();
  await deliver(funded, [register(alice.address)]);
  produceUntil(funded, EPOCH);
  const account = await deriveAccount(alice.mnemonic);
  const output = { infererValue: "1", forecasterValues: [{ worker: bob.address, value: "2e3" }] };
  const bundle = buildWorkerBundle({ account, topicId: 1n, nonce: 4n, output });
  const result = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bundle)]);
  assert.equal(result.result.code, 0, result.result.log);
  const payload = devnet.state.state.emissions.topics.get("1")!.payloads.get("4")!.get(
    alice.address,
  );
  assert.deepEqual(payload?.forecast?.forecastElements, [{ inferer: bob.address, value: "2E+3" }]);

  const bad = buildWorkerBundle({
    account,
    topicId: 1n,
    nonce: 4n,
    output: { infererValue: "1", forecasterValues: [{ worker: "allo1notanaddress", value: "2" }] },
  });
  const rejected = await deliver(funded, [insertWorkerPayloadMessage("v9", alice.address, bad)]);
  assert.equal(rejected.result.code, 7, rejected.result.log);
});

Deno.test("AddStakeRequest needs a reputer registration and moves the stake", async () => {
  await using funded = await emissionsDevnet();
  const { devnet, wallet: alice } = funded;
  const stake = (amount: string): EncodeObject => ({
    typeUrl: emissionsTypeUrl("v9", "AddStakeRequest"),
    value: { sender: alice.address, topicId: 1n, amount },
  });
  const unregistered = await deliver(funded, [stake("500")]);
  assert.equal(unregistered.result.code, 10);
  assert.equal(unregistered.result.codespace, "emissions");

  const asReputer = {
    ...register(alice.address),
    value: { ...register(alice.address).value, isReputer: true },
  };
  assert.equal((await deliver(funded, [asReputer])).result.code, 0);
  const before = devnet.state.balance(alice.address);
  const staked = await deliver(funded, [stake("500")]);
  assert.equal(staked.result.code, 0, staked.result.log);
  assert.equal(devnet.state.balance(alice.address), before - 500n - BigInt(FEE.amount[0].amount));
  assert.equal(devnet.state.state.emissions.topics.get("1")!.stakes.get(alice.address), 500n);
  assert.equal((await deliver(funded, [stake("0")])).result.code, 51);
});
