import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { applyEnvironment, environmentKeys } from "./environment.ts";

const BASE = parseConfig("name: demo\ntopic: 1\n");

Deno.test("applyEnvironment() sets strings, integers and lists", () => {
  const env: Record<string, string> = {
    ALLORA_HEAD_REST_API: "0.0.0.0:6000",
    ALLORA_HEAD_PORT: "9100",
    ALLORA_WORKER_BOOT_NODES:
      "/dns4/head/tcp/9010/p2p/12D3KooWA, /ip4/10.0.0.1/tcp/9/p2p/12D3KooWB",
    ALLORA_NETWORK: "allora-testnet-1",
  };
  const { config, applied } = applyEnvironment(BASE, (name) => env[name]);
  assert.equal(config.head.rest_api, "0.0.0.0:6000");
  assert.equal(config.head.port, 9100);
  assert.deepEqual(config.worker.boot_nodes, [
    "/dns4/head/tcp/9010/p2p/12D3KooWA",
    "/ip4/10.0.0.1/tcp/9/p2p/12D3KooWB",
  ]);
  assert.equal(config.network, "allora-testnet-1");
  assert.deepEqual(applied.sort(), Object.keys(env).sort());
});

Deno.test("applyEnvironment() leaves the input config unchanged", () => {
  applyEnvironment(BASE, (name) => name === "ALLORA_HEAD_PORT" ? "1" : undefined);
  assert.equal(BASE.head.port, 9010);
});

Deno.test("applyEnvironment() names the variable of a bad value", () => {
  const error = assertThrows(
    () => applyEnvironment(BASE, (name) => name === "ALLORA_WORKER_PORT" ? "high" : undefined),
    ConfigError,
  );
  assert.equal(error.file, "ALLORA_WORKER_PORT");
  assert.equal(error.key, "worker.port");
  assert.match(error.message, /"high".*integer/);
});

Deno.test("environmentKeys() covers nested keys and skips maps", () => {
  const names = environmentKeys().map((key) => key.variable);
  assert.ok(names.includes("ALLORA_CHAIN_RPC"));
  assert.ok(names.includes("ALLORA_WORKER_ADDRESS"));
  assert.ok(!names.includes("ALLORA_WORKER_ATTRIBUTES"));
  assert.ok(!names.includes("ALLORA_$SCHEMA"));
});
