import assert from "node:assert/strict";
import { Inbox } from "./inbox.ts";

Deno.test("Inbox.deliver() routes replies by type and request id", () => {
  const inbox = new Inbox();
  const seen: string[] = [];
  const stopA = inbox.expect(
    "MsgRollCallResponse",
    "a",
    (_message, peer) => seen.push(`a:${peer}`),
  );
  const stopB = inbox.expect("MsgExecuteResponse", "a", (_message, peer) => seen.push(`x:${peer}`));
  const reply = { type: "MsgRollCallResponse" as const, code: "202", function_id: "f" };

  assert.equal(inbox.deliver({ ...reply, request_id: "a" }, "p1"), true);
  assert.equal(inbox.deliver({ ...reply, request_id: "b" }, "p2"), false);
  assert.equal(inbox.deliver({ type: "MsgHealthCheck", code: 200 }, "p3"), false);

  assert.deepEqual(seen, ["a:p1"]);
  stopA();
  stopB();
  assert.equal(inbox.size, 0);
});

Deno.test("Inbox.expect() supports several waiters on one key", () => {
  const inbox = new Inbox();
  let count = 0;
  const stops = [1, 2].map(() => inbox.expect("MsgInstallFunctionResponse", "", () => count++));
  inbox.deliver({ type: "MsgInstallFunctionResponse", code: "202" }, "p");
  assert.equal(count, 2);
  stops[0]();
  inbox.deliver({ type: "MsgInstallFunctionResponse", code: "202" }, "p");
  assert.equal(count, 3);
  stops[1]();
  assert.equal(inbox.size, 0);
});
