/**
 * Test helpers around the chain double: a funded wallet and a devnet on a free loopback port
 * with fast blocks, stopped by `await using`.
 *
 * @module
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
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
