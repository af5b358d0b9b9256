import assert from "node:assert/strict";
import { goTimestamp, TIMED_OUT, withDeadline } from "./wait.ts";

Deno.test("withDeadline() resolves to the value or TIMED_OUT", async () => {
  assert.equal(await withDeadline(Promise.resolve(3), 1000), 3);
  assert.equal(await withDeadline(new Promise(() => {}), 5), TIMED_OUT);
});

Deno.test("withDeadline() rejects with the abort reason", async () => {
  const controller = new AbortController();
  const waiting = withDeadline(new Promise(() => {}), 60_000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
});

Deno.test("goTimestamp() trims trailing zeros like Go", () => {
  assert.equal(goTimestamp(new Date("2024-07-01T12:00:00.120Z")), "2024-07-01T12:00:00.12Z");
  assert.equal(goTimestamp(new Date("2024-07-01T12:00:10.000Z")), "2024-07-01T12:00:10Z");
  assert.equal(goTimestamp(new Date("2024-07-01T12:00:00.123Z")), "2024-07-01T12:00:00.123Z");
});
