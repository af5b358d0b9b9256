import "../shim.ts";
import assert from "node:assert/strict";
import { createHost, type Host, type MessageSource } from "./host.ts";
import { generateIdentity } from "./identity.ts";
import type { Message } from "./messages.ts";

async function startPair(): Promise<[Host, Host]> {
  const first = await createHost({ privateKey: (await generateIdentity()).privateKey });
  const second = await createHost({ privateKey: (await generateIdentity()).privateKey });
  await second.dial(first.multiaddrs()[0]);
  return [first, second];
}

function nextMessage(host: Host): Promise<[Message, MessageSource]> {
  return new Promise((resolve) => {
    const remove = host.onMessage((message, source) => {
      remove();
      resolve([message, source]);
    });
  });
}

Deno.test("Host.send() delivers one JSON message per stream", async () => {
  const [first, second] = await startPair();
  try {
    const received = nextMessage(first);
    await second.send(first.peerId, {
      type: "MsgRollCallResponse",
      code: "202",
      function_id: "bafy",
      request_id: "r1",
    });
    const [message, source] = await received;
    assert.equal(message.type, "MsgRollCallResponse");
    assert.equal(source.peer.toString(), second.peerId.toString());
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
});

Deno.test("Host.publish() reaches a subscriber on a topic", async () => {
  const [first, second] = await startPair();
  try {
    first.subscribe("allora-topic-1-worker");
    assert.ok(await second.waitForSubscribers("allora-topic-1-worker", { timeoutMs: 5000 }));
    const received = nextMessage(first);
    await second.publish("allora-topic-1-worker", {
      type: "MsgRollCall",
      origin: second.peerId.toString(),
      function_id: "bafy",
      request_id: "r2",
      consensus: 0,
    });
    const [message, source] = await received;
    assert.equal(message.type, "MsgRollCall");
    assert.equal(source.topic, "allora-topic-1-worker");
    assert.equal(source.peer.toString(), second.peerId.toString());
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
});
