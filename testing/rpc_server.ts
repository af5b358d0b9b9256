/**
 * A loopback CometBFT JSON-RPC 2.0 server for the chain client's tests: `status`, `abci_info`,
 * `abci_query` (auth, bank, tx simulation, feemarket and the emissions queries),
 * `broadcast_tx_sync`, `tx_search` and `block`, returning the JSON shapes of CometBFT 0.38
 * over a {@link TestChain}.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, fromHex, toBase64, toHex } from "@cosmjs/encoding";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { EMISSIONS_QUERY_RPCS, emissionsQueryService } from "../node/chain/emissions/mod.ts";
import { GAS_PRICE_PATH, GasPriceResponse } from "../node/chain/fees.ts";
import { type AbciResult, TestChain } from "./chain_state.ts";
import { emissionsResponse } from "./emissions_responses.ts";

/** A running test server. Dispose it (or call `close()`) to stop listening. */
export interface TestRpcServer extends AsyncDisposable {
  url: string;
  chain: TestChain;
  /** JSON-RPC methods received, in order. */
  calls: string[];
  close(): Promise<void>;
}

const HEX32 = "AB".repeat(32);
const HEX20 = "CD".repeat(20);

/** Starts the server on 127.0.0.1 with an OS-assigned port. */
export function startTestRpcServer(chain: TestChain = new TestChain()): TestRpcServer {
  const calls: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      calls.push(body.method);
      try {
        const result = handle(chain, body.method, body.params ?? {});
        return Response.json({ jsonrpc: "2.0", id: body.id, result });
      } catch (error) {
        return Response.json({
          jsonrpc: "2.0",
          id: body.id,
          error: { code: -32603, message: "Internal error", data: String(error) },
        });
      }
    },
  );
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    chain,
    calls,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function handle(chain: TestChain, method: string, params: Record<string, string>): unknown {
  switch (method) {
    case "status":
      return status(chain);
    case "abci_info":
      return {
        response: {
          data: "allora",
          version: "v0.16.0",
          app_version: "0",
          last_block_height: String(chain.height),
          last_block_app_hash: toBase64(fromHex(HEX32)),
        },
      };
    case "abci_query":
      return { response: abciQuery(chain, params.path, fromHex(params.data ?? "")) };
    case "broadcast_tx_sync": {
      const { hash, ...result } = chain.broadcast(fromBase64(params.tx));
      return { ...result, data: "", hash };
    }
    case "tx_search":
      return txSearch(chain, params.query);
    case "block":
      return block(chain, params.height ? Number(params.height) : chain.height);
    default:
      throw new Error(`method ${method} not served by the test server`);
  }
}

function status(chain: TestChain) {
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, chain.height)).toISOString();
  return {
    node_info: {
      protocol_version: { p2p: "8", block: "11", app: "0" },
      id: HEX20.toLowerCase(),
      listen_addr: "tcp://127.0.0.1:26656",
      network: chain.chainId,
      version: "0.38.19",
      channels: "40202122233038606100",
      moniker: "allora-test",
      other: { tx_index: "on", rpc_address: "tcp://127.0.0.1:26657" },
    },
    sync_info: {
      latest_block_hash: HEX32,
      latest_app_hash: HEX32,
      latest_block_height: String(chain.height),
      latest_block_time: time,
      earliest_block_hash: HEX32,
      earliest_app_hash: HEX32,
      earliest_block_height: "1",
      earliest_block_time: "2026-01-01T00:00:00Z",
      catching_up: false,
    },
    validator_info: {
      address: HEX20,
      pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(new Uint8Array(32).fill(7)) },
      voting_power: "10",
    },
  };
}

function abciQuery(chain: TestChain, path: string, data: Uint8Array) {
  const result = route(chain, path, data);
  return {
    code: result.code,
    log: result.log,
    info: "",
    index: "0",
    key: null,
    value: toBase64(result.value ?? new Uint8Array()),
    proofOps: null,
    height: String(chain.height),
    codespace: result.codespace,
  };
}

function route(
  chain: TestChain,
  path: string,
  data: Uint8Array,
): AbciResult & { value?: Uint8Array } {
  const ok = (value: Uint8Array) => ({ code: 0, codespace: "", log: "", value });
  switch (path) {
    case "/cosmos.auth.v1beta1.Query/Account": {
      const { address } = QueryAccountRequest.decode(data);
      const account = chain.accounts.get(address);
      if (account === undefined) {
        return {
          code: 22,
          codespace: "sdk",
          log: `rpc error: code = NotFound desc = account ${address} not found: key not found`,
        };
      }
      const base = BaseAccount.encode({
        address,
        pubKey: undefined,
        accountNumber: account.accountNumber,
        sequence: account.sequence,
      }).finish();
      return ok(
        QueryAccountResponse.encode({
          account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: base },
        }).finish(),
      );
    }
    case "/cosmos.bank.v1beta1.Query/Balance": {
      const { address, denom } = QueryBalanceRequest.decode(data);
      const amount = denom === "uallo" ? String(chain.accounts.get(address)?.balance ?? 0n) : "0";
      return ok(QueryBalanceResponse.encode({ balance: { denom, amount } }).finish());
    }
    case "/cosmos.tx.v1beta1.Service/Simulate": {
      const { txBytes } = SimulateRequest.decode(data);
      const result = chain.simulate(txBytes);
      if (result.code) return result;
      const gasInfo = { gasWanted: 0n, gasUsed: result.gasUsed };
      return ok(SimulateResponse.encode(SimulateResponse.fromPartial({ gasInfo })).finish());
    }
    case GAS_PRICE_PATH:
      if (chain.gasPriceAtomics === undefined) {
        return { code: 6, codespace: "sdk", log: `unknown query path: ${path}` };
      }
      return ok(
        GasPriceResponse.toBytes({ price: { denom: "uallo", amount: chain.gasPriceAtomics } }),
      );
  }
  const prefix = `/${emissionsQueryService(chain.version)}/`;
  const rpc = path.startsWith(prefix) ? EMISSIONS_QUERY_RPCS[path.slice(prefix.length)] : undefined;
  if (rpc === undefined) return { code: 6, codespace: "sdk", log: `unknown query path: ${path}` };
  const request = rpc.request.decodeStrict(data) as Record<string, unknown>;
  const response = emissionsResponse(chain, path.slice(prefix.length), request);
  if ("code" in response) return response as AbciResult;
  return ok(rpc.response(chain.version).toBytes(response));
}

function txSearch(chain: TestChain, query: string) {
  const hash = /tx\.hash\s*=\s*'([0-9A-Fa-f]+)'/.exec(query)?.[1]?.toUpperCase();
  const txs = chain.received.filter((tx) => tx.hash === hash).map((tx) => ({
    hash: tx.hash,
    height: String(tx.height),
    index: 0,
    tx_result: {
      code: tx.result.code,
      data: "",
      log: tx.result.log,
      info: "",
      gas_wanted: String(tx.gasLimit),
      gas_used: String(chain.gasPerTx),
      events: [],
      codespace: tx.result.codespace,
    },
    tx: toBase64(tx.bytes),
  }));
  return { txs, total_count: String(txs.length) };
}

function block(chain: TestChain, height: number) {
  const txs = chain.received.filter((tx) => tx.height === height).map((tx) => toBase64(tx.bytes));
  const hash = toHex(sha256(new TextEncoder().encode(`block ${height}`))).toUpperCase();
  const emptyId = { hash: "", parts: { total: 0, hash: "" } };
  return {
    block_id: { hash, parts: { total: 1, hash } },
    block: {
      header: {
        version: { block: "11", app: "0" },
        chain_id: chain.chainId,
        height: String(height),
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, height)).toISOString(),
        last_block_id: emptyId,
        last_commit_hash: HEX32,
        data_hash: HEX32,
        validators_hash: HEX32,
        next_validators_hash: HEX32,
        consensus_hash: HEX32,
        app_hash: HEX32,
        last_results_hash: HEX32,
        evidence_hash: HEX32,
        proposer_address: HEX20,
      },
      data: { txs },
      evidence: { evidence: [] },
      last_commit: { height: "0", round: 0, block_id: emptyId, signatures: [] },
    },
  };
}
