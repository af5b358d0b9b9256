import assert from "node:assert/strict";
import {
  applyOutputCheck,
  checkInferenceOutput,
  isDecimalString,
  isInferenceRequest,
} from "./output_check.ts";
import type { ExecutionResult } from "../p2p/messages.ts";

// An Allora address with a valid bech32 checksum (20 bytes 3, 10, 17, …).
const ADDRESS = "allo1qv9pzxqlyckngw6zf9g9whn9d3eh4qvglyrfyt";

Deno.test("isDecimalString() accepts plain and small scientific decimals", () => {
  for (const value of ["0", "-1", "2514.37", "3000.50", "1e-07", "1E+16", "-0.5"]) {
    assert.equal(isDecimalString(value), true, value);
  }
});

Deno.test("isDecimalString() rejects what is not a plain decimal", () => {
  const rejected = [
    "",
    " 1",
    "1 ",
    "+1.5",
    ".5",
    "5.",
    "NaN",
    "Infinity",
    "-inf",
    "1e1000",
    "0x10",
    "1,5",
    "1.2.3",
    "1e",
    "—1",
    "1".repeat(101),
  ];
  for (const value of rejected) {
    assert.equal(isDecimalString(value), false, value);
  }
});

const cases: [name: string, stdout: string, expected: string | RegExp][] = [
  ["inference only", '{"infererValue":"2514.37"}\n', "valid"],
  [
    "inference and forecasts",
    `{"infererValue":"1","forecasterValue":[{"worker":"${ADDRESS}","value":"2"}]}`,
    "valid",
  ],
  ["null forecasts", '{"infererValue":"1","forecasterValue":null}', "valid"],
  [
    "ignored sample keys",
    '{"infererValue":"1","forecasterValues":[{"node":"x","value":1}]}',
    "valid",
  ],
  ["empty stdout", "  \n", /stdout is empty/],
  [
    "plain text",
    "error: topic id param not available: TOPIC_ID",
    /not one JSON object: "error: topic id/,
  ],
  ["two objects", '{"infererValue":"1"}\n{"infererValue":"2"}', /not one JSON object/],
  ["an array", '["1"]', /not a JSON object/],
  ["missing inferer", '{"forecasterValue":[]}', /infererValue is missing/],
  [
    "number inferer",
    '{"infererValue":2514.3}',
    /infererValue must be a decimal string, found number 2514\.3/,
  ],
  ["text inferer", '{"infererValue":"abc"}', /infererValue is not a decimal: "abc"/],
  ["NaN inferer", '{"infererValue":"NaN"}', /infererValue is not a decimal: "NaN"/],
  [
    "forecasts not a list",
    '{"infererValue":"1","forecasterValue":{}}',
    /forecasterValue must be a list/,
  ],
  [
    "forecast not an object",
    '{"infererValue":"1","forecasterValue":["2"]}',
    /forecasterValue\[0\] must be an object/,
  ],
  [
    "forecast bad address",
    '{"infererValue":"1","forecasterValue":[{"worker":"allo1xyz","value":"2"}]}',
    /forecasterValue\[0\]\.worker is not an allo1… address: "allo1xyz"/,
  ],
  [
    "forecast cosmos address",
    '{"infererValue":"1","forecasterValue":[{"worker":"cosmos1qv9pzxqlyckngw6zf9g9whn9d3eh4qvg3he2nj","value":"2"}]}',
    /worker is not an allo1… address/,
  ],
  [
    "forecast number value",
    `{"infererValue":"1","forecasterValue":[{"worker":"${ADDRESS}","value":2}]}`,
    /forecasterValue\[0\]\.value must be a decimal string, found number 2/,
  ],
  [
    "forecast missing value",
    `{"infererValue":"1","forecasterValue":[{"worker":"${ADDRESS}"}]}`,
    /forecasterValue\[0\]\.value is missing/,
  ],
];

for (const [name, stdout, expected] of cases) {
  Deno.test(`checkInferenceOutput() ${name}`, () => {
    const verdict = checkInferenceOutput(stdout);
    if (expected === "valid") {
      assert.deepEqual(verdict, { kind: "valid" });
      return;
    }
    assert.equal(verdict.kind, "invalid");
    assert.match((verdict as { reason: string }).reason, expected as RegExp);
  });
}

Deno.test("checkInferenceOutput() reports a function error", () => {
  assert.deepEqual(checkInferenceOutput('{"error":"model not loaded"}'), {
    kind: "function-error",
    message: "model not loaded",
  });
});

Deno.test("checkInferenceOutput() cuts long values in the reason", () => {
  const verdict = checkInferenceOutput(`{"infererValue":"${"x".repeat(500)}"}`);
  assert.equal(verdict.kind, "invalid");
  assert.ok((verdict as { reason: string }).reason.length < 160);
});

Deno.test("isInferenceRequest() needs TOPIC_ID and no reputer topic", () => {
  assert.equal(isInferenceRequest([["TOPIC_ID", "1"]]), true);
  assert.equal(isInferenceRequest([["TOPIC_ID", "1"]], "allora-topic-1-worker"), true);
  assert.equal(isInferenceRequest([]), false);
  assert.equal(isInferenceRequest([["TOPIC_ID", ""]]), false);
  assert.equal(isInferenceRequest([["TOPIC_ID", "1/reputer"]]), false);
  assert.equal(isInferenceRequest([["TOPIC_ID", "1"]], "allora-topic-1-reputer"), false);
});

function result(stdout: string, stderr = ""): ExecutionResult {
  return {
    code: "200",
    result: { stdout, stderr, exit_code: 0 },
    request_id: "r1",
    usage: { wall_clock_time: 5 },
  };
}

Deno.test("applyOutputCheck() keeps a valid result", () => {
  const original = result('{"infererValue":"1"}');
  assert.equal(applyOutputCheck(original).result, original);
});

Deno.test("applyOutputCheck() replaces invalid output with a named error", () => {
  const { result: checked } = applyOutputCheck(result('{"infererValue":12}', "warming up\n"));
  assert.equal(checked.code, "500");
  assert.equal(checked.result.exit_code, 0);
  assert.deepEqual(JSON.parse(checked.result.stdout), {
    error: "invalid inference output: infererValue must be a decimal string, found number 12",
  });
  assert.equal(checked.result.stderr, 'warming up\noriginal stdout: {"infererValue":12}');
  assert.deepEqual(checked.usage, { wall_clock_time: 5 });
});

Deno.test("applyOutputCheck() turns a function error into 500 and keeps stdout", () => {
  const { result: checked } = applyOutputCheck(result('{"error":"no data"}'));
  assert.equal(checked.code, "500");
  assert.equal(checked.result.stdout, '{"error":"no data"}');
});
