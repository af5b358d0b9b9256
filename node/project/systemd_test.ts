import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { unitEnvironment, unitExecWord, unitValue, UnitValueError, unitWord } from "./systemd.ts";

Deno.test("unitWord() leaves plain paths bare", () => {
  assert.equal(unitWord("/srv/my-worker/config.yaml"), "/srv/my-worker/config.yaml");
});

Deno.test("unitWord() quotes spaces, quotes and backslashes", () => {
  assert.equal(unitWord('/srv/my "w"\\x'), '"/srv/my \\"w\\"\\\\x"');
});

Deno.test("unitValue() doubles percent signs", () => {
  assert.equal(unitValue("/srv/100%/w"), "/srv/100%%/w");
});

Deno.test("unitExecWord() doubles dollar signs", () => {
  assert.equal(unitExecWord("/srv/$HOME/w"), '"/srv/$$HOME/w"');
});

Deno.test("unitEnvironment() quotes the whole assignment", () => {
  assert.equal(
    unitEnvironment("ALLORA_NETWORK", "allora-testnet-1"),
    '"ALLORA_NETWORK=allora-testnet-1"',
  );
});

Deno.test("unitValue() rejects a line break", () => {
  const error = assertThrows(() => unitValue("/srv/a\nb"), UnitValueError);
  assert.equal(error.value, "/srv/a\nb");
});
