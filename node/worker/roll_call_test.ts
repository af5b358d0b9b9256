import assert from "node:assert/strict";
import type { MsgRollCall } from "../p2p/messages.ts";
import { decideRollCall, handleRollCall } from "./roll_call.ts";
import { fakeContext, FakeInstaller, HEAD_PEER, peer } from "../../testing/worker_fakes.ts";
import { ExecutionSlots } from "./slots.ts";

function rollCall(overrides: Partial<MsgRollCall> = {}): MsgRollCall {
  return {
    type: "MsgRollCall",
    origin: HEAD_PEER,
    function_id: "bafyfunction",
    request_id: "r1",
    consensus: 0,
    ...overrides,
  };
}

const decisions: [
  name: string,
  message: MsgRollCall,
  attributes: Record<string, string>,
  expected: boolean | RegExp,
][] = [
  ["plain roll call", rollCall(), {}, true],
  ["raft", rollCall({ consensus: 1 }), {}, /consensus 1/],
  ["pbft", rollCall({ consensus: 2 }), {}, /consensus 2/],
  ["bad function id", rollCall({ function_id: "../etc" }), {}, /invalid function id/],
  ["empty request id", rollCall({ request_id: "" }), {}, /empty request id/],
  ["matching attributes", rollCall({ attributes: { values: [{ name: "gpu", value: "a100" }] } }), {
    gpu: "a100",
    region: "eu",
  }, true],
  [
    "attribute on a worker without attributes",
    rollCall({ attributes: { values: [{ name: "gpu", value: "a100" }] } }),
    {},
    /"gpu" not set/,
  ],
  [
    "different attribute value",
    rollCall({ attributes: { values: [{ name: "gpu", value: "a100" }] } }),
    { gpu: "t4" },
    /"gpu" is "t4", requested "a100"/,
  ],
  ["empty attribute list", rollCall({ attributes: { values: [] } }), {}, true],
  [
    "attestation",
    rollCall({ attributes: { attestation_required: true } }),
    { gpu: "a100" },
    /attestation required/,
  ],
  [
    "inherited property name",
    rollCall({ attributes: { values: [{ name: "toString", value: "x" }] } }),
    {},
    /"toString" not set/,
  ],
];

for (const [name, message, attributes, expected] of decisions) {
  Deno.test(`decideRollCall() ${name}`, () => {
    const decision = decideRollCall(message, attributes);
    if (expected === true) {
      assert.deepEqual(decision, { respond: true });
      return;
    }
    assert.equal(decision.respond, false);
    assert.match((decision as { reason: string }).reason, expected as RegExp);
  });
}

Deno.test("handleRollCall() responds 202 to origin and reserves a slot", async () => {
  using context = fakeContext();
  await handleRollCall(context, rollCall(), { peer: peer(), topic: "allora-topic-1-worker" });
  assert.equal(context.replies.length, 1);
  assert.equal(context.replies[0].peer, HEAD_PEER);
  assert.deepEqual(context.replies[0].message, {
    type: "MsgRollCallResponse",
    code: "202",
    function_id: "bafyfunction",
    request_id: "r1",
  });
  assert.equal(context.slots.isReserved("r1"), true);
});

Deno.test("handleRollCall() installs a missing function before responding", async () => {
  const installer = new FakeInstaller();
  using context = fakeContext({ installer });
  await handleRollCall(context, rollCall({ function_id: "bafynew" }), { peer: peer() });
  assert.deepEqual(installer.installs, [{ cid: "bafynew" }]);
  assert.equal((context.replies[0].message as { code: string }).code, "202");
});

Deno.test("handleRollCall() responds 500 when the install fails", async () => {
  const installer = new FakeInstaller();
  installer.failing.add("bafybroken");
  using context = fakeContext({ installer });
  await handleRollCall(context, rollCall({ function_id: "bafybroken" }), { peer: peer() });
  assert.equal((context.replies[0].message as { code: string }).code, "500");
  assert.equal(context.slots.reserved, 0);
});

Deno.test("handleRollCall() stays silent without a free slot", async () => {
  const slots = new ExecutionSlots({ capacity: 1, reservationMs: 60_000 });
  using context = fakeContext({ slots });
  await handleRollCall(context, rollCall({ request_id: "r1" }), { peer: peer() });
  await handleRollCall(context, rollCall({ request_id: "r2" }), { peer: peer() });
  assert.deepEqual(
    context.replies.map((reply) => (reply.message as { request_id: string }).request_id),
    ["r1"],
  );
});

Deno.test("handleRollCall() skips a consensus roll call without installing", async () => {
  const installer = new FakeInstaller();
  using context = fakeContext({ installer });
  await handleRollCall(context, rollCall({ consensus: 2, function_id: "bafynew" }), {
    peer: peer(),
  });
  assert.equal(context.replies.length, 0);
  assert.equal(installer.installs.length, 0);
});

Deno.test("handleRollCall() responds to the signed author when origin is empty", async () => {
  using context = fakeContext();
  await handleRollCall(context, rollCall({ origin: "" }), { peer: peer() });
  assert.equal(context.replies[0].peer, HEAD_PEER);
});

Deno.test("handleRollCall() releases the reservation when the reply fails", async () => {
  using context = fakeContext({ reply: () => Promise.reject(new Error("connection refused")) });
  await handleRollCall(context, rollCall(), { peer: peer() });
  assert.equal(context.slots.reserved, 0);
});
