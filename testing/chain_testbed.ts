/**
 * A chain client on a devnet for the chain client's tests: a funded account, a recording proxy
 * between client and devnet, and blocks that appear only when a transaction waits or the test
 * produces them, so heights are known. `await using` releases everything.
 *
 * @module
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { calculateFee, SigningStargateClient } from "@cosmjs/stargate";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  type ChainAccount,
  ChainClient,
  type ChainClientOptions,
  createEmissionsRegistry,
  type EmissionsVersion,
} from "../node/chain/mod.ts";
import type { Devnet, DevnetOptions, TxRecord } from "../node/devnet/mod.ts";
import { deriveAccount } from "../node/wallet/mod.ts";
import { bankSend, commitPending, makeWallet, startTestDevnet, TEST_GAS_PRICE } from "./devnet.ts";
import { type RpcProxy, startRpcProxy } from "./rpc_proxy.ts";

/** 1 ALLO in uallo. */
export const ONE_ALLO = 10n ** 18n;

/** A devnet, a proxy in front of it, and a client with one funded account. */
export interface ChainTestbed extends AsyncDisposable {
  devnet: Devnet;
  proxy: RpcProxy;
  client: ChainClient;
  account: ChainAccount;
  mnemonic: string;
}

/** Options of {@link startChainTestbed}. */
export interface ChainTestbedOptions extends DevnetOptions {
  /** uallo given to the account at genesis; 0n leaves it unfunded. @default ONE_ALLO */
  balance?: bigint;
  /** The account's mnemonic. @default a new one */
  mnemonic?: string;
  /** Client options besides `rpc`. @default { pollIntervalMs: 20 } */
  client?: Omit<ChainClientOptions, "rpc">;
  /** Produce a block as soon as a transaction waits; false leaves that to the test. @default true */
  commit?: boolean;
}

/** Starts a devnet (blocks on demand), a proxy and a connected client. */
export async function startChainTestbed(options: ChainTestbedOptions = {}): Promise<ChainTestbed> {
  const {
    balance = ONE_ALLO,
    client: clientOptions,
    commit = true,
    mnemonic = (await makeWallet()).mnemonic,
    ...devnetOptions
  } = options;
  const account = await deriveAccount(mnemonic);
  const fund = balance > 0n ? [{ address: account.address, amount: balance }] : [];
  const devnet = await startTestDevnet({
    blockTimeMs: 0,
    ...devnetOptions,
    fund: [...fund, ...(devnetOptions.fund ?? [])],
  });
  const committer = commit ? commitPending(devnet) : undefined;
  const proxy = startRpcProxy(devnet.url);
  const release = async () => {
    committer?.[Symbol.dispose]();
    await proxy.close();
    await devnet.stop();
  };
  let client: ChainClient;
  try {
    client = await ChainClient.connect({ rpc: proxy.url, pollIntervalMs: 20, ...clientOptions });
  } catch (error) {
    await release();
    throw error;
  }
  return {
    devnet,
    proxy,
    client,
    account,
    mnemonic,
    async [Symbol.asyncDispose]() {
      client.close();
      await release();
    },
  };
}

/** A transaction decoded for assertions. */
export interface DecodedTx {
  messages: Array<{ typeUrl: string; value: Record<string, unknown> }>;
  memo: string;
  gasLimit: bigint;
  /** uallo */
  feeAmount: bigint;
  sequence: bigint;
}

/** Decodes TxRaw bytes with the emissions messages of `version`. */
export function decodeTx(bytes: Uint8Array, version: EmissionsVersion = "v9"): DecodedTx {
  const raw = TxRaw.decode(bytes);
  const body = TxBody.decode(raw.bodyBytes);
  const authInfo = AuthInfo.decode(raw.authInfoBytes);
  const registry = createEmissionsRegistry(version);
  return {
    messages: body.messages.map((any) => ({ typeUrl: any.typeUrl, value: registry.decode(any) })),
    memo: body.memo,
    gasLimit: authInfo.fee?.gasLimit ?? 0n,
    feeAmount: BigInt(authInfo.fee?.amount.find((coin) => coin.denom === "uallo")?.amount ?? "0"),
    sequence: authInfo.signerInfos[0]?.sequence ?? 0n,
  };
}

/** Returns the delivered transactions of the devnet that carry a message of `typeUrl`. */
export function deliveredTxs(devnet: Devnet, typeUrl: string): TxRecord[] {
  return [...devnet.state.txs()].filter((record) =>
    TxBody.decode(TxRaw.decode(record.tx).bodyBytes).messages.some((any) => any.typeUrl === typeUrl)
  );
}

/**
 * Signs a 1 uallo bank send from the testbed's account to itself with `sequence` and returns the
 * TxRaw bytes. Tests use it to play another process that sends from the same wallet.
 */
export async function signOwnSend(bed: ChainTestbed, sequence: number): Promise<Uint8Array> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(bed.mnemonic, { prefix: "allo" });
  const signer = await SigningStargateClient.offline(wallet);
  const { address } = bed.account;
  const accountNumber = bed.devnet.state.account(address)!.accountNumber;
  const signed = await signer.sign(
    address,
    [bankSend(address, address, 1n)],
    calculateFee(200_000, TEST_GAS_PRICE),
    "",
    { accountNumber, sequence, chainId: bed.devnet.chainId },
  );
  return TxRaw.encode(signed).finish();
}
