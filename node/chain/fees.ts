/**
 * Gas prices and fees: the live price from skip-mev's x/feemarket (the chain's fee module since
 * v0.7.0), a configured fallback, and the gas limit from a simulation.
 *
 * @module
 */
import { Decimal } from "@cosmjs/math";
import { GasPrice } from "@cosmjs/stargate";
import { defineMessage, type MessageCodec } from "./proto/message.ts";
import { DENOM } from "./account.ts";

/** ABCI path of the feemarket gas price query. */
export const GAS_PRICE_PATH = "/feemarket.feemarket.v1.Query/GasPrice";
/** Minimum base gas price of the feemarket module, used when nothing else is known. */
export const DEFAULT_GAS_PRICE = "10uallo";
/** Simulated gas has under-estimated worker transactions, so the limit gets this headroom. */
export const MIN_GAS_MULTIPLIER = 1.5;
// cosmos.base.v1beta1.DecCoin amounts travel as LegacyDec atomics with 18 fractional digits.
const LEGACY_DEC_DIGITS = 18;

/** `GasPriceRequest{denom=1}`. */
export const GasPriceRequest: MessageCodec<{ denom: string }> = defineMessage<{ denom: string }>(
  "feemarket.feemarket.v1.GasPriceRequest",
  [{ no: 1, name: "denom", kind: "string" }],
);

/** `cosmos.base.v1beta1.DecCoin{denom=1, amount=2}`. */
export const DecCoin: MessageCodec<{ denom: string; amount: string }> = defineMessage<
  { denom: string; amount: string }
>("cosmos.base.v1beta1.DecCoin", [
  { no: 1, name: "denom", kind: "string" },
  { no: 2, name: "amount", kind: "string" },
]);

/** `GasPriceResponse{price=1}`. */
export const GasPriceResponse: MessageCodec<{ price?: { denom: string; amount: string } }> =
  defineMessage<{ price?: { denom: string; amount: string } }>(
    "feemarket.feemarket.v1.GasPriceResponse",
    [{ no: 1, name: "price", kind: "message", message: () => DecCoin }],
  );

/**
 * Reads a DecCoin amount: digits only are LegacyDec atomics (the protobuf form, 18 fractional
 * digits), a string with a point is a plain decimal (the REST form).
 */
export function decCoinAmount(amount: string): Decimal {
  if (/^\d+$/.test(amount)) return Decimal.fromAtomics(amount, LEGACY_DEC_DIGITS);
  return Decimal.fromUserInput(amount, LEGACY_DEC_DIGITS);
}

/** Builds a GasPrice in uallo from a DecCoin amount. */
export function gasPriceFromDecCoin(amount: string): GasPrice {
  return new GasPrice(decCoinAmount(amount), DENOM);
}

/**
 * Parses a configured gas price such as "10uallo" or "0.5uallo".
 *
 * @throws {Error} when the string is not a uallo price
 */
export function parseGasPrice(text: string): GasPrice {
  if (!/^\d+(\.\d+)?uallo$/.test(text)) {
    throw new Error(
      `Invalid gas price '${text}' (expected a uallo price such as ${DEFAULT_GAS_PRICE})`,
    );
  }
  return GasPrice.fromString(text);
}

/** Returns the gas limit for a simulated gas use: rounded up, with at least 1.5× headroom. */
export function gasLimitFor(gasUsed: bigint | number, multiplier = MIN_GAS_MULTIPLIER): bigint {
  const factor = Math.max(multiplier, MIN_GAS_MULTIPLIER);
  const thousandths = BigInt(Math.ceil(factor * 1000));
  return (BigInt(gasUsed) * thousandths + 999n) / 1000n;
}
