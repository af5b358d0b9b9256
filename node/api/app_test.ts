import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { InstallPublishError, ShutdownError } from "../head/errors.ts";
import type { ExecuteResponseBody, ExecutionJob, InstallPlan } from "../head/types.ts";
import { type ApiComponents, createApi, HEALTH_BODY } from "./app.ts";

const VALID = {
  function_id: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  method: "allora-inference-function.wasm",
  topic: "1",
  config: {
    env_vars: [{ name: "ALLORA_ARG_PARAMS", value: "ETH" }],
    number_of_nodes: -1,
    timeout: 2,
  },
};
const CANNED: ExecuteResponseBody = {
  code: "200",
  request_id: "00000000-0000-4000-8000-000000000000",
  results: [{ result: { stdout: "1\n", stderr: "", exit_code: 0 }, peers: ["p1"], frequency: 100 }],
  cluster: { peers: ["p1"] },
};

// A stub head that records what the API hands it.
function stubComponents(overrides: Partial<ApiComponents> = {}) {
  const calls = { jobs: [] as ExecutionJob[], plans: [] as InstallPlan[] };
  const components: ApiComponents = {
    execute: (job) => {
      calls.jobs.push(job);
      return Promise.resolve(CANNED);
    },
    install: (plan) => {
      calls.plans.push(plan);
      return Promise.resolve({ code: "200" });
    },
    result: (id) => (id === CANNED.request_id ? CANNED : undefined),
    renderMetrics: () => Promise.resolve({ contentType: "text/plain", body: "metric 1\n" }),
    ...overrides,
  };
  return {
    app: createApi(components, { limits: { maxNodes: 10, maxRollCallTimeoutMs: 30_000 } }),
    calls,
  };
}

function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  return {
    path,
    init: {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
  };
}

async function send(
  app: ReturnType<typeof stubComponents>["app"],
  request: ReturnType<typeof post>,
) {
  const response = await app.request(request.path, request.init);
  return { status: response.status, body: await response.json() };
}

const EXECUTE = "/api/v1/functions/execute";

Deno.test("GET /api/v1/health returns the fork's body byte for byte", async () => {
  const { app } = stubComponents();
  const response = await app.request("/api/v1/health");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(await response.text(), HEALTH_BODY);
  assert.equal(HEALTH_BODY, '{"type":"health","code":200}\n');
});

Deno.test("POST execute hands the planned job to the head", async () => {
  const { app, calls } = stubComponents();
  const { status, body } = await send(app, post(EXECUTE, VALID));
  assert.equal(status, 200);
  assert.deepEqual(body, CANNED);
  assert.equal(calls.jobs.length, 1);
  const job = calls.jobs[0];
  assert.equal(job.topic, "allora-topic-1-worker");
  assert.equal(job.nodeCount, -1);
  assert.equal(job.rollCallTimeoutMs, 2000);
  assert.deepEqual(job.request.config.env_vars, [
    { name: "ALLORA_ARG_PARAMS", value: "ETH" },
    { name: "TOPIC_ID", value: "1" },
  ]);
});

Deno.test("POST execute accepts a body without content type", async () => {
  const { app, calls } = stubComponents();
  // A string body would get "text/plain" from fetch; bytes get no content type at all.
  const bytes = new TextEncoder().encode(JSON.stringify(VALID));
  const response = await app.request(EXECUTE, { method: "POST", body: bytes });
  assert.equal(response.status, 200);
  assert.equal(calls.jobs.length, 1);
});

Deno.test("POST execute treats null fields as absent", async () => {
  const { app, calls } = stubComponents();
  const { status } = await send(
    app,
    post(EXECUTE, { ...VALID, parameters: null, config: { ...VALID.config, stdin: null } }),
  );
  assert.equal(status, 200);
  assert.equal(calls.jobs[0].request.parameters, undefined);
});

Deno.test("POST execute rejects invalid requests with 400 naming the problem", async (t) => {
  const cases: Array<[string, ReturnType<typeof post>, RegExp]> = [
    ["malformed JSON", post(EXECUTE, '{"function_id":'), /^invalid JSON body/],
    ["empty body", post(EXECUTE, ""), /^invalid JSON body/],
    ["array body", post(EXECUTE, "[]"), /expected a JSON object/],
    [
      "wrong content type",
      post(EXECUTE, VALID, { "content-type": "text/plain" }),
      /content type "text\/plain"/,
    ],
    [
      "form content type",
      post(EXECUTE, VALID, { "content-type": "application/x-www-form-urlencoded" }),
      /send application\/json/,
    ],
    ["missing function_id", post(EXECUTE, { method: "a.wasm" }), /^missing field 'function_id'$/],
    ["missing method", post(EXECUTE, { function_id: "bafy" }), /^missing field 'method'$/],
    [
      "numeric function_id",
      post(EXECUTE, { ...VALID, function_id: 5 }),
      /^invalid field 'function_id': expected string$/,
    ],
    [
      "string timeout",
      post(EXECUTE, { ...VALID, config: { timeout: "2" } }),
      /^invalid field 'config.timeout': expected integer$/,
    ],
    [
      "fractional nodes",
      post(EXECUTE, { ...VALID, config: { number_of_nodes: 1.5 } }),
      /config.number_of_nodes/,
    ],
    [
      "bad parameter value",
      post(EXECUTE, { ...VALID, parameters: [{ value: 1 }] }),
      /'parameters.0.value'/,
    ],
    [
      "traversal function_id",
      post(EXECUTE, { ...VALID, function_id: "../../etc" }),
      /invalid function_id/,
    ],
    ["traversal method", post(EXECUTE, { ...VALID, method: "../x.wasm" }), /invalid method/],
    ["slash in method", post(EXECUTE, { ...VALID, method: "a/b.wasm" }), /invalid method/],
    ["backslash in method", post(EXECUTE, { ...VALID, method: "a\\b.wasm" }), /invalid method/],
    ["NUL in method", post(EXECUTE, { ...VALID, method: "a\u0000.wasm" }), /invalid method/],
    [
      "long method",
      post(EXECUTE, { ...VALID, method: "a".repeat(256) }),
      /invalid method: expected 1-255 bytes/,
    ],
    [
      "huge timeout",
      post(EXECUTE, { ...VALID, config: { timeout: 1e12 } }),
      /invalid config.timeout .*at most 30 seconds/,
    ],
    ["too many nodes", post(EXECUTE, { ...VALID, config: { number_of_nodes: 11 } }), /at most 10$/],
    [
      "unknown consensus",
      post(EXECUTE, { ...VALID, config: { consensus_algorithm: "paxos" } }),
      /consensus_algorithm "paxos"/,
    ],
    ["unknown topic", post(EXECUTE, { ...VALID, topic: "eth" }), /invalid topic "eth"/],
  ];
  for (const [name, request, message] of cases) {
    await t.step(name, async () => {
      const { app, calls } = stubComponents();
      const { status, body } = await send(app, request);
      assert.equal(status, 400);
      assert.match(body.message, message);
      assert.equal(calls.jobs.length, 0);
    });
  }
});

Deno.test("POST execute keeps b7s defaults for a negative timeout and threshold", async () => {
  const { app, calls } = stubComponents();
  const { status } = await send(
    app,
    post(EXECUTE, { ...VALID, config: { timeout: -3, threshold: 7 } }),
  );
  assert.equal(status, 200);
  assert.equal(calls.jobs[0].rollCallTimeoutMs, 5000);
  assert.equal(calls.jobs[0].threshold, 0.6);
});

Deno.test("POST execute rejects an oversized body with 413", async () => {
  const { app, calls } = stubComponents();
  const huge = { ...VALID, config: { stdin: "x".repeat(1024 * 1024 + 1) } };
  const { status, body } = await send(app, post(EXECUTE, huge));
  assert.equal(status, 413);
  assert.match(body.message, /request body too large: the limit is 1048576 bytes/);
  assert.equal(calls.jobs.length, 0);
});

Deno.test("POST execute hides internal errors from the client", async () => {
  const { app } = stubComponents({ execute: () => Promise.reject(new Error("secret detail")) });
  const { status, body } = await send(app, post(EXECUTE, VALID));
  assert.equal(status, 500);
  assert.deepEqual(body, { message: "internal error: see the head node log" });
});

Deno.test("POST install builds the manifest URL from the CID", async () => {
  const { app, calls } = stubComponents();
  const { status, body } = await send(app, post("/api/v1/functions/install", { cid: "bafyabc" }));
  assert.equal(status, 200);
  assert.deepEqual(body, { code: "200" });
  assert.deepEqual(calls.plans[0], {
    cid: "bafyabc",
    manifestUrl: "https://bafyabc.ipfs.w3s.link/manifest.json",
    topic: "blockless/b7s/general",
    waitMs: 0,
  });
});

Deno.test("POST install hashes the URI when no CID is given", async () => {
  const { app, calls } = stubComponents();
  const uri = "http://127.0.0.1:8080/manifest.json";
  await send(app, post("/api/v1/functions/install", { uri, subgroup: "allora-topic-1-worker" }));
  assert.equal(calls.plans[0].cid, createHash("sha256").update(uri).digest("hex"));
  assert.equal(calls.plans[0].manifestUrl, uri);
  assert.equal(calls.plans[0].topic, "allora-topic-1-worker");
});

Deno.test("POST install keeps a given CID next to a URI", async () => {
  const { app, calls } = stubComponents();
  await send(
    app,
    post("/api/v1/functions/install", {
      uri: "https://127.0.0.1:8443/m.json",
      cid: "mine",
      topic: "t1",
    }),
  );
  assert.equal(calls.plans[0].cid, "mine");
  assert.equal(calls.plans[0].topic, "t1");
});

Deno.test("POST install rejects a request without URI or CID", async () => {
  const { app, calls } = stubComponents();
  const { status, body } = await send(app, post("/api/v1/functions/install", {}));
  assert.equal(status, 400);
  assert.deepEqual(body, { message: "URI or CID are required" });
  assert.equal(calls.plans.length, 0);
});

Deno.test("POST install rejects a traversal CID and a huge wait", async () => {
  const { app } = stubComponents();
  const traversal = await send(app, post("/api/v1/functions/install", { cid: "../x" }));
  const wait = await send(
    app,
    post("/api/v1/functions/install", { cid: "bafy", wait_ms: 10_000_000 }),
  );
  assert.equal(traversal.status, 400);
  assert.match(traversal.body.message, /invalid cid/);
  assert.equal(wait.status, 400);
  assert.match(wait.body.message, /invalid wait_ms/);
});

Deno.test("POST install maps a publish failure to 500", async () => {
  const { app } = stubComponents({
    install: () => Promise.reject(new InstallPublishError("t", { cause: new Error("no route") })),
  });
  const { status, body } = await send(app, post("/api/v1/functions/install", { cid: "bafy" }));
  assert.equal(status, 500);
  assert.deepEqual(body, { message: "function installation failed: no route" });
});

Deno.test("POST result returns a cached response and 404 for unknown ids", async () => {
  const { app } = stubComponents();
  const path = "/api/v1/functions/requests/result";
  const found = await send(app, post(path, { id: CANNED.request_id }));
  const unknown = await send(app, post(path, { id: "nope" }));
  const missing = await send(app, post(path, {}));
  assert.equal(found.status, 200);
  assert.deepEqual(found.body, CANNED);
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body, { message: "result not found" });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body, { message: "missing request ID" });
});

Deno.test("GET /metrics returns the head's exposition", async () => {
  const { app } = stubComponents();
  const response = await app.request("/metrics");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(await response.text(), "metric 1\n");
});

Deno.test("unknown route returns 404 JSON", async () => {
  const { app } = stubComponents();
  const response = await app.request("/api/v2/nothing");
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { message: "not found: GET /api/v2/nothing" });
  const wrongMethod = await app.request(EXECUTE);
  assert.equal(wrongMethod.status, 404);
});

Deno.test("POST install during shutdown returns 503", async () => {
  const { app } = stubComponents({ install: () => Promise.reject(new ShutdownError()) });
  const { status, body } = await send(app, post("/api/v1/functions/install", { cid: "bafy" }));
  assert.equal(status, 503);
  assert.deepEqual(body, { message: "the head node is shutting down" });
});
