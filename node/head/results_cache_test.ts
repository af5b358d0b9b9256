import assert from "node:assert/strict";
import { ResultsCache } from "./results_cache.ts";
import type { ExecuteResponseBody } from "./types.ts";

const body = (id: string): ExecuteResponseBody => ({ code: "200", request_id: id, cluster: {} });

Deno.test("ResultsCache.get() expires entries after the TTL", () => {
  let now = 0;
  const cache = new ResultsCache({ ttlMs: 1000, maxEntries: 10, now: () => now });
  cache.set("a", body("a"));
  now = 999;
  assert.deepEqual(cache.get("a"), body("a"));
  now = 1000;
  assert.equal(cache.get("a"), undefined);
});

Deno.test("ResultsCache.set() drops the oldest entry at the bound", () => {
  const cache = new ResultsCache({ ttlMs: 1000, maxEntries: 2 });
  cache.set("a", body("a"));
  cache.set("b", body("b"));
  cache.set("c", body("c"));
  assert.equal(cache.get("a"), undefined);
  assert.ok(cache.get("b"));
  assert.ok(cache.get("c"));
  assert.equal(cache.size, 2);
});

Deno.test("ResultsCache.set() evicts expired entries on write", () => {
  let now = 0;
  const cache = new ResultsCache({ ttlMs: 10, maxEntries: 100, now: () => now });
  for (let index = 0; index < 50; index++) cache.set(String(index), body(String(index)));
  now = 20;
  cache.set("new", body("new"));
  assert.equal(cache.size, 1);
});

Deno.test("ResultsCache keeps nothing with a TTL of 0", () => {
  const cache = new ResultsCache({ ttlMs: 0, maxEntries: 10 });
  cache.set("a", body("a"));
  assert.equal(cache.get("a"), undefined);
});
