import assert from "node:assert/strict";
import { fromBase64, fromHex, toBase64, toHex } from "@cosmjs/encoding";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { signSend, startFundedDevnet, startTestDevnet } from "../../testing/devnet.ts";

async function rpc(url: string, method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
  });
  assert.equal(response.status, 200);
  return await response.json();
}

Deno.test("status reports chain id, CometBFT version and height", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  devnet.produceBlock();
  const { id, result } = await rpc(devnet.url, "status");
  assert.equal(id, 7);
  assert.equal(result.node_info.network, "devnet-test");
  assert.equal(result.node_info.version, "0.38.19");
  assert.equal(result.sync_info.latest_block_height, "2");
  assert.ok(Date.parse(result.sync_info.latest_block_time) > 0);
});

Deno.test("GET /status answers like the POST form", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  const response = await fetch(`${devnet.url}/status`);
  const body = await response.json();
  assert.equal(body.result.node_info.network, "devnet-test");
});

Deno.test("an unknown method returns JSON-RPC error -32601", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  const { error } = await rpc(devnet.url, "dump_consensus_state");
  assert.equal(error.code, -32601);
});

Deno.test("block above the latest height returns CometBFT's error", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  const { error } = await rpc(devnet.url, "block", { height: "5" });
  assert.equal(error.code, -32603);
  assert.match(
    error.data,
    /height 5 must be less than or equal to the current blockchain height 1/,
  );
});

Deno.test("Comet38Client reads blocks with chain id, height and time", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  devnet.produceBlock();
  const client = await Comet38Client.connect(devnet.url);
  try {
    const block = await client.block(2);
    assert.equal(block.block.header.chainId, "devnet-test");
    assert.equal(block.block.header.height, 2);
    assert.equal(
      toHex(block.block.header.lastBlockId!.hash).toUpperCase(),
      devnet.state.block(1)?.hash,
    );
    const latest = await client.block();
    assert.equal(latest.block.header.height, 2);
  } finally {
    client.disconnect();
  }
});

Deno.test("abci_query of an unknown path returns code 6 in codespace sdk", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  const { result } = await rpc(devnet.url, "abci_query", {
    path: "/cosmos.staking.v1beta1.Query/Params",
    data: "",
  });
  assert.equal(result.response.code, 6);
  assert.equal(result.response.codespace, "sdk");
});

Deno.test("abci_query of the feemarket gas price returns 10 uallo", async () => {
  await using devnet = await startTestDevnet({ blockTimeMs: 0 });
  // GasPriceRequest{denom="uallo"}: field 1, length 5.
  const { result } = await rpc(devnet.url, "abci_query", {
    path: "/feemarket.feemarket.v1.Query/GasPrice",
    data: "0a0575616c6c6f",
  });
  assert.equal(result.response.code, 0);
  // GasPriceResponse{price=1 DecCoin}: skip the outer tag and length.
  const price = DecCoin.decode(fromBase64(result.response.value).slice(2));
  // LegacyDec atomics: 10 × 10^18.
  assert.deepEqual(price, { denom: "uallo", amount: "10000000000000000000" });
});

Deno.test("broadcast_tx_commit waits for the block and returns the result", async () => {
  await using funded = await startFundedDevnet(10n ** 18n);
  const { devnet } = funded;
  const tx = toBase64(await signSend(funded, { sequence: 0, amount: 5n }));
  const { result } = await rpc(devnet.url, "broadcast_tx_commit", { tx });
  assert.equal(result.check_tx.code, 0);
  assert.equal(result.tx_result.code, 0);
  assert.ok(Number(result.height) >= 2);

  const { error } = await rpc(devnet.url, "broadcast_tx_sync", { tx });
  assert.match(error.data, /tx already exists in cache/);
});

Deno.test("tx_search pages through results and rejects a bad query", async () => {
  await using funded = await startFundedDevnet(10n ** 18n, { blockTimeMs: 0 });
  const { client, devnet, wallet: alice } = funded;
  for (let sequence = 0; sequence < 3; sequence++) {
    await client.broadcastTxSync(await signSend(funded, { sequence }));
  }
  devnet.produceBlock();
  const page2 = await rpc(devnet.url, "tx_search", {
    query: `message.sender='${alice.address}' AND tx.height>=2`,
    page: "2",
    per_page: "2",
  });
  assert.equal(page2.result.total_count, "3");
  assert.equal(page2.result.txs.length, 1);
  assert.equal(page2.result.txs[0].index, 2);
  assert.equal((await client.searchTx(`tx.height=2`)).length, 3);

  const bad = await rpc(devnet.url, "tx_search", { query: "tx.height=>" });
  assert.equal(bad.error.code, -32603);
});

Deno.test("tx finds a delivered transaction by hash in both request forms", async () => {
  await using funded = await startFundedDevnet(10n ** 18n, { blockTimeMs: 0 });
  const { client, devnet } = funded;
  const hash = await client.broadcastTxSync(await signSend(funded, { sequence: 0 }));
  devnet.produceBlock();
  const { result } = await rpc(devnet.url, "tx", { hash: toBase64(fromHex(hash)) });
  assert.equal(result.hash, hash);
  assert.equal(result.height, "2");
  assert.equal(result.tx_result.code, 0);

  const response = await fetch(`${devnet.url}/tx?hash=0x${hash}`);
  assert.equal((await response.json()).result.hash, hash);
  const { error } = await rpc(devnet.url, "tx", { hash: toBase64(new Uint8Array(32)) });
  assert.match(error.data, /not found/);
});
