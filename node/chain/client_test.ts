import assert from "node:assert/strict";
import { sha256 } from "@cosmjs/crypto";
import { assertRejects } from "../../testing/assert.ts";
import { TestChain } from "../../testing/chain_state.ts";
import { startTestRpcServer } from "../../testing/rpc_server.ts";
import { accountFromPrivateKey } from "./account.ts";
import { ChainClient } from "./client.ts";
import { UnsupportedChainError } from "./errors.ts";
import { ChainTimeoutError, ChainUnreachableError } from "./rpc.ts";

const alice = accountFromPrivateKey(sha256(new TextEncoder().encode("alice")));
const bob = accountFromPrivateKey(sha256(new TextEncoder().encode("bob")));

Deno.test("ChainClient.connect() detects emissions v9", async () => {
  await using server = startTestRpcServer(new TestChain({ version: "v9" }));
  const client = await ChainClient.connect({ rpc: server.url });
  try {
    assert.equal(client.emissionsVersion, "v9");
    assert.equal(client.chainId, "allora-test-1");
  } finally {
    client.close();
  }
});

Deno.test("ChainClient.connect() probes v10 before v9", async () => {
  await using server = startTestRpcServer(new TestChain({ version: "v10" }));
  const client = await ChainClient.connect({ rpc: server.url });
  client.close();
  assert.equal(client.emissionsVersion, "v10");
  const probes = server.calls.filter((method) => method === "abci_query");
  assert.equal(probes.length, 1);
});

Deno.test("ChainClient.connect() uses a pinned version without probing", async () => {
  await using server = startTestRpcServer(new TestChain({ version: "v9" }));
  const client = await ChainClient.connect({ rpc: server.url, emissionsVersion: "v9" });
  client.close();
  assert.equal(server.calls.includes("abci_query"), false);
});

Deno.test("ChainClient.connect() rejects a chain without a supported version", async () => {
  const chain = new TestChain();
  chain.version = "v8" as "v9";
  await using server = startTestRpcServer(chain);
  const error = await assertRejects(
    () => ChainClient.connect({ rpc: server.url }),
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
  await using server = startTestRpcServer();
  server.chain.height = 42;
  const client = await ChainClient.connect({ rpc: server.url });
  try {
    const status = await client.status();
    assert.equal(status.chainId, "allora-test-1");
    assert.equal(status.height, 42);
    assert.equal(status.nodeVersion, "0.38.19");
    assert.equal(status.emissionsVersion, "v9");
  } finally {
    client.close();
  }
});

Deno.test("ChainClient.balance() reads uallo and 0 for unknown accounts", async () => {
  await using server = startTestRpcServer();
  server.chain.fund(alice.address, 123_456_789_000_000_000_000n);
  const client = await ChainClient.connect({ rpc: server.url });
  try {
    assert.equal(await client.balance(alice.address), 123_456_789_000_000_000_000n);
    assert.equal(await client.balance(bob.address), 0n);
  } finally {
    client.close();
  }
});

Deno.test("ChainClient.gasPrice() reads the feemarket and falls back", async () => {
  await using server = startTestRpcServer();
  server.chain.gasPriceAtomics = "12500000000000000000";
  const client = await ChainClient.connect({ rpc: server.url, gasPrice: "25uallo" });
  try {
    assert.equal((await client.gasPrice()).amount.toString(), "12.5");
    server.chain.gasPriceAtomics = undefined;
    assert.equal((await client.gasPrice()).amount.toString(), "25");
  } finally {
    client.close();
  }
});

Deno.test("ChainClient.call() aborts with the caller's signal", async () => {
  await using server = startTestRpcServer();
  const client = await ChainClient.connect({ rpc: server.url });
  try {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(
      () => client.status({ signal: controller.signal }),
      (error) => error === reason,
    );
  } finally {
    client.close();
  }
});
