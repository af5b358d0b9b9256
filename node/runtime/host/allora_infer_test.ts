import assert from "node:assert/strict";
import { parseInferRequest } from "./allora_infer.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("parseInferRequest() reads the v2 request", () => {
  const json = '{"arguments":["ETH"], "topicid":"1", "blockheight":"1200", "blockheighteval":""}';
  const request = parseInferRequest(encode(`${json.length}\r\n${json}\r\n`));
  assert.deepEqual(request, {
    arguments: ["ETH"],
    topicId: "1",
    blockHeight: "1200",
    blockHeightEval: "",
  });
});

Deno.test("parseInferRequest() accepts byte and UTF-16 lengths", () => {
  const json = '{"arguments":["€"],"topicid":"1"}';
  const bytes = encode(json).length;
  assert.notEqual(bytes, json.length);
  for (const length of [bytes, json.length]) {
    const request = parseInferRequest(encode(`${length}\r\n${json}\r\n`));
    assert.deepEqual("error" in request ? request : request.arguments, ["€"], String(length));
  }
  const wrong = parseInferRequest(encode(`${bytes + 1}\r\n${json}\r\n`));
  assert.match("error" in wrong ? wrong.error : "", /does not match the JSON line/);
});

Deno.test("parseInferRequest() matches v1 keys case-insensitively", () => {
  const json = '{"arguments":["ETH","1h"],"topicId":7,"BlockHeight":1200}';
  const request = parseInferRequest(encode(`${json.length}\r\n${json}\r\n`));
  assert.deepEqual(request, {
    arguments: ["ETH", "1h"],
    topicId: "7",
    blockHeight: "1200",
    blockHeightEval: "",
  });
});

Deno.test("parseInferRequest() rejects incomplete and invalid frames", () => {
  const cases: [string, RegExp][] = [
    ["", /incomplete request/],
    ["12\r\n", /incomplete request/],
    ['abc\r\n{"a":1}\r\n', /does not match/],
    ["5\r\n{oops\r\n", /not JSON/],
    ["2\r\n[]\r\n", /not a JSON object/],
  ];
  for (const [frame, pattern] of cases) {
    const result = parseInferRequest(encode(frame));
    assert.ok("error" in result, JSON.stringify(frame));
    assert.match(result.error, pattern, JSON.stringify(frame));
  }
});
