import assert from "node:assert/strict";
import { join } from "node:path";
import { createLogger } from "../log.ts";
import { NonceRecord } from "../nonce_record.ts";
import { tempDir } from "../../testing/temp_dir.ts";
import { waitUntil } from "../../testing/scripted_head.ts";
import type { ExecuteApiRequest } from "./job.ts";
import { NonceScheduler, type TopicNonces } from "./scheduler.ts";
import type { ExecuteResponseBody } from "./types.ts";

/** A chain that returns scripted results: one entry per call, an Error to fail that call. */
class FakeChain {
  answers: Array<TopicNonces | Error> = [];
  last: TopicNonces = { nonces: [], height: 1n, window: 10n };
  calls = 0;

  topicNonces(): Promise<TopicNonces> {
    this.calls++;
    const next = this.answers.shift() ?? this.last;
    if (next instanceof Error) return Promise.reject(next);
    this.last = next;
    return Promise.resolve(next);
  }
}

interface Setup {
  chain: FakeChain;
  requests: ExecuteApiRequest[];
  lines: string[];
  scheduler: NonceScheduler;
  record: NonceRecord;
}

async function setUp(
  options: { record?: NonceRecord; code?: string; intervalMs?: number } = {},
): Promise<Setup> {
  const chain = new FakeChain();
  const requests: ExecuteApiRequest[] = [];
  const lines: string[] = [];
  const record = options.record ?? await NonceRecord.open(undefined);
  const scheduler = new NonceScheduler({
    topics: [{ topicId: 1n, defaultArg: "ETH" }],
    chain,
    execute: (body): Promise<ExecuteResponseBody> => {
      requests.push(body);
      return Promise.resolve({
        code: (options.code ?? "200") as ExecuteResponseBody["code"],
        request_id: `request-${requests.length}`,
        cluster: { peers: ["peer-a", "peer-b"] },
        ...(options.code !== undefined && { message: "roll call timed out" }),
      });
    },
    record,
    functionId: "bafyfunction",
    method: "inference.wasm",
    logger: createLogger({ level: "debug", write: (line) => lines.push(line) }),
    intervalMs: options.intervalMs ?? 10,
    retryDelayMs: () => 10,
  });
  return { chain, requests, lines, scheduler, record };
}

const open = (nonce: bigint, height = nonce): TopicNonces => ({
  nonces: [nonce],
  height,
  window: 10n,
});

Deno.test("NonceScheduler sends one request for a new nonce", async () => {
  const { chain, requests, lines, scheduler } = await setUp();
  chain.answers.push(open(120n, 121n));
  assert.equal(await scheduler.poll(), true);
  await scheduler.settled();

  assert.deepEqual(requests, [{
    function_id: "bafyfunction",
    method: "inference.wasm",
    topic: "1",
    config: {
      env_vars: [
        { name: "ALLORA_ARG_PARAMS", value: "ETH" },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "120" },
      ],
      number_of_nodes: -1,
      timeout: 2,
    },
  }]);
  const finished = lines.find((line) => line.includes("scheduled request finished"));
  assert.ok(finished, lines.join(""));
  assert.match(finished, /topic=1 nonce=120 request_id=request-1 code=200 workers=2/);
});

Deno.test("NonceScheduler sends nothing for a nonce it has seen", async () => {
  const { chain, requests, scheduler } = await setUp();
  chain.answers.push(open(120n), open(120n, 125n), {
    nonces: [130n, 120n],
    height: 130n,
    window: 10n,
  });
  await scheduler.poll();
  await scheduler.poll();
  assert.equal(requests.length, 1);
  await scheduler.poll();
  await scheduler.settled();
  assert.deepEqual(
    requests.map((request) => request.config?.env_vars?.[1].value),
    ["120", "130"],
  );
});

Deno.test("NonceScheduler ignores a nonce older than the latest", async () => {
  const { chain, requests, scheduler } = await setUp();
  chain.answers.push(open(130n), open(120n, 130n));
  await scheduler.poll();
  await scheduler.poll();
  await scheduler.settled();
  assert.equal(requests.length, 1);
});

Deno.test("NonceScheduler skips a nonce whose window closed", async () => {
  const { chain, requests, lines, scheduler, record } = await setUp();
  chain.answers.push(open(120n, 130n));
  await scheduler.poll();
  assert.equal(requests.length, 0);
  assert.equal(record.get(1n, 120n)?.outcome, "window-closed");
  assert.ok(lines.some((line) => line.includes("skipped a nonce whose submission window")));

  // The last block of the window still counts: 120 + 10 > 129.
  chain.answers.push(open(130n, 139n));
  await scheduler.poll();
  await scheduler.settled();
  assert.equal(requests.length, 1);
});

Deno.test("NonceScheduler keeps its nonces across a restart", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "schedule.json");
  const first = await setUp({ record: await NonceRecord.open(path) });
  first.chain.answers.push(open(120n));
  await first.scheduler.poll();
  await first.scheduler.settled();

  const second = await setUp({ record: await NonceRecord.open(path) });
  second.chain.answers.push(open(120n));
  await second.scheduler.poll();
  assert.equal(second.requests.length, 0);
});

Deno.test("NonceScheduler retries when the chain fails", async () => {
  const { chain, requests, lines, scheduler } = await setUp();
  chain.answers.push(new Error("connect ECONNREFUSED"), new Error("connect ECONNREFUSED"));
  chain.last = open(120n);
  scheduler.start();
  try {
    await waitUntil(() => requests.length === 1, "a request after the failures");
  } finally {
    await scheduler.stop();
  }
  const warnings = lines.filter((line) => line.includes("cannot read worker nonces"));
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /error="connect ECONNREFUSED"/);
  assert.ok(
    lines.some((line) => /retrying the chain .*attempt=2 retry_in_ms=10/.test(line)),
    lines.join(""),
  );
  assert.ok(lines.some((line) => /reading worker nonces again .*failed_polls=2/.test(line)));
  assert.equal(requests.length, 1);
});

Deno.test("NonceScheduler logs a failed request with its reason", async () => {
  const { chain, lines, scheduler } = await setUp({ code: "408" });
  chain.answers.push(open(120n));
  await scheduler.poll();
  await scheduler.settled();
  const failed = lines.find((line) => line.includes("scheduled request failed"));
  assert.ok(failed);
  assert.match(failed, /WARN/);
  assert.match(failed, /code=408 .*reason="roll call timed out"/);
});

Deno.test("NonceScheduler starts over when the chain is reset", async () => {
  const { chain, requests, scheduler } = await setUp();
  chain.answers.push(open(120n), open(10n, 12n));
  await scheduler.poll();
  await scheduler.poll();
  await scheduler.settled();
  assert.deepEqual(
    requests.map((request) => request.config?.env_vars?.[1].value),
    ["120", "10"],
  );
});
