/**
 * Nonce-to-payload latency of the inference loop: a devnet in this process opens a worker
 * nonce every epoch, a real `allora head` subprocess schedules one request per nonce, and 1 or
 * 3 real `allora worker` subprocesses run main.py and submit their payloads. For each nonce it
 * measures the time from the block that opened the nonce to the block that holds the last
 * worker's payload, from the devnet's own block hooks. The submission window is the whole
 * epoch.
 *
 * Run: `deno run -A bench/loop.ts [--nonces 8] [--block-time 500] [--poll 500ms]`
 *
 * @module
 */
import "../node/shim.ts";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Processes } from "../testing/processes.ts";
import { startWorkerProcess } from "../testing/worker_process.ts";
import { makeWallet } from "../testing/devnet.ts";
import { type Devnet, startDevnet } from "../node/devnet/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    nonces: { type: "string", default: "8" },
    "block-time": { type: "string", default: "500" },
    epoch: { type: "string", default: "10" },
    poll: { type: "string", default: "500ms" },
  },
});
const NONCES = Number(values.nonces);
const BLOCK_TIME_MS = Number(values["block-time"]);
const EPOCH = Number(values.epoch);
const MAIN_PY = `import json
print(json.dumps({"infererValue": "2514.37"}))
`;

interface NonceTiming {
  nonce: bigint;
  latencyMs: number;
  blocks: number;
}

/** Records, per nonce, when it opened and when the last of `workers` payloads landed. */
function watchNonces(devnet: Devnet, workers: number): { timings: NonceTiming[]; stop(): void } {
  const opened = new Map<bigint, number>();
  const timings: NonceTiming[] = [];
  const stop = devnet.state.onBlock((block) => {
    const now = performance.now();
    const height = BigInt(block.height);
    const topic = devnet.state.state.emissions.topics.get("1");
    if (topic?.workerNonces[0] === height) opened.set(height, now);
    for (const [nonce, start] of opened) {
      if ((topic?.payloads.get(nonce.toString())?.size ?? 0) < workers) continue;
      timings.push({ nonce, latencyMs: now - start, blocks: block.height - Number(nonce) });
      opened.delete(nonce);
    }
  });
  return { timings, stop };
}

async function measure(workers: number): Promise<NonceTiming[]> {
  const processes = new Processes();
  const wallets = await Promise.all(Array.from({ length: workers }, () => makeWallet()));
  const devnet = await startDevnet({
    port: 0,
    blockTimeMs: BLOCK_TIME_MS,
    epochLength: EPOCH,
    workerSubmissionWindow: EPOCH,
    fund: wallets.map(({ address }) => ({ address, amount: 10n ** 20n })),
  });
  const watch = watchNonces(devnet, workers);
  try {
    await Deno.writeTextFile(join(processes.tempDir, "main.py"), MAIN_PY);
    const head = processes.spawn("head", [
      "run",
      "-A",
      join(import.meta.dirname!, "..", "main.ts"),
      "head",
      "--json",
      "--log-level",
      "warn",
      "--rest-api",
      "127.0.0.1:0",
      "--port",
      "0",
      "--workspace",
      join(processes.tempDir, "head"),
      "--schedule",
      "1=ETH",
      "--schedule-interval",
      String(values.poll),
      "--chain-rpc",
      devnet.url,
    ]);
    const headReady = await head.ready<{ multiaddrs: string[] }>();
    await Promise.all(wallets.map((wallet, index) =>
      startWorkerProcess(processes, {
        headAddress: headReady.multiaddrs[0],
        project: processes.tempDir,
        logLevel: "warn",
        name: `worker-${index}`,
        env: { ALLORA_WALLET_MNEMONIC: wallet.mnemonic },
        args: [
          "--chain-rpc",
          devnet.url,
          "--private-key",
          join(processes.tempDir, `worker-${index}`, "priv.bin"),
          "--workspace",
          join(processes.tempDir, `worker-${index}`, "workspace"),
        ],
      })
    ));
    // The first nonce lands while the workers still register; it is left out.
    const deadline = Date.now() + (NONCES + 3) * EPOCH * BLOCK_TIME_MS * 2 + 60_000;
    while (watch.timings.length < NONCES + 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (watch.timings.length < NONCES + 1) {
      processes.dump();
      throw new Error(`only ${watch.timings.length} nonces landed before the deadline`);
    }
    return watch.timings.slice(1, NONCES + 1);
  } finally {
    watch.stop();
    await processes.stopAll();
    await devnet.stop();
  }
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

console.log(
  `loop: ${NONCES} nonces per row, ${BLOCK_TIME_MS} ms blocks, epoch and window ${EPOCH} blocks, ` +
    `head poll ${values.poll}, load average ${Deno.loadavg()[0].toFixed(2)}`,
);
console.log("| workers | median ms | min ms | max ms | median blocks |");
console.log("| ------- | --------- | ------ | ------ | ------------- |");
for (const workers of [1, 3]) {
  const timings = await measure(workers);
  const latencies = timings.map((timing) => timing.latencyMs).sort((a, b) => a - b);
  const blocks = timings.map((timing) => timing.blocks).sort((a, b) => a - b);
  console.log(
    `| ${workers} | ${percentile(latencies, 0.5).toFixed(0)} | ` +
      `${latencies[0].toFixed(0)} | ${latencies.at(-1)!.toFixed(0)} | ` +
      `${percentile(blocks, 0.5)} |`,
  );
}
