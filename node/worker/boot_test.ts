import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { backoffDelayMs, BootNodeError, parseBootNode } from "./boot.ts";

const PEER = "12D3KooWH9GerdSEroL2nqjpd2GuE5dwmqNi7uHX7FoywBdKcP4q";

Deno.test("backoffDelayMs() doubles from 1 s to 30 s without jitter", () => {
  const middle = () => 0.5;
  const schedule = [0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelayMs(attempt, middle));
  assert.deepEqual(schedule, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

Deno.test("backoffDelayMs() spreads each delay by ±20 %", () => {
  assert.equal(backoffDelayMs(0, () => 0), 800);
  assert.equal(backoffDelayMs(0, () => 0.999999), 1200);
  assert.equal(backoffDelayMs(10, () => 0), 24000);
  assert.equal(backoffDelayMs(10, () => 0.999999), 36000);
});

Deno.test("backoffDelayMs() stays bounded for huge attempt counts", () => {
  assert.equal(backoffDelayMs(10_000, () => 0.5), 30000);
});

Deno.test("parseBootNode() takes the peer ID from /p2p/", () => {
  assert.deepEqual(parseBootNode(` /ip4/127.0.0.1/tcp/9010/p2p/${PEER} `), {
    address: `/ip4/127.0.0.1/tcp/9010/p2p/${PEER}`,
    peerId: PEER,
  });
});

Deno.test("parseBootNode() rejects an address without a peer ID", () => {
  const error = assertThrows(() => parseBootNode("/ip4/127.0.0.1/tcp/9010"), BootNodeError);
  assert.equal(error.address, "/ip4/127.0.0.1/tcp/9010");
  assert.match(error.message, /must end in \/p2p\/<peer id>/);
});

Deno.test("parseBootNode() rejects text that is not a multiaddr", () => {
  const error = assertThrows(() => parseBootNode("127.0.0.1:9010"), BootNodeError);
  assert.match(error.message, /not a multiaddr/);
});
