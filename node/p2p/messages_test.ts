import assert from "node:assert/strict";
import { decodeMessage, encodeMessage, MessageError } from "./messages.ts";
import { assertThrows } from "../../testing/assert.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("encodeMessage() writes MsgExecute in Go field order", () => {
  const bytes = encodeMessage({
    type: "MsgExecute",
    topic: "allora-topic-1-worker",
    function_id: "bafy",
    method: "f.wasm",
    config: { env_vars: [{ name: "TOPIC_ID", value: "1" }], number_of_nodes: -1, timeout: 2 },
    request_id: "r1",
    reporting_peers: ["12D3KooWA"],
    timestamp: "2024-07-01T12:00:00.123456789Z",
  });
  assert.equal(
    text(bytes),
    '{"type":"MsgExecute","topic":"allora-topic-1-worker","function_id":"bafy","method":"f.wasm",' +
      '"config":{"runtime":{},"env_vars":[{"name":"TOPIC_ID","value":"1"}],"result_aggregation":{},' +
      '"number_of_nodes":-1,"timeout":2},"request_id":"r1","reporting_peers":["12D3KooWA"],' +
      '"timestamp":"2024-07-01T12:00:00.123456789Z"}',
  );
});

Deno.test("encodeMessage() keeps empty structs of MsgExecuteResponse", () => {
  const bytes = encodeMessage({ type: "MsgExecuteResponse", request_id: "r1", code: "200" });
  assert.equal(
    text(bytes),
    '{"type":"MsgExecuteResponse","request_id":"r1","code":"200","cluster":{},' +
      '"pbft":{"view":0,"request_timestamp":"0001-01-01T00:00:00Z"}}',
  );
});

Deno.test("encodeMessage() escapes HTML characters like Go", () => {
  const bytes = encodeMessage({
    type: "MsgInstallFunction",
    manifest_url: "http://a/?x=1&y=<2>",
    cid: "c",
  });
  assert.match(text(bytes), /x=1\\u0026y=\\u003c2\\u003e/);
});

Deno.test("decodeMessage() reads manifestUrl from older b7s", () => {
  const message = decodeMessage(
    new TextEncoder().encode('{"type":"MsgInstallFunction","manifestUrl":"u","cid":"c"}'),
  );
  assert.equal(message.type === "MsgInstallFunction" && message.manifest_url, "u");
});

Deno.test("decodeMessage() rejects an unknown type", () => {
  assertThrows(() => decodeMessage(new TextEncoder().encode('{"type":"MsgNope"}')), MessageError);
});
