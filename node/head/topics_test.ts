import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { InvalidRequestError } from "./errors.ts";
import { resolveTopic, withTopicEnv } from "./topics.ts";

Deno.test("resolveTopic() maps Allora topic ids", () => {
  assert.deepEqual(resolveTopic("1"), { gossipTopic: "allora-topic-1-worker", topicId: "1" });
  assert.deepEqual(resolveTopic("12/reputer"), {
    gossipTopic: "allora-topic-12-reputer",
    topicId: "12/reputer",
  });
});

Deno.test("resolveTopic() sends an empty topic to the general topic", () => {
  assert.deepEqual(resolveTopic(""), { gossipTopic: "blockless/b7s/general" });
  assert.deepEqual(resolveTopic(undefined), { gossipTopic: "blockless/b7s/general" });
});

Deno.test("resolveTopic() keeps gossip topic names verbatim", () => {
  assert.deepEqual(resolveTopic("allora-topic-3-worker"), { gossipTopic: "allora-topic-3-worker" });
  assert.deepEqual(resolveTopic("blockless/b7s/general"), { gossipTopic: "blockless/b7s/general" });
});

Deno.test("resolveTopic() rejects other names", () => {
  for (const topic of ["eth", "1/worker", "-1", "1 ", "blockless/a b"]) {
    const error = assertThrows(() => resolveTopic(topic), InvalidRequestError);
    assert.equal(error.field, "topic");
  }
});

Deno.test("withTopicEnv() replaces an existing TOPIC_ID and drops duplicates", () => {
  const env = withTopicEnv([
    { name: "A", value: "1" },
    { name: "TOPIC_ID", value: "9" },
    { name: "TOPIC_ID", value: "8" },
  ], "2");
  assert.deepEqual(env, [{ name: "A", value: "1" }, { name: "TOPIC_ID", value: "2" }]);
});

Deno.test("withTopicEnv() appends TOPIC_ID when missing", () => {
  assert.deepEqual(withTopicEnv(undefined, "1/reputer"), [{
    name: "TOPIC_ID",
    value: "1/reputer",
  }]);
});
