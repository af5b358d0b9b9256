/**
 * Cost of the worker's chain path: canonicalizing a decimal, building and signing a bundle,
 * checking it as the chain does, and one full registration. The registration runs against an
 * in-process devnet that commits a block as soon as the transaction waits, so it covers queries,
 * simulation, signing, broadcast, CheckTx, delivery and `tx_search` polls. Run with
 * `deno bench -A bench/chain_bench.ts`; figures are in bench/README.md.
 *
 * @module
 */
import {
  buildWorkerBundle,
  canonicalBoundedDec,
  ChainClient,
  registerWorker,
  verifyBundleSignature,
} from "../node/chain/mod.ts";
import { deriveAccount } from "../node/wallet/mod.ts";
import { commitPending, makeWallet, startTestDevnet } from "../testing/devnet.ts";

const REGISTRATIONS = 50;
const WARMUP = 2;

const account = await deriveAccount((await makeWallet()).mnemonic);
const OUTPUT = JSON.stringify({
  infererValue: "2534.123456789",
  forecasterValue: [{ worker: account.address, value: "0.00000012" }],
});
const bundle = buildWorkerBundle({ account, topicId: 1n, nonce: 100n, output: OUTPUT });

// One genesis topic per registration, since an account registers once per topic.
const topics = Array.from({ length: REGISTRATIONS + WARMUP }, (_, index) => BigInt(index + 1));
const devnet = await startTestDevnet({
  blockTimeMs: 0,
  topics,
  fund: [{ address: account.address, amount: 10n ** 18n }],
});
const committer = commitPending(devnet, 5);
const client = await ChainClient.connect({ rpc: devnet.url, pollIntervalMs: 10 });
let nextTopic = 1n;

Deno.bench("canonicalBoundedDec() of 0.00000012", () => {
  canonicalBoundedDec("0.00000012");
});

Deno.bench("buildWorkerBundle() with one forecast", () => {
  buildWorkerBundle({ account, topicId: 1n, nonce: 100n, output: OUTPUT });
});

Deno.bench("verifyBundleSignature()", () => {
  verifyBundleSignature(bundle);
});

Deno.bench(
  "registerWorker() on the devnet",
  { n: REGISTRATIONS, warmup: WARMUP },
  async () => {
    await registerWorker(client, account, nextTopic++);
  },
);

globalThis.addEventListener("unload", () => {
  client.close();
  committer[Symbol.dispose]();
  devnet.stop();
});
