/**
 * `allora worker` with a chain wallet, as a real subprocess: a scripted head in this process
 * sends execute requests for a worker nonce, and a devnet in this process receives the
 * payloads. Blocks appear only when a transaction waits, so the nonce's window stays open.
 */
import "../node/shim.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ScriptedHead, startScriptedHead, waitUntil } from "../testing/scripted_head.ts";
import { type Processes, withProcesses } from "../testing/processes.ts";
import { startWorkerProcess } from "../testing/worker_process.ts";
import { commitPending, makeWallet, produceBlocksTo, startTestDevnet } from "../testing/devnet.ts";
import { deliveredTxs } from "../testing/chain_testbed.ts";
import type { Devnet } from "../node/devnet/mod.ts";
import type { MsgExecuteResponse } from "../node/p2p/messages.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";
import { createKeystore, deriveAccount } from "../node/wallet/mod.ts";

const TOPIC = "allora-topic-1-worker";
const PASSWORD = "worker test password, not a secret";
const EPOCH = 12;
const MAIN_PY = `import json
print(json.dumps({"infererValue": "2514.37"}))
`;
const PAYLOAD_TYPE = "/emissions.v9.InsertWorkerPayloadRequest";

interface Wallet {
  keystore: string;
  address: string;
}

/** Writes main.py and a keystore (cheap scrypt) funded on `devnet`'s genesis by the caller. */
async function prepare(dir: string): Promise<Wallet & { mnemonic: string }> {
  await Deno.writeTextFile(join(dir, "main.py"), MAIN_PY);
  const { mnemonic } = await makeWallet();
  const keystore = join(dir, "wallet.json");
  await createKeystore(keystore, mnemonic, PASSWORD, { scrypt: { n: 2 ** 10, r: 8, p: 1 } });
  return { keystore, mnemonic, address: (await deriveAccount(mnemonic)).address };
}

function startWorker(processes: Processes, head: ScriptedHead, devnet: Devnet, wallet: Wallet) {
  return startWorkerProcess(processes, {
    headAddress: head.address,
    project: processes.tempDir,
    args: [
      "--wallet",
      wallet.keystore,
      "--chain-rpc",
      devnet.url,
      "--workspace",
      join(processes.tempDir, "workspace"),
    ],
    env: { ALLORA_WALLET_PASSWORD: PASSWORD },
  });
}

// A roll call first makes the worker install the embedded function and reserve a slot.
async function execute(head: ScriptedHead, peer: string, requestId: string, nonce: number) {
  await head.rollCall(TOPIC, { functionId: FUNCTION_ID, requestId });
  await head.waitFor(({ message }) =>
    message.type === "MsgRollCallResponse" && message.request_id === requestId
  );
  await head.execute(peer, {
    request_id: requestId,
    function_id: FUNCTION_ID,
    method: FUNCTION_METHOD,
    topic: TOPIC,
    config: {
      env_vars: [
        { name: "ALLORA_ARG_PARAMS", value: "ETH" },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: String(nonce) },
        { name: "TOPIC_ID", value: "1" },
      ],
    },
  });
  const { message } = await head.waitFor(({ message }) =>
    message.type === "MsgExecuteResponse" && message.request_id === requestId
  );
  return message as MsgExecuteResponse;
}

Deno.test("allora worker submits a nonce once, also across a restart", async () => {
  await withProcesses(async (processes) => {
    const wallet = await prepare(processes.tempDir);
    await using devnet = await startTestDevnet({
      blockTimeMs: 0,
      epochLength: EPOCH,
      workerSubmissionWindow: EPOCH,
      fund: [{ address: wallet.address, amount: 10n ** 18n }],
    });
    produceBlocksTo(devnet, EPOCH);
    using _committer = commitPending(devnet);
    const head = await startScriptedHead();
    try {
      const first = await startWorker(processes, head, devnet, wallet);
      assert.equal(first.ready.address, wallet.address);

      const response = await execute(head, first.ready.peer_id, "request-1", EPOCH);
      const result = response.results?.[first.ready.peer_id];
      assert.equal(result?.code, "200");
      assert.deepEqual(JSON.parse(result!.result.stdout), { infererValue: "2514.37" });
      await waitUntil(
        () => first.process.stderr.includes("payload landed on chain"),
        "the payload to land",
        60_000,
      );
      const landed = first.process.stderr.split("\n").find((line) =>
        line.includes("payload landed on chain")
      )!;
      assert.match(landed, /request_id=request-1 .*topic=1 nonce=12 tx_hash=[0-9A-F]{64}/);
      const topic = devnet.state.state.emissions.topics.get("1")!;
      assert.equal(topic.latestInferences.get(wallet.address)?.blockHeight, BigInt(EPOCH));
      assert.ok(!first.process.stderr.includes(PASSWORD));
      await first.process.stop();

      const second = await startWorker(processes, head, devnet, wallet);
      await execute(head, second.ready.peer_id, "request-2", EPOCH);
      await waitUntil(
        () => second.process.stderr.includes("payload for this nonce already handled"),
        "the restarted worker to skip the nonce",
        60_000,
      );
      assert.match(second.process.stderr, /submitted_nonces=1/);
      assert.equal(deliveredTxs(devnet, PAYLOAD_TYPE).length, 1);
    } finally {
      await head.stop();
    }
  });
});

Deno.test("allora worker forgets the nonces of an earlier chain", async () => {
  await withProcesses(async (processes) => {
    const wallet = await prepare(processes.tempDir);
    // The record of a worker that served a chain which has since been started anew.
    const record = {
      format: 1,
      entries: [12, 24].map((nonce) => ({
        topic: "1",
        nonce: String(nonce),
        outcome: "landed",
        time: "2026-01-01T00:00:00.000Z",
      })),
    };
    await Deno.mkdir(join(processes.tempDir, "workspace"));
    await Deno.writeTextFile(
      join(processes.tempDir, "workspace", "submissions.json"),
      JSON.stringify(record),
    );
    await using devnet = await startTestDevnet({
      blockTimeMs: 0,
      epochLength: EPOCH,
      workerSubmissionWindow: EPOCH,
      fund: [{ address: wallet.address, amount: 10n ** 18n }],
    });
    using _committer = commitPending(devnet);
    const head = await startScriptedHead();
    try {
      const { process, ready } = await startWorker(processes, head, devnet, wallet);
      await waitUntil(
        () => process.stderr.includes("registered worker in topic"),
        "the worker to register",
      );
      assert.match(
        process.stderr,
        /forgetting recorded nonces above the chain height; the chain was reset height=1 forgotten=2/,
      );

      produceBlocksTo(devnet, EPOCH);
      await execute(head, ready.peer_id, "request-1", EPOCH);
      await waitUntil(
        () => process.stderr.includes("payload landed on chain"),
        "the payload to land",
        60_000,
      );
    } finally {
      await head.stop();
    }
  });
});

Deno.test("allora worker without a wallet serves and submits nothing", async () => {
  await withProcesses(async (processes) => {
    await Deno.writeTextFile(join(processes.tempDir, "main.py"), MAIN_PY);
    await using devnet = await startTestDevnet();
    const head = await startScriptedHead();
    try {
      const { process, ready } = await startWorkerProcess(processes, {
        headAddress: head.address,
        project: processes.tempDir,
        args: ["--chain-rpc", devnet.url],
      });
      assert.equal(ready.address, undefined);
      const response = await execute(head, ready.peer_id, "request-1", 12);
      assert.equal(response.code, "200");
      assert.match(process.stderr, /no chain wallet; payloads are not submitted/);
      assert.equal(deliveredTxs(devnet, PAYLOAD_TYPE).length, 0);
    } finally {
      await head.stop();
    }
  });
});

Deno.test("allora worker exits when --wallet names a missing keystore", async () => {
  await withProcesses(async (processes) => {
    const head = await startScriptedHead();
    try {
      const start = startWorkerProcess(processes, {
        headAddress: head.address,
        project: processes.tempDir,
        args: ["--wallet", "missing.json"],
      });
      await assert.rejects(start, /exited with code 1 before it was ready/);
      const process = processes.all.at(-1)!;
      assert.match(process.stderr, /error: Cannot find the wallet keystore .*missing\.json/);
    } finally {
      await head.stop();
    }
  });
});
