import assert from "node:assert/strict";
import { assertThrows } from "../testing/assert.ts";
import { parseConfig } from "../node/config/config.ts";
import { parseDuration } from "./args.ts";
import { UsageError } from "./errors.ts";
import { parseHeadFlags, resolveHeadOptions } from "./head_options.ts";

const noEnv = () => undefined;
const envOf = (values: Record<string, string>) => (name: string) => values[name];

Deno.test("resolveHeadOptions() applies defaults", () => {
  const options = resolveHeadOptions(parseHeadFlags([]), noEnv);
  assert.deepEqual(options.restApi, { hostname: "127.0.0.1", port: 6000 });
  assert.equal(options.address, "127.0.0.1");
  assert.equal(options.port, 9010);
  assert.equal(options.privateKey, "keys/head/priv.bin");
  assert.equal(options.executionTimeoutMs, 20_000);
  assert.equal(options.maxNodes, 100);
  assert.equal(options.maxRollCallTimeoutMs, 60_000);
  assert.equal(options.resultTtlMs, 600_000);
  assert.deepEqual(options.topics, []);
});

Deno.test("resolveHeadOptions() prefers flags over env over file", () => {
  const file = {
    path: "/project/config.yaml",
    config: parseConfig(
      "name: demo\ntopic: 1\nhead:\n  port: 1111\n  rest_api: 127.0.0.1:1112\n  private_key: k/priv.bin\n  max_nodes: 7\n",
    ),
  };
  const env = envOf({ B7S_Connectivity_Port: "2222", B7S_Head_RestAPI: "127.0.0.1:2223" });

  const fromFile = resolveHeadOptions(parseHeadFlags([]), noEnv, file);
  const fromEnv = resolveHeadOptions(parseHeadFlags([]), env, file);
  const fromFlags = resolveHeadOptions(parseHeadFlags(["--port", "3333"]), env, file);

  assert.equal(fromFile.port, 1111);
  assert.equal(fromFile.restApi.port, 1112);
  assert.equal(fromFile.privateKey, "/project/k/priv.bin");
  assert.equal(fromFile.maxNodes, 7);
  assert.equal(fromEnv.port, 2222);
  assert.equal(fromEnv.restApi.port, 2223);
  assert.equal(fromFlags.port, 3333);
  assert.equal(fromFlags.restApi.port, 2223);
});

Deno.test("resolveHeadOptions() reads topics from repeated flags and comma lists", () => {
  const flags = parseHeadFlags(["--topic", "a,b", "--topic", "c"]);
  assert.deepEqual(resolveHeadOptions(flags, noEnv).topics, ["a", "b", "c"]);
  const env = envOf({ B7S_Topics: "x, y" });
  assert.deepEqual(resolveHeadOptions(parseHeadFlags([]), env).topics, ["x", "y"]);
});

Deno.test("resolveHeadOptions() parses durations with units", () => {
  const options = resolveHeadOptions(
    parseHeadFlags([
      "--execution-timeout",
      "1500ms",
      "--max-roll-call-timeout",
      "2m",
      "--result-ttl",
      "1h30m",
    ]),
    noEnv,
  );
  assert.equal(options.executionTimeoutMs, 1500);
  assert.equal(options.maxRollCallTimeoutMs, 120_000);
  assert.equal(options.resultTtlMs, 5_400_000);
});

Deno.test("resolveHeadOptions() names the source of an invalid value", () => {
  const fromEnv = assertThrows(
    () => resolveHeadOptions(parseHeadFlags([]), envOf({ B7S_Connectivity_Port: "x" })),
    UsageError,
  );
  assert.match(fromEnv.message, /B7S_Connectivity_Port: 'x'/);
  const address = assertThrows(
    () => resolveHeadOptions(parseHeadFlags(["--address", "localhost"]), noEnv),
    UsageError,
  );
  assert.match(address.message, /--address: 'localhost'/);
  const gateway = assertThrows(
    () => resolveHeadOptions(parseHeadFlags(["--gateway", "https://x/"]), noEnv),
    UsageError,
  );
  assert.match(gateway.message, /\{cid\}/);
});

Deno.test("parseHeadFlags() rejects unknown options", () => {
  const error = assertThrows(() => parseHeadFlags(["--nope"]), UsageError);
  assert.match(error.message, /Unknown option '--nope'/);
});

Deno.test("parseDuration() requires a unit", () => {
  assert.equal(parseDuration("--t", "20s"), 20_000);
  assert.equal(parseDuration("--t", "0.5s"), 500);
  const error = assertThrows(() => parseDuration("--t", "20"), UsageError);
  assert.match(error.message, /expected a duration such as 500ms, 20s or 10m/);
  assertThrows(() => parseDuration("--t", "5s", { min: 10_000 }), UsageError);
});

Deno.test("resolveHeadOptions() reads the schedule from flags or the file", () => {
  const file = {
    path: "/project/config.yaml",
    config: parseConfig(
      "name: demo\ntopic: 1\ninference:\n  default_arg: BTC\nchain:\n  rpc: http://10.0.0.9:26657\n" +
        "head:\n  schedule: [{topic: 1}, {topic: 2, default_arg: SOL}]\n  schedule_interval_ms: 500\n",
    ),
  };
  const fromFile = resolveHeadOptions(parseHeadFlags([]), noEnv, file);
  assert.deepEqual(fromFile.schedule, [
    { topicId: 1n, defaultArg: "BTC" },
    { topicId: 2n, defaultArg: "SOL" },
  ]);
  assert.equal(fromFile.scheduleIntervalMs, 500);
  assert.equal(fromFile.chain.rpc, "http://10.0.0.9:26657");

  const flags = parseHeadFlags([
    "--schedule",
    "7=ETH",
    "--schedule",
    "8",
    "--schedule-interval",
    "1s",
    "--chain-rpc",
    "http://127.0.0.1:4000",
  ]);
  const fromFlags = resolveHeadOptions(flags, noEnv, file);
  assert.deepEqual(fromFlags.schedule, [
    { topicId: 7n, defaultArg: "ETH" },
    { topicId: 8n, defaultArg: "BTC" },
  ]);
  assert.equal(fromFlags.scheduleIntervalMs, 1000);
  assert.equal(fromFlags.chain.rpc, "http://127.0.0.1:4000");
});

Deno.test("resolveHeadOptions() schedules nothing by default", () => {
  const options = resolveHeadOptions(parseHeadFlags([]), noEnv);
  assert.deepEqual(options.schedule, []);
  assert.equal(options.scheduleIntervalMs, 2000);
  assert.equal(options.chain.rpc, "http://127.0.0.1:26657");
  assert.match(options.function.id, /^bafy/);
});

Deno.test("resolveHeadOptions() rejects invalid schedules", () => {
  for (const value of ["0", "x=ETH", "1,1"]) {
    assertThrows(
      () => resolveHeadOptions(parseHeadFlags(["--schedule", value]), noEnv),
      UsageError,
    );
  }
  const error = assertThrows(
    () => resolveHeadOptions(parseHeadFlags(["--schedule", "1=ETH", "--schedule", "1"]), noEnv),
    UsageError,
  );
  assert.equal(error.message, "Invalid schedule: topic 1 is listed twice");
});
