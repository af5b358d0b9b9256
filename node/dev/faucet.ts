/**
 * The faucet of the local chain that `allora dev` runs. Its key is public: anyone can derive it
 * as SHA-256 of {@link DEV_FAUCET_SEED}, like the well-known accounts of other local chains.
 * The devnet funds it at genesis, and `allora dev` sends each run's worker wallets their
 * tokens from it, also on a devnet that continues from an earlier run's state.
 *
 * It has devnet tokens only: never fund its address on a real network.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import {
  accountFromPrivateKey,
  type ChainAccount,
  type ChainClient,
  DENOM,
  type TxResult,
} from "../chain/mod.ts";

/** The public text the faucet key is derived from. */
export const DEV_FAUCET_SEED = "allora dev faucet: a public key for local devnets only";
/** Genesis balance of the faucet: 10^9 ALLO. */
export const DEV_FAUCET_BALANCE = 10n ** 27n;
/** The amount each dev worker receives per run: 100 ALLO, far above the registration fee and gas. */
export const DEV_WORKER_FUNDS = 10n ** 20n;

/** Returns the faucet account. */
export function devFaucetAccount(): ChainAccount {
  return accountFromPrivateKey(sha256(new TextEncoder().encode(DEV_FAUCET_SEED)));
}

/**
 * Sends `amount` uallo from the faucet to each address, in one transaction, and resolves
 * once it is in a block.
 *
 * @throws {ChainError} when the chain rejects it, e.g. a faucet without funds
 */
export async function fundFromFaucet(
  client: ChainClient,
  addresses: readonly string[],
  amount: bigint = DEV_WORKER_FUNDS,
  signal?: AbortSignal,
): Promise<TxResult> {
  const faucet = devFaucetAccount();
  const messages: EncodeObject[] = addresses.map((address) => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: {
      fromAddress: faucet.address,
      toAddress: address,
      amount: [{ denom: DENOM, amount: amount.toString() }],
    },
  }));
  const submitter = await client.submitter(faucet);
  return await submitter.submit(`fund ${addresses.length} dev wallets`, messages, { signal });
}
