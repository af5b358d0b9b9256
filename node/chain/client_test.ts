import assert from "node:assert/strict";
import { assertRejects } from "../../testing/assert.ts";
import { startChainTestbed } from "../../testing/chain_testbed.ts";
import { makeWallet, produceBlocksTo, startTestDevnet } from "../../testing/devnet.ts";
import { queryFailure, queryValue, startRpcProxy } from "../../testing/rpc_proxy.ts";
import { ChainClient } from "./client.ts";
import { ChainError, TopicNotFoundError, UnsupportedChainError } from "./errors.ts";
import { GAS_PRICE_PATH, GasPriceResponse } from "./fees.ts";
import { submitWorkerPayload } from "./payload.ts";
import { registerWorker } from "./registration.ts";
import { ChainTimeoutError, ChainUnreachableError } from "./rpc.ts";
import { readTopic } from "./topics.ts";

const UNKNOWN_PATH = { code: 6, codespace: "sdk", log: "unknown query path: unknown request" };

Deno.test("ChainClient.connect() detects emissions v9", async () => {
  await using bed = await startChainTestbed();
  assert.equal(bed.client.emissionsVersion, "v9");
  assert.equal(bed.client.chainId, "devnet-test");
  assert.deepEqual(bed.proxy.calls.filter((call) => call.path).map((call) => call.path), [
    "/emissions.v10.QueryService/GetParams",
    "/emissions.v9.QueryService/GetParams",
  ]);
});

Deno.test("ChainClient.connect() probes v10 before v9", async () => {
  await using bed = await startChainTestbed({ emissionsVersion: "v10" });
  assert.equal(bed.client.emissionsVersion, "v10");
  assert.equal(bed.proxy.count("abci_query"), 1);
  assert.equal(
    bed.proxy.calls.find((call) => call.path)?.path,
    "/emissions.v10.QueryService/GetParams",
  );
});

Deno.test("ChainClient.connect() uses a pinned version without probing", async () => {
  await using bed = await startChainTestbed({ client: { emissionsVersion: "v9" } });
  assert.equal(bed.client.emissionsVersion, "v9");
  assert.equal(bed.proxy.count("abci_query"), 0);
});

Deno.test("ChainClient.connect() rejects a chain without a supported version", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  await using proxy = startRpcProxy(devnet.url);
  // The devnet serves v9; a chain of another era answers its GetParams as an unknown path.
  proxy.handler = async (call, forward) => {
    const result = await forward();
    return call.path === "/emissions.v9.QueryService/GetParams"
      ? queryFailure(result, UNKNOWN_PATH)
      : result;
  };
  const error = await assertRejects(
    () => ChainClient.connect({ rpc: proxy.url }),
    UnsupportedChainError,
  );
  assert.deepEqual(error.probed, [
    "/emissions.v10.QueryService/GetParams",
    "/emissions.v9.QueryService/GetParams",
    "/emissions.v1.Query/Params",
  ]);
});

Deno.test("ChainClient.connect() reports an unreachable RPC", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const error = await assertRejects(
    () => ChainClient.connect({ rpc: `http://127.0.0.1:${port}` }),
    ChainUnreachableError,
  );
  assert.equal(error.url, `http://127.0.0.1:${port}`);
});

Deno.test("ChainClient.connect() times out on a silent RPC", async () => {
  const hang = Promise.withResolvers<Response>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => hang.promise,
  );
  try {
    const started = Date.now();
    const error = await assertRejects(
      () => ChainClient.connect({ rpc: `http://127.0.0.1:${server.addr.port}`, timeoutMs: 300 }),
      ChainTimeoutError,
    );
    assert.equal(error.timeoutMs, 300);
    assert.ok(Date.now() - started < 10_000);
  } finally {
    hang.resolve(new Response("{}"));
    await server.shutdown();
  }
});

Deno.test("ChainClient.status() returns chain id and height", async () => {
  await using bed = await startChainTestbed({ chainId: "allora-test-1" });
  produceBlocksTo(bed.devnet, 42);
  const status = await bed.client.status();
  assert.equal(status.chainId, "allora-test-1");
  assert.equal(status.height, 42);
  assert.equal(status.time, bed.devnet.state.block(42)?.time);
  assert.equal(status.nodeVersion, "0.38.19");
  assert.equal(status.emissionsVersion, "v9");
  assert.equal(status.catchingUp, false);
});

Deno.test("ChainClient.balance() reads uallo and 0 for unknown accounts", async () => {
  await using bed = await startChainTestbed({ balance: 123_456_789_000_000_000_000n });
  const stranger = await makeWallet();
  assert.equal(await bed.client.balance(bed.account.address), 123_456_789_000_000_000_000n);
  assert.equal(await bed.client.balance(stranger.address), 0n);
});

Deno.test("ChainClient.gasPrice() reads the feemarket", async () => {
  await using bed = await startChainTestbed({ minGasPrice: 25n });
  assert.equal((await bed.client.gasPrice()).amount.toString(), "25");
  assert.equal((await bed.client.gasPrice()).denom, "uallo");

  // LegacyDec atomics with a fraction: 12.5 uallo per gas.
  bed.proxy.handler = async (call, forward) => {
    const result = await forward();
    if (call.path !== GAS_PRICE_PATH) return result;
    const price = { denom: "uallo", amount: "12500000000000000000" };
    return queryValue(result, GasPriceResponse.toBytes({ price }));
  };
  assert.equal((await bed.client.gasPrice()).amount.toString(), "12.5");
});

Deno.test("ChainClient.gasPrice() falls back without a feemarket", async () => {
  await using bed = await startChainTestbed({ client: { gasPrice: "25uallo" } });
  bed.proxy.handler = async (call, forward) => {
    const result = await forward();
    return call.path === GAS_PRICE_PATH ? queryFailure(result, UNKNOWN_PATH) : result;
  };
  assert.equal((await bed.client.gasPrice()).amount.toString(), "25");

  await using auto = await startChainTestbed();
  auto.proxy.handler = bed.proxy.handler;
  assert.equal((await auto.client.gasPrice()).amount.toString(), "10");
  assert.equal(auto.proxy.count("abci_query", GAS_PRICE_PATH), 1);
});

Deno.test("ChainClient.call() aborts with the caller's signal", async () => {
  await using bed = await startChainTestbed();
  const controller = new AbortController();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(
    () => bed.client.status({ signal: controller.signal }),
    (error) => error === reason,
  );
});

Deno.test("emissions.topic() returns undefined for a missing topic", async () => {
  await using bed = await startChainTestbed({ topics: [1n, 3n] });
  const info = await bed.client.query.emissions.topic(3n);
  assert.equal(info?.topic.id, 3n);
  assert.equal(info?.topic.metadata, "devnet topic 3");
  // The chain returns a GetTopic error for topic 2, not an empty response.
  assert.equal(await bed.client.query.emissions.topic(2n), undefined);
  const getTopic = bed.proxy.calls.filter((call) => call.path?.endsWith("/GetTopic"));
  assert.notEqual((getTopic.at(-1)?.result?.response as { code: number }).code, 0);
});

Deno.test("emissions.topic() rethrows other query errors", async () => {
  await using bed = await startChainTestbed();
  bed.proxy.handler = async (call, forward) => {
    const result = await forward();
    return call.path?.endsWith("/GetTopic") ? queryFailure(result, UNKNOWN_PATH) : result;
  };
  const error = await assertRejects(() => readTopic(bed.client, 1n), ChainError);
  assert.equal(error.code, 6);
  assert.equal(error.kind, "unknown");
});

Deno.test("readTopic() names the chain's topic ids for a missing topic", async () => {
  await using bed = await startChainTestbed({ topics: [1n, 3n] });
  assert.equal((await readTopic(bed.client, 1n)).topic.id, 1n);
  const error = await assertRejects(() => readTopic(bed.client, 99n), TopicNotFoundError);
  assert.equal(error.topicId, 99n);
  assert.equal(error.lastTopicId, 3n);
  assert.equal(error.message, "Cannot read topic 99: topic 99 does not exist");
  assert.equal(error.hint, "this chain's topic ids run from 1 to 3; check the id");
});

Deno.test("emissions.workerLatestInference() reads a landed payload", async () => {
  await using bed = await startChainTestbed({ epochLength: 12 });
  const query = bed.client.query.emissions;
  assert.equal(await query.workerLatestInference(1n, bed.account.address), undefined);

  produceBlocksTo(bed.devnet, 12);
  await registerWorker(bed.client, bed.account, 1n);
  await submitWorkerPayload({
    client: bed.client,
    account: bed.account,
    topicId: 1n,
    nonce: 12n,
    output: '{"infererValue":"2500.50"}',
  });
  const inference = await query.workerLatestInference(1n, bed.account.address);
  assert.equal(inference?.blockHeight, 12n);
  assert.equal(inference?.inferer, bed.account.address);
  assert.equal(inference?.value, "2500.50");
});
