/**
 * Cost of the worker's chain path: canonicalizing a decimal, building and signing a bundle,
 * checking it as the chain does, and one full registration against the loopback test RPC server
 * (queries, simulation, signing, broadcast and one `tx_search` poll). Run with
 * `deno bench -A bench/chain_bench.ts`; figures are in bench/README.md.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import {
  accountFromPrivateKey,
  buildWorkerBundle,
  canonicalBoundedDec,
  ChainClient,
  registerWorker,
  verifyBundleSignature,
} from "../node/chain/mod.ts";
import { TestChain } from "../testing/chain_state.ts";
import { startTestRpcServer } from "../testing/rpc_server.ts";

const account = accountFromPrivateKey(sha256(new TextEncoder().encode("bench")));
const OUTPUT = JSON.stringify({
  infererValue: "2534.123456789",
  forecasterValue: [{ worker: account.address, value: "0.00000012" }],
});
const bundle = buildWorkerBundle({ account, topicId: 1n, nonce: 100n, output: OUTPUT });

const server = startTestRpcServer(new TestChain());
const client = await ChainClient.connect({ rpc: server.url, pollIntervalMs: 10 });
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

Deno.bench("registerWorker() on the loopback RPC", { n: 50, warmup: 2 }, async () => {
  const topicId = nextTopic++;
  server.chain.addTopic(topicId);
  server.chain.fund(account.address, 10n ** 18n);
  await registerWorker(client, account, topicId);
});

globalThis.addEventListener("unload", () => {
  client.close();
  server.close();
});
