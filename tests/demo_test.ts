/**
 * `allora demo` as a subprocess: it runs `allora init`, `allora dev` (a devnet, a head and
 * workers as processes) and the request, and reads the payloads back from the chain.
 */
import assert from "node:assert/strict";
import { runCliProcess } from "../testing/cli.ts";

function demo(args: string[]) {
  return runCliProcess(["demo", ...args]);
}

Deno.test("allora demo lands every worker's payload on the local chain", async () => {
  const run = await demo(["--workers", "2"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^request \S+: code 200, 2 workers selected$/m);
  assert.match(run.stdout, /^payloads on chain localnet, topic 1:$/m);
  const payloads = [
    ...run.stdout.matchAll(/^ {2}(allo1\w+) {2}inference (\S+) for nonce (\d+)$/gm),
  ];
  assert.equal(payloads.length, 2, run.stdout);
  assert.notEqual(payloads[0][1], payloads[1][1]);
  assert.equal(payloads[0][3], payloads[1][3]);
  const nonce = /^4\/6 sending an inference request for nonce (\d+) to /m.exec(run.stderr)?.[1];
  assert.equal(payloads[0][3], nonce, run.stderr);
  assert.match(run.stderr, /^6\/6 stopping the local network$/m);
  // Warnings may appear on a busy machine (a scheduled nonce before the workers subscribed).
  assert.doesNotMatch(run.stderr, /ERROR/);
});

Deno.test("allora demo --no-chain runs without a chain", async () => {
  const run = await demo(["--workers", "1", "--no-chain"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^request \S+: code 200, 1 worker selected$/m);
  assert.doesNotMatch(run.stdout, /payloads on chain/);
  assert.match(run.stderr, /^2\/4 starting a head and 1 worker$/m);
  assert.doesNotMatch(run.stderr, /devnet/);
});
