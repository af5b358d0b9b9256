import assert from "node:assert/strict";
import { join } from "node:path";
import { type ChainTestbed, startChainTestbed } from "../../testing/chain_testbed.ts";
import { produceBlocksTo } from "../../testing/devnet.ts";
import { tempDir } from "../../testing/temp_dir.ts";
import { createLogger, type Logger } from "../log.ts";
import { NonceRecord } from "../nonce_record.ts";
import { ChainSession } from "./chain_session.ts";
import { type InferencePayload, payloadOfRequest, PayloadSubmitter } from "./submission.ts";

const EPOCH = 12;
const NONCE = 12n;
const OUTPUT = '{"infererValue":"2514.37"}';

interface Setup extends AsyncDisposable {
  bed: ChainTestbed;
  session: ChainSession;
  recordPath: string;
  lines: string[];
  logger: Logger;
  submitter(record?: NonceRecord): Promise<PayloadSubmitter>;
}

/** Starts a testbed at nonce 12, a chain session for topic 1 and a record file. */
async function setUp(options: { window?: number; balance?: bigint } = {}): Promise<Setup> {
  const bed = await startChainTestbed({
    epochLength: EPOCH,
    workerSubmissionWindow: options.window ?? EPOCH,
    balance: options.balance,
  });
  produceBlocksTo(bed.devnet, EPOCH);
  const dir = await tempDir();
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
  const session = ChainSession.start({
    rpc: bed.proxy.url,
    account: bed.account,
    topics: [1n],
    logger,
  });
  await session.started;
  const recordPath = join(dir.path, "submissions.json");
  return {
    bed,
    session,
    recordPath,
    lines,
    logger,
    submitter: async (record) =>
      new PayloadSubmitter({
        session,
        record: record ?? await NonceRecord.open(recordPath),
        logger,
        sequenceRetryDelayMs: 10,
      }),
    async [Symbol.asyncDispose]() {
      session.close();
      await bed[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

function payload(nonce = NONCE, requestId = "request-1"): InferencePayload {
  return { requestId, topicId: 1n, nonce, stdout: OUTPUT };
}

Deno.test("PayloadSubmitter lands a payload and logs its hash", async () => {
  await using setup = await setUp();
  const submitter = await setup.submitter();
  const outcome = await submitter.submit(payload());
  assert.equal(outcome.status, "landed");
  const { txHash } = outcome as { txHash: string };
  assert.equal(setup.bed.devnet.state.tx(txHash)?.result.code, 0);
  const landed = setup.lines.find((line) => line.includes("payload landed on chain"));
  assert.ok(landed, setup.lines.join(""));
  assert.match(landed, new RegExp(`tx_hash=${txHash}`));
  assert.match(landed, /request_id=request-1 topic=1 nonce=12/);
});

Deno.test("PayloadSubmitter sends one transaction per nonce", async () => {
  await using setup = await setUp();
  const submitter = await setup.submitter();
  const outcomes = await Promise.all([
    submitter.submit(payload(NONCE, "a")),
    submitter.submit(payload(NONCE, "b")),
  ]);
  assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ["duplicate", "landed"]);
  assert.equal((await submitter.submit(payload(NONCE, "c"))).status, "duplicate");
  assert.equal(setup.bed.proxy.count("broadcast_tx_sync"), 2); // registration + one payload
});

Deno.test("PayloadSubmitter does not resubmit after a restart", async () => {
  await using setup = await setUp();
  await (await setup.submitter()).submit(payload());
  const broadcasts = setup.bed.proxy.count("broadcast_tx_sync");

  // A new submitter on the same file plays the restarted worker.
  const restarted = await setup.submitter();
  assert.equal((await restarted.submit(payload())).status, "duplicate");
  assert.equal(setup.bed.proxy.count("broadcast_tx_sync"), broadcasts);
});

Deno.test("PayloadSubmitter treats already-submitted as done", async () => {
  await using setup = await setUp();
  await (await setup.submitter()).submit(payload());

  // With the record lost, the chain's simulation decides before anything is broadcast.
  const record = await NonceRecord.open(undefined);
  const forgetful = await setup.submitter(record);
  assert.equal((await forgetful.submit(payload())).status, "already-submitted");
  assert.equal(record.get(1n, NONCE)?.outcome, "already-submitted");
  assert.equal((await forgetful.submit(payload())).status, "duplicate");
});

Deno.test("PayloadSubmitter records a closed window and does not retry", async () => {
  await using setup = await setUp({ window: 2 });
  produceBlocksTo(setup.bed.devnet, EPOCH + 3);
  const submitter = await setup.submitter();
  const outcome = await submitter.submit(payload());
  assert.equal(outcome.status, "rejected");
  assert.equal((outcome as { kind: string }).kind, "window-closed");
  const warning = setup.lines.find((line) => line.includes("chain rejected the payload"));
  assert.ok(warning);
  assert.match(warning, /hint="wait for the next window; do not retry this nonce"/);
  assert.equal((await submitter.submit(payload())).status, "duplicate");
});

Deno.test("PayloadSubmitter skips a topic whose registration failed", async () => {
  await using setup = await setUp({ balance: 0n });
  const outcome = await (await setup.submitter()).submit(payload());
  assert.equal(outcome.status, "skipped");
  assert.match((outcome as { reason: string }).reason, /^not registered in topic 1: Cannot/);
  assert.equal(setup.bed.proxy.count("broadcast_tx_sync"), 0);
  assert.ok(setup.lines.some((line) => line.includes("WARN  payload not submitted")));
});

Deno.test("PayloadSubmitter skips a topic the worker does not serve", async () => {
  await using setup = await setUp();
  const outcome = await (await setup.submitter()).submit({ ...payload(), topicId: 7n });
  assert.deepEqual(outcome, {
    status: "skipped",
    reason: "topic 7 is not one of this worker's topics",
    hint: "serve it with --topic 7",
  });
});

Deno.test("PayloadSubmitter retries a sequence mismatch with backoff", async () => {
  await using setup = await setUp();
  const { bed } = setup;
  // The client retries a mismatch twice itself; four refusals reach the submitter's retry.
  let refusals = 4;
  bed.proxy.handler = (call, forward) => {
    if (call.method !== "broadcast_tx_sync" || refusals === 0) return forward();
    refusals--;
    const sequence = bed.devnet.state.account(bed.account.address)!.sequence;
    return {
      code: 32,
      codespace: "sdk",
      data: "",
      log:
        `account sequence mismatch, expected ${sequence}, got ${sequence}: incorrect account sequence`,
      hash: "00".repeat(32),
    };
  };
  const outcome = await (await setup.submitter()).submit(payload());
  assert.equal(outcome.status, "landed");
  assert.equal(refusals, 0);
  assert.equal(
    setup.lines.filter((line) => line.includes("account sequence mismatch; retrying")).length,
    1,
  );
});

Deno.test("PayloadSubmitter skips output the chain would reject", async () => {
  await using setup = await setUp();
  const outcome = await (await setup.submitter()).submit({
    ...payload(),
    stdout: '{"infererValue":"1e-50"}',
  });
  assert.equal(outcome.status, "skipped");
  assert.equal(setup.bed.proxy.count("broadcast_tx_sync"), 1); // the registration only
});

Deno.test("payloadOfRequest() needs a topic id and a positive nonce", () => {
  const env = (topic: string, height: string): [string, string][] => [
    ["TOPIC_ID", topic],
    ["ALLORA_BLOCK_HEIGHT_CURRENT", height],
  ];
  assert.deepEqual(payloadOfRequest("r", env("1", "120"), OUTPUT), {
    requestId: "r",
    topicId: 1n,
    nonce: 120n,
    stdout: OUTPUT,
  });
  assert.equal(payloadOfRequest("r", env("1", "0"), OUTPUT), undefined);
  assert.equal(payloadOfRequest("r", env("1/reputer", "120"), OUTPUT), undefined);
  assert.equal(payloadOfRequest("r", env("1", "-5"), OUTPUT), undefined);
  assert.equal(payloadOfRequest("r", [["TOPIC_ID", "1"]], OUTPUT), undefined);
  const repeated: [string, string][] = [...env("1", "120"), ["ALLORA_BLOCK_HEIGHT_CURRENT", "130"]];
  assert.equal(payloadOfRequest("r", repeated, OUTPUT)?.nonce, 130n);
});
