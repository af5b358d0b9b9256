import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { ConfigError, parseConfig } from "./config.ts";

Deno.test("parseConfig() fills defaults for a minimal file", () => {
  const config = parseConfig("name: demo\ntopic: 1\n");
  assert.equal(config.head.port, 9010);
  assert.deepEqual(config.inference.command, ["python3", "main.py"]);
});

Deno.test("parseConfig() names a bad key, its value and the expected form", () => {
  const error = assertThrows(
    () => parseConfig("name: demo\ntopic: 1\nhead:\n  port: high\n"),
    ConfigError,
  );
  assert.equal(error.key, "head.port");
  assert.match(error.message, /'head\.port'.*"high".*integer/);
});

Deno.test("parseConfig() rejects an unknown key", () => {
  const error = assertThrows(() => parseConfig("name: demo\ntopic: 1\nhaed: {}\n"), ConfigError);
  assert.equal(error.key, "haed");
});

Deno.test("parseConfig() rejects a missing topic", () => {
  const error = assertThrows(() => parseConfig("name: demo\n"), ConfigError);
  assert.equal(error.key, "topic");
});
