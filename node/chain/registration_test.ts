import assert from "node:assert/strict";
import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { assertRejects } from "../../testing/assert.ts";
import {
  type ChainTestbed,
  decodeTx,
  deliveredTxs,
  ONE_ALLO,
  signOwnSend,
  startChainTestbed,
} from "../../testing/chain_testbed.ts";
import { resultValue } from "../../testing/rpc_proxy.ts";
import { silentLogger } from "../log.ts";
import { ChainError, InsufficientBalanceError, TopicNotFoundError } from "./errors.ts";
import { gasLimitFor } from "./fees.ts";
import { ensureWorkerRegistered, registerWorker } from "./registration.ts";
import { emissionsTypeUrl, RegisterRequest } from "./emissions/mod.ts";

const REGISTER_V9 = "/emissions.v9.RegisterRequest";
const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";

function isWorker(bed: ChainTestbed, topicId: bigint): boolean {
  const topic = bed.devnet.state.state.emissions.topics.get(topicId.toString());
  return topic?.workers.has(bed.account.address) ?? false;
}

function registerMessage(bed: ChainTestbed, topicId: bigint) {
  const address = bed.account.address;
  return {
    typeUrl: emissionsTypeUrl("v9", "RegisterRequest"),
    value: RegisterRequest.fromPartial({ sender: address, topicId, owner: address }),
  };
}

Deno.test("registerWorker() sends a correctly encoded RegisterRequest", async () => {
  await using bed = await startChainTestbed();
  const { address } = bed.account;
  const result = await registerWorker(bed.client, bed.account, 1n);
  assert.equal(result.status, "registered");
  assert.match(result.txHash ?? "", /^[0-9A-F]{64}$/);
  assert.equal(result.registrationFee, 200n);

  const record = bed.devnet.state.tx(result.txHash!);
  assert.equal(record?.result.code, 0);
  assert.equal(record?.height, result.height);
  const tx = decodeTx(record!.tx);
  assert.deepEqual(tx.messages, [{
    typeUrl: REGISTER_V9,
    value: { sender: address, topicId: 1n, owner: address, isReputer: false },
  }]);

  // The gas limit is the simulated gas × 1.5, paid at the feemarket's 10 uallo per gas.
  const simulation = bed.proxy.calls.filter((call) => call.path === SIMULATE_PATH);
  assert.equal(simulation.length, 1);
  const simulatedGas = SimulateResponse.decode(resultValue(simulation[0])).gasInfo!.gasUsed;
  assert.ok(simulatedGas > 0n);
  assert.equal(tx.gasLimit, gasLimitFor(simulatedGas));
  assert.equal(tx.feeAmount, tx.gasLimit * 10n);
  assert.ok(record!.result.gasUsed <= tx.gasLimit);
  assert.ok(isWorker(bed, 1n));
  assert.equal(bed.devnet.state.balance(address), ONE_ALLO - tx.feeAmount - 200n);
});

Deno.test("registerWorker() uses the v10 type URL on a v10 chain", async () => {
  await using bed = await startChainTestbed({ emissionsVersion: "v10", topics: [1n, 3n] });
  const result = await registerWorker(bed.client, bed.account, 3n);
  const tx = decodeTx(bed.devnet.state.tx(result.txHash!)!.tx, "v10");
  assert.equal(tx.messages[0].typeUrl, "/emissions.v10.RegisterRequest");
  assert.equal(bed.devnet.state.tx(result.txHash!)?.result.code, 0);
});

Deno.test("registerWorker() sends nothing when already registered", async () => {
  await using bed = await startChainTestbed();
  await registerWorker(bed.client, bed.account, 1n);
  const broadcasts = bed.proxy.count("broadcast_tx_sync");
  const result = await registerWorker(bed.client, bed.account, 1n);
  assert.equal(result.status, "already-registered");
  assert.equal(result.txHash, undefined);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), broadcasts);
});

Deno.test("registerWorker() rejects a missing topic before sending", async () => {
  await using bed = await startChainTestbed({ topics: [1n, 3n] });
  const error = await assertRejects(
    () => registerWorker(bed.client, bed.account, 9n),
    TopicNotFoundError,
  );
  assert.equal(error.topicId, 9n);
  assert.equal(error.lastTopicId, 3n);
  assert.equal(error.message, "Cannot register in topic 9: topic 9 does not exist");
  assert.match(error.hint, /topic ids run from 1 to 3/);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 0);
});

Deno.test("registerWorker() checks the balance against the registration fee", async () => {
  await using bed = await startChainTestbed({ balance: 150n });
  const error = await assertRejects(
    () => registerWorker(bed.client, bed.account, 1n),
    InsufficientBalanceError,
  );
  assert.equal(error.balance, 150n);
  assert.equal(error.required, 200n);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 0);
  assert.equal(bed.proxy.count("abci_query", SIMULATE_PATH), 0);
});

Deno.test("registerWorker() resynchronizes after a sequence mismatch in CheckTx", async () => {
  await using bed = await startChainTestbed();
  // Another process sends from the same wallet between our simulation and our broadcast.
  const otherTx = await signOwnSend(bed, 0);
  bed.proxy.handler = (call, forward) => {
    if (call.method === "broadcast_tx_sync" && bed.proxy.count("broadcast_tx_sync") === 1) {
      assert.equal(bed.devnet.state.checkTx(otherTx).code, 0);
    }
    return forward();
  };
  const result = await registerWorker(bed.client, bed.account, 1n);
  assert.equal(result.status, "registered");
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 2);
  const [first, second] = bed.proxy.calls.filter((call) => call.method === "broadcast_tx_sync");
  assert.equal((first.result as { code: number }).code, 32);
  assert.equal((second.result as { code: number }).code, 0);
  assert.equal(deliveredTxs(bed.devnet, REGISTER_V9).length, 1);
  assert.equal(decodeTx(bed.devnet.state.tx(result.txHash!)!.tx).sequence, 1n);
  assert.ok(isWorker(bed, 1n));
});

Deno.test("registerWorker() resynchronizes after a sequence mismatch in simulation", async () => {
  await using bed = await startChainTestbed({ commit: false });
  // A transaction of another process waits in the mempool, ahead of the committed sequence.
  assert.equal(bed.devnet.state.checkTx(await signOwnSend(bed, 0)).code, 0);
  const registration = registerWorker(bed.client, bed.account, 1n);
  let settled = false;
  registration.then(() => {}, () => {}).then(() => settled = true);
  while (!settled && bed.devnet.state.mempoolSize < 2) {
    await new Promise((done) => setTimeout(done, 10));
  }
  bed.devnet.produceBlock();
  const result = await registration;
  assert.equal(result.status, "registered");
  assert.equal(bed.proxy.count("abci_query", SIMULATE_PATH), 2);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 1);
  assert.equal(decodeTx(bed.devnet.state.tx(result.txHash!)!.tx).sequence, 1n);
  assert.equal(bed.devnet.state.account(bed.account.address)?.sequence, 2n);
});

Deno.test("AccountSubmitter.submit() maps an existing registration to ChainError", async () => {
  await using bed = await startChainTestbed();
  await registerWorker(bed.client, bed.account, 1n);
  const submitter = await bed.client.submitter(bed.account);
  const error = await assertRejects(
    () => submitter.submit("register in topic 1", [registerMessage(bed, 1n)]),
    ChainError,
  );
  assert.equal(error.code, 8);
  assert.equal(error.codespace, "emissions");
  assert.equal(error.kind, "already-registered");
  // The simulation failed: the chain reports sdk code 6 and quotes the cause.
  assert.equal(error.reportedCode, 6);
  assert.equal(error.reportedCodespace, "sdk");
  assert.match(error.log, /address already registered in a topic/);
  assert.match(error.message, /^Cannot register in topic 1: /);
  assert.equal(error.txHash, undefined);
});

Deno.test("AccountSubmitter.submit() maps a balance below the fee to ChainError", async () => {
  await using bed = await startChainTestbed({ balance: 100n });
  const submitter = await bed.client.submitter(bed.account);
  const error = await assertRejects(
    () => submitter.submit("register in topic 1", [registerMessage(bed, 1n)]),
    ChainError,
  );
  assert.equal(error.code, 48);
  assert.equal(error.codespace, "emissions");
  assert.equal(error.kind, "insufficient-balance");
  assert.match(error.hint, /fund the wallet/);
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 0);
});

Deno.test("AccountSubmitter.submit() serializes one account's transactions", async () => {
  await using bed = await startChainTestbed({ topics: [1n, 3n] });
  const results = await Promise.all([
    registerWorker(bed.client, bed.account, 1n),
    registerWorker(bed.client, bed.account, 3n),
  ]);
  assert.deepEqual(results.map((result) => result.status), ["registered", "registered"]);
  assert.equal(bed.devnet.state.account(bed.account.address)?.sequence, 2n);
  // Without the queue both would sign with sequence 0 and one would need a retry.
  assert.equal(bed.proxy.count("broadcast_tx_sync"), 2);
  assert.equal(bed.proxy.count("abci_query", SIMULATE_PATH), 2);
});

Deno.test("ensureWorkerRegistered() reports each topic without throwing", async () => {
  await using bed = await startChainTestbed({ topics: [1n, 3n] });
  await registerWorker(bed.client, bed.account, 3n);
  const statuses = await ensureWorkerRegistered({
    client: bed.client,
    account: bed.account,
    topics: [1, 2, "3"],
    logger: silentLogger,
  });
  assert.deepEqual(statuses.map(({ topicId, status }) => [topicId, status]), [
    [1n, "registered"],
    [2n, "failed"],
    [3n, "already-registered"],
  ]);
  assert.match(statuses[0].txHash ?? "", /^[0-9A-F]{64}$/);
  assert.match(statuses[1].reason ?? "", /topic 2 does not exist/);
  assert.match(statuses[1].hint ?? "", /topic ids run from 1 to 3/);
  assert.ok(statuses[1].error instanceof TopicNotFoundError);
  assert.ok(isWorker(bed, 1n));
});
