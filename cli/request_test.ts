import assert from "node:assert/strict";
import { type ExecuteResponse, formatResponse, requestSucceeded } from "./request.ts";

const PEER = "12D3KooWJpVjhD967pEdPzAhTSC2QgPab88TF45dfYkjQQ1Ft15R";

/** A code 200 response whose answers are in the given order, most common first. */
function response(...results: [stdout: string, exitCode: number, stderr?: string][]) {
  return {
    code: "200",
    request_id: "r1",
    results: results.map(([stdout, exit_code, stderr = ""]) => ({
      result: { stdout, stderr, exit_code },
      peers: [PEER],
      frequency: 100 / results.length,
    })),
    cluster: { peers: results.map(() => PEER) },
  } satisfies ExecuteResponse;
}

Deno.test("requestSucceeded() accepts an inference as the top answer", () => {
  const mixed = response(['{"infererValue":"2"}', 0], [
    '{"error":"main.py exited with code 1"}',
    1,
  ]);
  assert.equal(requestSucceeded(mixed), true);
});

Deno.test("requestSucceeded() rejects a failed top answer", () => {
  const cases: [string, number][] = [
    ['{"error":"main.py exited with code 1","stderr":"Traceback"}', 1],
    ['{"error":"invalid inference output: infererValue is not a decimal: \\"x\\""}', 0],
    ["", 15],
    ["prediction: 3.2\n", 255],
  ];
  for (const result of cases) {
    assert.equal(requestSucceeded(response(result)), false, JSON.stringify(result));
  }
  assert.equal(requestSucceeded({ code: "200" }), false);
  assert.equal(requestSucceeded({ ...response(['{"infererValue":"2"}', 0]), code: "206" }), false);
});

Deno.test("formatResponse() shows errors and indents stderr", () => {
  const text = formatResponse(response(
    [
      '{"error":"main.py exited with code 1"}',
      1,
      "Traceback (most recent call last):\nValueError\n",
    ],
    ["", 15, "timeout: Execution timed out after 10000 ms"],
  ));
  assert.match(text, /^request r1: code 200, 2 workers selected\n/);
  assert.match(
    text,
    /\n {2}failed: error: main\.py exited with code 1 {2}\(exit 1; 50% of answers; 1 peer\)\n/,
  );
  assert.match(text, /\n {4}stderr: Traceback \(most recent call last\):\n {6}ValueError\n/);
  assert.match(
    text,
    /\n {2}failed \(timed out\): no output {2}\(exit 15; 50% of answers; 1 peer\)\n/,
  );
});
