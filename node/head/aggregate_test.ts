import assert from "node:assert/strict";
import type { ExecutionResult } from "../p2p/messages.ts";
import { aggregate } from "./aggregate.ts";

function result(stdout: string, exitCode = 0, stderr = ""): ExecutionResult {
  return {
    code: exitCode === 0 ? "200" : "500",
    result: { stdout, stderr, exit_code: exitCode },
    request_id: "r",
    usage: { wall_clock_time: Math.random() },
  };
}

Deno.test("aggregate() groups identical stdout, stderr and exit code", () => {
  const entries = aggregate([
    { peer: "a", result: result("x") },
    { peer: "b", result: result("x", 1) },
    { peer: "c", result: result("x") },
    { peer: "d", result: result("x", 0, "warn") },
  ]);
  assert.deepEqual(entries.map((entry) => entry.peers), [["a", "c"], ["b"], ["d"]]);
  assert.deepEqual(entries.map((entry) => entry.frequency), [50, 25, 25]);
});

Deno.test("aggregate() orders ties by first arrival", () => {
  const entries = aggregate([
    { peer: "a", result: result("late") },
    { peer: "b", result: result("early") },
    { peer: "c", result: result("early") },
    { peer: "d", result: result("late") },
    { peer: "e", result: result("other") },
  ]);
  assert.deepEqual(entries.map((entry) => entry.result.stdout), ["late", "early", "other"]);
});

Deno.test("aggregate() returns no entries for no results", () => {
  assert.deepEqual(aggregate([]), []);
});
