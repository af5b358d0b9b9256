import assert from "node:assert/strict";
import { buildRequestEnv } from "./request_env.ts";

Deno.test("buildRequestEnv() lists names in BLS_LIST_VARS", () => {
  const env = buildRequestEnv([["TOPIC_ID", "1"], ["ALLORA_ARG_PARAMS", "ETH"]]);
  assert.deepEqual(env.environ, [
    "TOPIC_ID=1",
    "ALLORA_ARG_PARAMS=ETH",
    "BLS_LIST_VARS=TOPIC_ID;ALLORA_ARG_PARAMS",
  ]);
  assert.equal(env.vars.get("BLS_LIST_VARS"), "TOPIC_ID;ALLORA_ARG_PARAMS");
});

Deno.test("buildRequestEnv() escapes JSON values", () => {
  const env = buildRequestEnv([["A", 'quote " backslash \\ newline \n'], ["B", "\u0000"]]);
  assert.equal(env.json, '{"A":"quote \\" backslash \\\\ newline \\n","B":"\\u0000"}');
  assert.deepEqual(JSON.parse(env.json), { A: 'quote " backslash \\ newline \n', B: "\u0000" });
});

Deno.test("buildRequestEnv() returns {} for no variables", () => {
  const env = buildRequestEnv([]);
  assert.equal(env.json, "{}");
  assert.deepEqual(env.environ, ["BLS_LIST_VARS="]);
});

Deno.test("buildRequestEnv() ignores a forged BLS_LIST_VARS", () => {
  const env = buildRequestEnv([["BLS_LIST_VARS", "SECRET"], ["X", "1"]]);
  assert.equal(env.json, '{"X":"1"}');
  assert.deepEqual(env.environ, ["X=1", "BLS_LIST_VARS=X"]);
});

Deno.test("buildRequestEnv() keeps the last value of a repeated name", () => {
  const env = buildRequestEnv([["X", "1"], ["Y", "2"], ["X", "3"]]);
  assert.equal(env.json, '{"X":"3","Y":"2"}');
});
