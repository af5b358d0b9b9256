import assert from "node:assert/strict";
import { ExecutionSlots } from "./slots.ts";

function slots(capacity = 2, reservationMs = 60_000): ExecutionSlots {
  return new ExecutionSlots({ capacity, reservationMs });
}

Deno.test("ExecutionSlots.reserve() stops at capacity", () => {
  using pool = slots(2);
  assert.equal(pool.reserve("r1", "head"), true);
  assert.equal(pool.reserve("r2", "head"), true);
  assert.equal(pool.reserve("r3", "head"), false);
  assert.equal(pool.free, 0);
});

Deno.test("ExecutionSlots.reserve() repeats for the same request", () => {
  using pool = slots(1);
  assert.equal(pool.reserve("r1", "head"), true);
  assert.equal(pool.reserve("r1", "head"), true);
  assert.equal(pool.reserved, 1);
  assert.equal(pool.reserve("r1", "other-head"), false);
});

Deno.test("ExecutionSlots.claim() takes the reservation of its origin", async () => {
  using pool = slots(1);
  pool.reserve("r1", "head");
  const claim = await pool.claim("r1", "head", { waitMs: 0 });
  assert.ok("lease" in claim);
  assert.equal(pool.running, 1);
  assert.equal(pool.reserved, 0);
  claim.lease.release();
  claim.lease.release();
  assert.equal(pool.free, 1);
});

Deno.test("ExecutionSlots.claim() refuses a reservation held for another peer", async () => {
  using pool = slots(2);
  pool.reserve("r1", "head");
  assert.deepEqual(await pool.claim("r1", "intruder", { waitMs: 0 }), { rejected: "conflict" });
});

Deno.test("ExecutionSlots.claim() refuses a request id that is running", async () => {
  using pool = slots(2);
  const first = await pool.claim("r1", "head", { waitMs: 0 });
  assert.ok("lease" in first);
  assert.deepEqual(await pool.claim("r1", "head", { waitMs: 0 }), { rejected: "duplicate" });
});

Deno.test("ExecutionSlots.claim() answers busy when no slot frees in time", async () => {
  using pool = slots(1);
  pool.reserve("r1", "head");
  assert.deepEqual(await pool.claim("r2", "head", { waitMs: 20 }), { rejected: "busy" });
});

Deno.test("ExecutionSlots.claim() waits for a released slot", async () => {
  using pool = slots(1);
  const first = await pool.claim("r1", "head", { waitMs: 0 });
  assert.ok("lease" in first);
  const waiting = pool.claim("r2", "head", { waitMs: 30_000 });
  first.lease.release();
  const second = await waiting;
  assert.ok("lease" in second);
  assert.equal(second.lease.requestId, "r2");
  second.lease.release();
});

Deno.test("ExecutionSlots reservation expires and frees its slot", async () => {
  using pool = slots(1, 30);
  assert.equal(pool.reserve("r1", "head"), true);
  const claim = await pool.claim("r2", "head", { waitMs: 30_000 });
  assert.ok("lease" in claim);
  assert.equal(pool.isReserved("r1"), false);
  claim.lease.release();
});

Deno.test("ExecutionSlots.cancel() frees a reservation", () => {
  using pool = slots(1);
  pool.reserve("r1", "head");
  pool.cancel("r1");
  assert.equal(pool.free, 1);
});

Deno.test("ExecutionSlots.close() wakes waiters and refuses new claims", async () => {
  const pool = slots(1);
  pool.reserve("r1", "head");
  const waiting = pool.claim("r2", "head", { waitMs: 30_000 });
  pool.close();
  assert.deepEqual(await waiting, { rejected: "closed" });
  assert.deepEqual(await pool.claim("r3", "head", { waitMs: 0 }), { rejected: "closed" });
  assert.equal(pool.reserve("r4", "head"), false);
});

Deno.test("ExecutionSlots rejects a capacity below 1", () => {
  assert.throws(() => slots(0), RangeError);
});

Deno.test("ExecutionSlots.releaseReservation() frees only its origin's slot", () => {
  using pool = slots(1);
  assert.equal(pool.reserve("r1", "head"), true);
  assert.equal(pool.releaseReservation("r1", "other-head"), false);
  assert.equal(pool.free, 0);
  assert.equal(pool.releaseReservation("r1", "head"), true);
  assert.equal(pool.free, 1);
  assert.equal(pool.reserve("r2", "head"), true);
});
