/**
 * Test helpers around the chain double: wallets, bank messages, and a devnet on a free loopback
 * port with fast blocks (optionally with a funded wallet and its client), stopped by
 * `await using`.
 *
 * @module
 */
import { coins, DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import {
  calculateFee,
  GasPrice,
  SigningStargateClient,
  type SigningStargateClientOptions,
  type StdFee,
} from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { type Devnet, type DevnetOptions, startDevnet } from "../node/devnet/mod.ts";

/** A wallet with its first address. */
export interface TestWallet {
  wallet: DirectSecp256k1HdWallet;
  address: string;
  mnemonic: string;
}

/** Creates a fresh 12-word wallet with the `allo` prefix. */
export async function makeWallet(): Promise<TestWallet> {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: "allo" });
  const [{ address }] = await wallet.getAccounts();
  return { wallet, address, mnemonic: wallet.mnemonic };
}

/** Test defaults: port 0, 100 ms blocks, chain id "devnet-test". */
export const TEST_DEVNET_OPTIONS: DevnetOptions = {
  port: 0,
  blockTimeMs: 100,
  chainId: "devnet-test",
};

/** Starts a devnet with test defaults; `await using` stops it. */
export async function startTestDevnet(
  options: DevnetOptions = {},
): Promise<Devnet & AsyncDisposable> {
  const devnet = await startDevnet({ ...TEST_DEVNET_OPTIONS, ...options });
  return Object.assign(devnet, { [Symbol.asyncDispose]: () => devnet.stop() });
}

/** Returns a bank MsgSend of `amount` uallo, ready for `signAndBroadcast`. */
export function bankSend(from: string, to: string, amount: string | bigint): EncodeObject {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: from, toAddress: to, amount: coins(amount.toString(), "uallo") },
  };
}

/** A devnet with one funded wallet and a signing client, all released by `await using`. */
export interface FundedDevnet extends AsyncDisposable {
  devnet: Devnet;
  wallet: TestWallet;
  client: SigningStargateClient;
}

/** Test gas price: the feemarket minimum. */
export const TEST_GAS_PRICE: GasPrice = GasPrice.fromString("10uallo");

/**
 * Starts a test devnet with a new wallet funded with `amount` uallo and connects a signing
 * client that polls every 100 ms.
 */
export async function startFundedDevnet(
  amount: bigint,
  options: DevnetOptions & { clientOptions?: SigningStargateClientOptions } = {},
): Promise<FundedDevnet> {
  const wallet = await makeWallet();
  const { clientOptions, ...devnetOptions } = options;
  const devnet = await startTestDevnet({
    ...devnetOptions,
    fund: [{ address: wallet.address, amount }, ...(devnetOptions.fund ?? [])],
  });
  const client = await SigningStargateClient.connectWithSigner(devnet.url, wallet.wallet, {
    gasPrice: TEST_GAS_PRICE,
    broadcastPollIntervalMs: 100,
    broadcastTimeoutMs: 30_000,
    ...clientOptions,
  });
  return {
    devnet,
    wallet,
    client,
    async [Symbol.asyncDispose]() {
      client.disconnect();
      await devnet.stop();
    },
  };
}

/** Options of {@link signSend}. */
export interface SignSendOptions {
  sequence: number;
  /** @default the devnet's chain id */
  chainId?: string;
  /** @default the funded wallet itself */
  to?: string;
  /** @default 1n */
  amount?: bigint;
  /** @default 200000 gas at the test gas price */
  fee?: StdFee;
}

/**
 * Signs a MsgSend from the funded wallet (account number 0) with explicit signer data, without
 * broadcasting it; returns the TxRaw bytes.
 */
export async function signSend(
  funded: FundedDevnet,
  options: SignSendOptions,
): Promise<Uint8Array> {
  const { client, devnet, wallet } = funded;
  const {
    sequence,
    chainId = devnet.chainId,
    to = wallet.address,
    amount = 1n,
    fee = calculateFee(200_000, TEST_GAS_PRICE),
  } = options;
  const signed = await client.sign(
    wallet.address,
    [bankSend(wallet.address, to, amount)],
    fee,
    "",
    {
      accountNumber: 0n,
      sequence,
      chainId,
    },
  );
  return TxRaw.encode(signed).finish();
}

/** Produces blocks until the devnet's height is at least `height`. */
export function produceBlocksTo(devnet: Devnet, height: number): void {
  while (devnet.state.height < height) devnet.produceBlock();
}

/**
 * Produces a block whenever transactions wait in the mempool, checked every `intervalMs`. With
 * `blockTimeMs: 0` the height then moves only with transactions and {@link produceBlocksTo}, so
 * a test can predict the height each transaction runs at. Dispose it before the devnet stops.
 */
export function commitPending(devnet: Devnet, intervalMs = 10): Disposable {
  const timer = setInterval(() => {
    if (devnet.state.mempoolSize > 0) devnet.produceBlock();
  }, intervalMs);
  return { [Symbol.dispose]: () => clearInterval(timer) };
}
