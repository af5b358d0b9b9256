import assert from "node:assert/strict";
import { bankSend, makeWallet, startFundedDevnet, startTestDevnet } from "../../testing/devnet.ts";
import { createLogger } from "../log.ts";
import { deriveAccount } from "../wallet/mod.ts";
import { ChainSession } from "./chain_session.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("ChainSession retries until the chain is up, then registers", async () => {
  const account = await deriveAccount((await makeWallet()).mnemonic);
  const port = freePort();
  const lines: string[] = [];
  const session = ChainSession.start({
    rpc: `http://127.0.0.1:${port}`,
    account,
    topics: [1n],
    logger: createLogger({ write: (line) => lines.push(line) }),
    random: () => 0.5,
  });
  try {
    const early = await session.readiness(1n, { waitMs: 50 });
    assert.deepEqual(early, {
      ready: false,
      reason: `not connected to the chain at http://127.0.0.1:${port}`,
      hint: "check chain.rpc in config.yaml and that the node is up",
    });

    await using devnet = await startTestDevnet({
      port,
      fund: [{ address: account.address, amount: 10n ** 18n }],
    });
    const ready = await session.readiness(1n, { waitMs: 30_000 });
    assert.equal(ready.ready, true, JSON.stringify(ready));
    assert.ok(devnet.state.state.emissions.topics.get("1")?.workers.has(account.address));
    const retries = lines.filter((line) => line.includes("cannot reach the chain; retrying"));
    assert.ok(retries.length >= 1, lines.join(""));
    assert.match(retries[0], /attempt=1 retry_in_ms=1000/);
  } finally {
    session.close();
  }
});

Deno.test("ChainSession retries a failed registration after a delay", async () => {
  const account = await deriveAccount((await makeWallet()).mnemonic);
  await using funded = await startFundedDevnet(10n ** 18n);
  const session = ChainSession.start({
    rpc: funded.devnet.url,
    account,
    topics: [1n],
    logger: createLogger({ level: "silent" }),
    registrationRetryMs: 100,
  });
  try {
    const unfunded = await session.readiness(1n, { waitMs: 30_000 });
    assert.equal(unfunded.ready, false);
    assert.match(
      (unfunded as { reason: string }).reason,
      /^not registered in topic 1: Cannot register in topic 1: balance of allo1\w+ is 0 uallo, 200 uallo needed$/,
    );

    const { wallet, client } = funded;
    await client.signAndBroadcast(wallet.address, [
      bankSend(wallet.address, account.address, 10n ** 17n),
    ], "auto");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const registered = await session.readiness(1n, { waitMs: 30_000 });
    assert.equal(registered.ready, true, JSON.stringify(registered));
  } finally {
    session.close();
  }
});
