/**
 * Genesis of the chain double: the funded accounts, the fee settings and the emissions topics.
 *
 * @module
 */
import { isValidAddress, moduleAddress } from "./address.ts";
import type { ChainSnapshot } from "./chain.ts";
import { isValidDenom } from "./bank.ts";
import { balanceOf, emptyAppState, ensureAccount, setBalance } from "./state.ts";

/** Module accounts created at genesis, after the funded accounts. */
export const MODULE_ACCOUNTS = ["fee_collector", "emissions"] as const;

/** One genesis balance. */
export interface GenesisFund {
  address: string;
  amount: bigint;
  /** @default the fee denom */
  denom?: string;
}

/** Settings of the genesis. */
export interface GenesisOptions {
  chainId: string;
  time: Date;
  feeDenom: string;
  minGasPrice: bigint;
  fund: readonly GenesisFund[];
}

/** An invalid genesis option; the message names the value. */
export class GenesisError extends Error {
  override name = "GenesisError";
}

/**
 * Builds the snapshot of a chain at height 0.
 *
 * @throws {GenesisError} for an invalid address, denom or amount
 */
export function createGenesis(options: GenesisOptions): ChainSnapshot {
  const { chainId, time, feeDenom, minGasPrice, fund } = options;
  const app = emptyAppState();
  for (const { address, amount, denom = feeDenom } of fund) {
    if (!isValidAddress(address)) {
      throw new GenesisError(`Cannot fund '${address}': not a bech32 allo address`);
    }
    if (!isValidDenom(denom)) {
      throw new GenesisError(`Cannot fund ${address}: invalid denom '${denom}'`);
    }
    if (amount <= 0n) {
      throw new GenesisError(`Cannot fund ${address}: amount ${amount} is not positive`);
    }
    ensureAccount(app, address);
    setBalance(app, address, denom, balanceOf(app, address, denom) + amount);
  }
  // Module accounts exist from genesis on a real chain, so fees never pay for creating one.
  for (const name of MODULE_ACCOUNTS) ensureAccount(app, moduleAddress(name));
  return {
    format: 1,
    chainId,
    genesisTime: time.toISOString(),
    validatorKey: crypto.getRandomValues(new Uint8Array(32)),
    feeDenom,
    minGasPrice,
    appHash: "",
    blocks: [],
    txs: [],
    app,
  };
}
