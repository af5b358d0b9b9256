/**
 * The application state of the chain double: accounts, balances and the emissions module.
 * Plain maps and bigints, so `structuredClone` gives the cache-wrapped copy a transaction runs
 * on, and `snapshot.ts` can write it as JSON.
 *
 * @module
 */
import { type EmissionsState, emptyEmissionsState } from "./emissions/state.ts";

/** One account of x/auth. */
export interface Account {
  accountNumber: bigint;
  sequence: bigint;
  /** The 33-byte compressed secp256k1 key, set by the account's first transaction. */
  pubKey?: Uint8Array;
}

/** Everything transactions read and write. */
export interface AppState {
  accounts: Map<string, Account>;
  nextAccountNumber: bigint;
  /** Balances by address, then denom; zero balances are removed. */
  balances: Map<string, Map<string, bigint>>;
  emissions: EmissionsState;
}

/** Returns an empty application state. */
export function emptyAppState(): AppState {
  return {
    accounts: new Map(),
    nextAccountNumber: 0n,
    balances: new Map(),
    emissions: emptyEmissionsState(),
  };
}

/** Returns the account of `address`, creating it with the next account number if missing. */
export function ensureAccount(state: AppState, address: string): Account {
  let account = state.accounts.get(address);
  if (account === undefined) {
    account = { accountNumber: state.nextAccountNumber, sequence: 0n };
    state.nextAccountNumber += 1n;
    state.accounts.set(address, account);
  }
  return account;
}

/** Returns the balance of `address` in `denom`, zero when there is none. */
export function balanceOf(state: AppState, address: string, denom: string): bigint {
  return state.balances.get(address)?.get(denom) ?? 0n;
}

/** Sets a balance, removing the entry when it reaches zero. */
export function setBalance(state: AppState, address: string, denom: string, amount: bigint) {
  let denoms = state.balances.get(address);
  if (denoms === undefined) {
    if (amount === 0n) return;
    denoms = new Map();
    state.balances.set(address, denoms);
  }
  if (amount === 0n) denoms.delete(denom);
  else denoms.set(denom, amount);
  if (denoms.size === 0) state.balances.delete(address);
}
