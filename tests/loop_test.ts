/**
 * The inference loop on a local chain. A devnet in this process opens a worker nonce every
 * epoch, and a real `allora head` process schedules one request per nonce. Real
 * `allora worker` processes run main.py and submit their inferences, which the test reads back
 * through the chain client.
 */
import "../node/shim.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Processes, type TestProcess, withProcesses } from "../testing/processes.ts";
import { startWorkerProcess } from "../testing/worker_process.ts";
import { makeWallet, startTestDevnet } from "../testing/devnet.ts";
import { waitUntil } from "../testing/scripted_head.ts";
import { tempDir } from "../testing/temp_dir.ts";
import type { Devnet, DevnetOptions } from "../node/devnet/mod.ts";
import { ChainClient, type Inference } from "../node/chain/mod.ts";
import { createKeystore, deriveAccount } from "../node/wallet/mod.ts";

const PASSWORD = "loop test password, not a secret";
// 500 ms blocks and a 20-block window give each nonce 10 s to land on a busy machine.
const DEVNET: DevnetOptions = { blockTimeMs: 500, epochLength: 20, workerSubmissionWindow: 20 };
const MAIN_PY = `import json, sys
print(json.dumps({"infererValue": "2514.370"}))
`;
const LAND_TIMEOUT_MS = 120_000;

interface LoopWorker {
  address: string;
  process: TestProcess;
}

/** Funded accounts for `count` workers: the first with a keystore, the others a mnemonic. */
async function makeAccounts(count: number) {
  return await Promise.all(Array.from({ length: count }, async () => {
    const { mnemonic } = await makeWallet();
    return { mnemonic, address: (await deriveAccount(mnemonic)).address };
  }));
}

async function startHead(processes: Processes, devnet: Devnet) {
  return await processes.head([
    "--schedule",
    "1=ETH",
    "--schedule-interval",
    "500ms",
    "--chain-rpc",
    devnet.url,
    "--workspace",
    join(processes.tempDir, "head"),
  ]);
}

async function startWorkers(
  processes: Processes,
  headAddress: string,
  devnet: Devnet,
  accounts: { mnemonic: string; address: string }[],
): Promise<LoopWorker[]> {
  await Deno.writeTextFile(join(processes.tempDir, "main.py"), MAIN_PY);
  return await Promise.all(accounts.map(async ({ mnemonic, address }, index) => {
    const dir = join(processes.tempDir, `worker-${index}`);
    const args = [
      "--chain-rpc",
      devnet.url,
      "--private-key",
      join(dir, "priv.bin"),
      "--workspace",
      join(dir, "workspace"),
    ];
    let env: Record<string, string> = { ALLORA_WALLET_MNEMONIC: mnemonic };
    if (index === 0) {
      const keystore = join(dir, "wallet.json");
      await createKeystore(keystore, mnemonic, PASSWORD, { scrypt: { n: 2 ** 10, r: 8, p: 1 } });
      args.push("--wallet", keystore);
      env = { ALLORA_WALLET_PASSWORD: PASSWORD };
    }
    const { process, ready } = await startWorkerProcess(processes, {
      headAddress,
      project: processes.tempDir,
      args,
      env,
      name: `worker-${index}`,
      logLevel: "info",
    });
    assert.equal(ready.address, address);
    return { address, process };
  }));
}

/** Waits until every worker's latest inference is for one nonce above `after`. */
async function landedTogether(
  client: ChainClient,
  workers: LoopWorker[],
  after = 0n,
): Promise<Inference[]> {
  let latest: (Inference | undefined)[] = [];
  await waitUntil(
    async () => {
      latest = await Promise.all(
        workers.map((worker) => client.query.emissions.workerLatestInference(1n, worker.address)),
      );
      const heights = new Set(latest.map((inference) => inference?.blockHeight ?? 0n));
      const [height] = heights;
      return heights.size === 1 && height > after;
    },
    "every worker's payload for one nonce",
    LAND_TIMEOUT_MS,
    250,
  );
  return latest as Inference[];
}

Deno.test("three workers land their payloads for one nonce", async () => {
  await withProcesses(async (processes) => {
    const accounts = await makeAccounts(3);
    await using devnet = await startTestDevnet({
      ...DEVNET,
      fund: accounts.map(({ address }) => ({ address, amount: 10n ** 18n })),
    });
    const head = await startHead(processes, devnet);
    const workers = await startWorkers(processes, head.ready.multiaddrs[0], devnet, accounts);
    const client = await ChainClient.connect({ rpc: devnet.url });
    try {
      const inferences = await landedTogether(client, workers);
      const nonce = inferences[0].blockHeight;
      assert.equal(nonce % 20n, 0n, `nonce ${nonce} is not an epoch start`);
      for (const [index, inference] of inferences.entries()) {
        assert.equal(inference.inferer, workers[index].address);
        assert.equal(inference.value, "2514.370");
        assert.equal(inference.topicId, 1n);
      }

      // Each payload landed inside the nonce's window.
      const payloads = devnet.state.state.emissions.topics.get("1")!.payloads.get(String(nonce));
      assert.equal(payloads?.size, 3);
      for (const payload of payloads!.values()) {
        assert.ok(payload.height >= nonce, `payload at ${payload.height}, before the nonce`);
        assert.ok(payload.height < nonce + 20n, `payload at ${payload.height}, after the window`);
      }
      await waitUntil(
        () =>
          new RegExp(`scheduled request finished .*nonce=${nonce} .*code=200 workers=3`)
            .test(head.process.stderr),
        "the head to log the scheduled request",
      );
      // The chain has the payloads before each worker's next poll for its transaction.
      const landed = new RegExp(
        `payload landed on chain .*topic=1 nonce=${nonce} tx_hash=[0-9A-F]{64}`,
      );
      for (const worker of workers) {
        await waitUntil(() => landed.test(worker.process.stderr), "the worker to log the hash");
      }
    } finally {
      client.close();
    }
  });
});

Deno.test("the loop continues after a devnet restart", async () => {
  await using home = await tempDir();
  await withProcesses(async (processes) => {
    const accounts = await makeAccounts(1);
    const options = {
      ...DEVNET,
      home: home.path,
      fund: [{ address: accounts[0].address, amount: 10n ** 18n }],
    };
    const first = await startTestDevnet(options);
    let second: Devnet | undefined;
    let client: ChainClient | undefined;
    try {
      const head = await startHead(processes, first);
      const workers = await startWorkers(processes, head.ready.multiaddrs[0], first, accounts);
      client = await ChainClient.connect({ rpc: first.url });
      const [before] = await landedTogether(client, workers);
      client.close();

      const stoppedAt = first.state.height;
      await first.stop();
      await waitUntil(
        () => head.process.stderr.includes("cannot read worker nonces"),
        "the head to notice the chain is gone",
      );
      second = await startTestDevnet({ ...options, port: first.port });
      assert.ok(second.state.height >= stoppedAt, "the chain continued from its state file");
      assert.ok(second.state.state.emissions.topics.get("1")!.workers.has(accounts[0].address));

      client = await ChainClient.connect({ rpc: second.url });
      const [after] = await landedTogether(client, workers, before.blockHeight);
      assert.ok(after.blockHeight > BigInt(stoppedAt), `${after.blockHeight} <= ${stoppedAt}`);
      await waitUntil(
        () => head.process.stderr.includes("reading worker nonces again"),
        "the head to log that it reads the chain again",
      );
    } finally {
      client?.close();
      await second?.stop();
      await first.stop();
    }
  });
});
