import assert from "node:assert/strict";
import { StargateClient } from "@cosmjs/stargate";
import { parseDevnetArgs } from "./devnet.ts";
import { UsageError } from "./errors.ts";
import { assertThrows } from "../testing/assert.ts";
import { makeWallet } from "../testing/devnet.ts";

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 10_000;

Deno.test("parseDevnetArgs() reads every option", () => {
  const options = parseDevnetArgs([
    "--rpc-port",
    "0",
    "--home",
    "data/devnet",
    "--block-time",
    "250",
    "--chain-id",
    "demo",
    "--fund",
    "allo1abc=1000",
    "--fund",
    "allo1def=5ufoo",
    "--topic",
    "1",
    "--topic",
    "3",
    "--epoch-length",
    "20",
    "--window",
    "5",
    "--min-gas-price",
    "0",
  ]);
  assert.equal(options.port, 0);
  assert.equal(options.home, "data/devnet");
  assert.equal(options.blockTimeMs, 250);
  assert.equal(options.chainId, "demo");
  assert.deepEqual(options.fund, [
    { address: "allo1abc", amount: 1000n },
    { address: "allo1def", amount: 5n, denom: "ufoo" },
  ]);
  assert.deepEqual(options.topics, [1n, 3n]);
  assert.equal(options.epochLength, 20);
  assert.equal(options.workerSubmissionWindow, 5);
  assert.equal(options.minGasPrice, 0n);
});

Deno.test("parseDevnetArgs() defaults to port 26657", () => {
  const options = parseDevnetArgs([]);
  assert.equal(options.port, 26657);
  assert.equal(options.home, undefined);
  assert.deepEqual(options.fund, []);
});

Deno.test("parseDevnetArgs() rejects a fund without amount", () => {
  const error = assertThrows(() => parseDevnetArgs(["--fund", "allo1abc"]), UsageError);
  assert.match(error.message, /--fund: 'allo1abc'/);
});

Deno.test("parseDevnetArgs() rejects a window longer than the epoch", () => {
  const error = assertThrows(
    () => parseDevnetArgs(["--epoch-length", "5", "--window", "6"]),
    UsageError,
  );
  assert.match(error.message, /--window: 6/);
});

Deno.test("parseDevnetArgs() rejects a port out of range", () => {
  assertThrows(() => parseDevnetArgs(["--rpc-port", "70000"]), UsageError);
});

/** Reads stdout lines until one parses as JSON; returns it and the reader. */
async function readReadyLine(stdout: ReadableStream<Uint8Array>) {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const timer = setTimeout(() => reader.cancel(), READY_TIMEOUT_MS);
  try {
    while (!buffer.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`devnet exited before its ready line; output: ${buffer}`);
      buffer += value;
    }
  } finally {
    clearTimeout(timer);
  }
  return { ready: JSON.parse(buffer.slice(0, buffer.indexOf("\n"))), reader };
}

Deno.test("allora devnet prints a ready line and exits on SIGTERM", async () => {
  const home = await Deno.makeTempDir({ prefix: "devnet-cli-" });
  const alice = await makeWallet();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "--json",
      "devnet",
      "--rpc-port",
      "0",
      "--home",
      home,
      "--block-time",
      "100",
      "--fund",
      `${alice.address}=123456`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  const drain = (async () => {
    for (let chunk = await stderr.read(); !chunk.done; chunk = await stderr.read()) {
      log += chunk.value;
    }
  })();
  try {
    const { ready, reader } = await readReadyLine(child.stdout);
    assert.equal(ready.event, "ready");
    assert.equal(ready.chain_id, "localnet");
    assert.match(ready.rpc, /^http:\/\/127\.0\.0\.1:\d+$/);
    const client = await StargateClient.connect(ready.rpc);
    assert.equal((await client.getBalance(alice.address, "uallo")).amount, "123456");
    client.disconnect();

    const started = performance.now();
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0, log);
    assert.ok(performance.now() - started < EXIT_TIMEOUT_MS, "devnet took too long to stop");
    await reader.cancel();
    const saved = JSON.parse(await Deno.readTextFile(`${home}/state.json`));
    assert.equal(saved.chainId, "localnet");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await drain;
    await Deno.remove(home, { recursive: true });
  }
});
