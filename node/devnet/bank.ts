/**
 * x/bank for the chain double: coin validation, transfers with the SDK's events, MsgSend and
 * the Balance / AllBalances queries.
 *
 * @module
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { MsgSend, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { isValidAddress } from "./address.ts";
import { grpcError, SDK_CODES, sdkError } from "./errors.ts";
import { ACCOUNT_ENTRY_BYTES, GAS_COSTS, type GasMeter, PARAMS_ENTRY_BYTES } from "./gas.ts";
import {
  type AbciEvent,
  type AppModule,
  makeEvent,
  type MsgHandler,
  type TxContext,
} from "./module.ts";
import { type AppState, balanceOf, ensureAccount, setBalance } from "./state.ts";
import { MSG_SEND_SCHEMA } from "./tx_schema.ts";

const DENOM_REGEXP = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT_REGEXP = /^\d+$/;
const MAX_AMOUNT = (1n << 256n) - 1n;
// Approximate store key + value sizes of one balance entry, for gas.
const BALANCE_ENTRY_BYTES = 60;

/** A coin with a parsed amount. */
export interface Amount {
  denom: string;
  amount: bigint;
}

/** Returns whether `denom` is a valid SDK denomination. */
export function isValidDenom(denom: string): boolean {
  return DENOM_REGEXP.test(denom);
}

/**
 * Parses SDK coins: valid denoms, whole non-negative amounts below 2^256, sorted by denom,
 * without duplicates, and (unless `allowZero`) positive.
 *
 * @throws {AbciError} sdk code 10 (invalid coins) naming the first bad coin
 */
export function parseCoins(coins: readonly Coin[], { allowZero = false } = {}): Amount[] {
  const parsed: Amount[] = [];
  for (const coin of coins) {
    if (!isValidDenom(coin.denom)) {
      throw sdkError(SDK_CODES.invalidCoins, `invalid denom: ${coin.denom}`);
    }
    if (!AMOUNT_REGEXP.test(coin.amount) || BigInt(coin.amount) > MAX_AMOUNT) {
      throw sdkError(SDK_CODES.invalidCoins, `invalid amount: ${coin.amount}${coin.denom}`);
    }
    const amount = BigInt(coin.amount);
    if (amount === 0n && !allowZero) {
      throw sdkError(
        SDK_CODES.invalidCoins,
        `coin ${coin.amount}${coin.denom} amount is not positive`,
      );
    }
    const previous = parsed.at(-1);
    if (previous !== undefined && previous.denom >= coin.denom) {
      throw sdkError(
        SDK_CODES.invalidCoins,
        `coins are not sorted or contain duplicates: ${formatCoins(coins)}`,
      );
    }
    parsed.push({ denom: coin.denom, amount });
  }
  return parsed;
}

/** Formats coins the SDK way: "10uallo,5ufoo". */
export function formatCoins(coins: readonly (Coin | Amount)[]): string {
  return coins.map((coin) => `${coin.amount}${coin.denom}`).join(",");
}

/** Charges the gas of a transfer of `coins` coins: a read and a write of both balances each. */
export function chargeTransferGas(gas: GasMeter, coins: number): void {
  for (let coin = 0; coin < coins; coin++) {
    gas.read(BALANCE_ENTRY_BYTES);
    gas.write(BALANCE_ENTRY_BYTES);
    gas.read(BALANCE_ENTRY_BYTES);
    gas.write(BALANCE_ENTRY_BYTES);
  }
  gas.consume(GAS_COSTS.hasFlat, "HasFlat");
}

/**
 * Moves `amounts` from one address to another, creating the recipient's account, and appends
 * the coin_spent / coin_received / transfer events.
 *
 * @throws {AbciError} sdk code 5 when the sender's balance is too small
 */
export function transfer(
  state: AppState,
  gas: GasMeter,
  move: { from: string; to: string; amounts: readonly Amount[] },
  events: AbciEvent[],
  extra: Record<string, string> = {},
): void {
  const { from, to, amounts } = move;
  chargeTransferGas(gas, amounts.length);
  for (const { denom, amount } of amounts) {
    const available = balanceOf(state, from, denom);
    if (available < amount) {
      throw sdkError(
        SDK_CODES.insufficientFunds,
        `spendable balance ${available}${denom} is smaller than ${amount}${denom}`,
      );
    }
    setBalance(state, from, denom, available - amount);
    setBalance(state, to, denom, balanceOf(state, to, denom) + amount);
  }
  if (!state.accounts.has(to)) {
    gas.read(PARAMS_ENTRY_BYTES);
    ensureAccount(state, to);
    gas.write(ACCOUNT_ENTRY_BYTES);
  }
  const text = formatCoins(amounts);
  events.push(
    makeEvent("coin_spent", { spender: from, amount: text, ...extra }),
    makeEvent("coin_received", { receiver: to, amount: text, ...extra }),
    makeEvent("transfer", { recipient: to, sender: from, amount: text, ...extra }),
  );
}

const msgSend: MsgHandler<MsgSend> = {
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  schema: MSG_SEND_SCHEMA,
  decode: (bytes) => MsgSend.decode(bytes),
  signers: (msg) => [msg.fromAddress],
  execute(context: TxContext, msg: MsgSend) {
    if (!isValidAddress(msg.toAddress)) {
      throw sdkError(SDK_CODES.invalidAddress, `invalid to address: ${msg.toAddress}`);
    }
    const amounts = parseCoins(msg.amount);
    if (amounts.length === 0) throw sdkError(SDK_CODES.invalidCoins, "no coins to send");
    // The send-enabled flags of x/bank params.
    context.gas.read(PARAMS_ENTRY_BYTES);
    const index = { msg_index: String(context.msgIndex) };
    transfer(
      context.state,
      context.gas,
      { from: msg.fromAddress, to: msg.toAddress, amounts },
      context.events,
      index,
    );
    context.events.push(makeEvent("message", { sender: msg.fromAddress, ...index }));
    return {
      typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse",
      value: MsgSendResponse.encode({}).finish(),
    };
  },
};

function requireAddress(address: string) {
  if (!isValidAddress(address)) {
    throw grpcError(
      "InvalidArgument",
      `invalid address: '${address}' is not a bech32 allo address`,
    );
  }
}

/** The bank module: MsgSend and the balance queries. */
export const bankModule: AppModule = {
  name: "bank",
  messages: [msgSend],
  queries: [
    {
      path: "/cosmos.bank.v1beta1.Query/Balance",
      handle({ state }, bytes) {
        const request = QueryBalanceRequest.decode(bytes);
        requireAddress(request.address);
        if (!isValidDenom(request.denom)) {
          throw grpcError("InvalidArgument", `invalid denom: '${request.denom}'`);
        }
        const amount = balanceOf(state, request.address, request.denom);
        return QueryBalanceResponse.encode({
          balance: { denom: request.denom, amount: amount.toString() },
        }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      handle({ state }, bytes) {
        const request = QueryAllBalancesRequest.decode(bytes);
        requireAddress(request.address);
        const denoms = [...(state.balances.get(request.address) ?? new Map<string, bigint>())];
        // Coins are sorted by denom in byte order, as sdk.Coins are; denoms are unique.
        denoms.sort(([a], [b]) => (a < b ? -1 : 1));
        const balances = denoms.map(([denom, amount]) => ({ denom, amount: amount.toString() }));
        return QueryAllBalancesResponse.encode({
          balances,
          pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) },
        }).finish();
      },
    },
  ],
};
