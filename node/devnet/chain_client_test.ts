import assert from "node:assert/strict";
import { ChainClient, ChainError, registerWorker, submitWorkerPayload } from "../chain/mod.ts";
import { deriveAccount } from "../wallet/mod.ts";
import { assertRejects } from "../../testing/assert.ts";
import { makeWallet, startTestDevnet } from "../../testing/devnet.ts";

// Blocks every 200 ms and a 20-block window leave the client 4 s to land a payload.
const BLOCK_TIME_MS = 200;
const EPOCH = 20;

Deno.test("ChainClient registers and submits a payload on the devnet", async () => {
  const wallet = await makeWallet();
  const account = await deriveAccount(wallet.mnemonic);
  await using devnet = await startTestDevnet({
    blockTimeMs: BLOCK_TIME_MS,
    epochLength: EPOCH,
    workerSubmissionWindow: EPOCH,
    fund: [{ address: wallet.address, amount: 10n ** 18n }],
  });
  const client = await ChainClient.connect({ rpc: devnet.url, pollIntervalMs: 100 });
  try {
    assert.equal(client.emissionsVersion, "v9");
    assert.equal((await client.status()).chainId, "devnet-test");

    const registration = await registerWorker(client, account, 1n);
    assert.equal(registration.status, "registered");
    assert.equal(registration.registrationFee, 200n);
    assert.equal((await registerWorker(client, account, 1n)).status, "already-registered");

    await devnet.waitForHeight(EPOCH);
    const [nonce] = await client.query.emissions.unfulfilledWorkerNonces(1n);
    assert.equal(nonce, BigInt(EPOCH));
    const output = { infererValue: "0.0000001", forecasterValues: [] };
    const landed = await submitWorkerPayload({ client, account, topicId: 1n, nonce, output });
    assert.ok(landed.height > EPOCH);
    const stored = devnet.state.state.emissions.topics.get("1")!.latestInferences.get(
      wallet.address,
    );
    assert.equal(stored?.value, "1E-7");

    // The chain reports a failed simulation as sdk code 6 that quotes the message's error.
    const error = await assertRejects(
      () => submitWorkerPayload({ client, account, topicId: 1n, nonce, output }),
      ChainError,
    );
    assert.equal(error.code, 6);
    assert.equal(error.codespace, "sdk");
    assert.match(error.log, /failed to execute message; message index: 0: .*cannot update EMA/);
  } finally {
    client.close();
  }
});
