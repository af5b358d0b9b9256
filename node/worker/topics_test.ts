import assert from "node:assert/strict";
import { gossipTopicName, gossipTopicNames } from "./topics.ts";

Deno.test("gossipTopicName() maps a topic id to its worker topic", () => {
  assert.equal(gossipTopicName("1"), "allora-topic-1-worker");
  assert.equal(gossipTopicName(" 42 "), "allora-topic-42-worker");
});

Deno.test("gossipTopicName() maps N/reputer to the reputer topic", () => {
  assert.equal(gossipTopicName("3/reputer"), "allora-topic-3-reputer");
});

Deno.test("gossipTopicName() keeps full topic names", () => {
  assert.equal(gossipTopicName("allora-topic-7-worker"), "allora-topic-7-worker");
  assert.equal(gossipTopicName("blockless/b7s/general"), "blockless/b7s/general");
});

Deno.test("gossipTopicName() rejects an empty value", () => {
  assert.throws(() => gossipTopicName("  "), RangeError);
});

Deno.test("gossipTopicNames() splits commas and removes duplicates", () => {
  assert.deepEqual(gossipTopicNames(["1,2", "allora-topic-1-worker", " ,3"]), [
    "allora-topic-1-worker",
    "allora-topic-2-worker",
    "allora-topic-3-worker",
  ]);
});
