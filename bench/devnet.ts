/**
 * Throughput of the chain double: CheckTx and block delivery of pre-signed bank sends
 * in-process, and the time a cosmjs `sendTokens` takes over HTTP on loopback.
 *
 * Run: `deno run -A bench/devnet.ts [--txs 500]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { coins } from "@cosmjs/proto-signing";
import { makeWallet, signSend, startFundedDevnet } from "../testing/devnet.ts";

const { values } = parseArgs({ options: { txs: { type: "string", default: "500" } } });
const count = Number(values.txs);

async function blockThroughput() {
  await using funded = await startFundedDevnet(10n ** 24n, { blockTimeMs: 0 });
  const signed: Uint8Array[] = [];
  for (let sequence = 0; sequence < count; sequence++) {
    signed.push(await signSend(funded, { sequence }));
  }
  const checkStart = performance.now();
  for (const tx of signed) {
    const result = funded.devnet.state.checkTx(tx);
    if (result.code !== 0) throw new Error(`CheckTx failed: ${result.log}`);
  }
  const checkMs = performance.now() - checkStart;
  const blockStart = performance.now();
  funded.devnet.produceBlock();
  const blockMs = performance.now() - blockStart;
  return { checkMs, blockMs };
}

async function sendLatency(rounds: number) {
  await using funded = await startFundedDevnet(10n ** 24n, {
    blockTimeMs: 100,
    clientOptions: { broadcastPollIntervalMs: 20 },
  });
  const bob = await makeWallet();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const result = await funded.client.sendTokens(
      funded.wallet.address,
      bob.address,
      coins("1", "uallo"),
      "auto",
    );
    if (result.code !== 0) throw new Error(`send failed: ${result.rawLog}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const { checkMs, blockMs } = await blockThroughput();
const medianMs = await sendLatency(20);
console.log(
  `| transactions | CheckTx per tx | block delivery per tx | sendTokens median (100 ms blocks) |`,
);
console.log(
  `| ${count} | ${(checkMs / count).toFixed(2)} ms | ${(blockMs / count).toFixed(2)} ms | ${
    medianMs.toFixed(0)
  } ms |`,
);
