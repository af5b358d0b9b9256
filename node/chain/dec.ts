/**
 * Canonical decimal strings, exactly as the chain writes a `math.Dec` back.
 *
 * The chain stores `math.Dec` values with cockroachdb/apd v3. When it re-marshals a signed worker
 * bundle it prints each value with apd's `MarshalText()`, which is `Text('G')`: the General
 * Decimal Arithmetic to-scientific-string rule with one PostgreSQL-style change for zeros. It
 * verifies the signature over those bytes. A value we sign in any
 * other spelling ("+1.5", "1e3", "0.0000001") therefore fails verification. Everything here works
 * on the decimal digits of the string; a JavaScript number never chooses an exponent.
 *
 * @module
 */

/** A string the chain would not accept as a decimal, or outside the BoundedExp40Dec range. */
export class InvalidDecError extends Error {
  override name = "InvalidDecError";
  /** The rejected input. */
  readonly value: string;
  /** Why it was rejected, e.g. "not a number" or "greater than 1E+40". */
  readonly reason: string;

  constructor(value: string, reason: string) {
    super(`Cannot use decimal ${JSON.stringify(value)}: ${reason}`);
    this.value = value;
    this.reason = reason;
  }
}

/** A parsed finite decimal: (-1)^negative × coefficient × 10^exponent. */
export interface DecParts {
  negative: boolean;
  /** Decimal digits without leading zeros; "0" for zero. */
  coefficient: string;
  exponent: number;
}

// The mantissa and exponent grammar apd v3 `SetString` accepts for finite values: an optional
// sign, digits with at most one point and at least one digit, then e/E and a signed integer.
const DEC_REGEXP = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const NON_FINITE_REGEXP = /^[+-]?(?:inf|infinity|s?nan\d*)$/i;
const INT32_MAX = 2_147_483_647;
// apd's BaseContext exponent limits.
const APD_MAX_EXPONENT = 100_000;
// apd prints zeros with an exponent down to this one in plain notation.
const APD_LOWEST_ZERO_EXPONENT = -2000;
/** BoundedExp40Dec accepts 0 and 1E-40 <= |x| <= 1E+40. */
export const DEC_BOUND_EXPONENT = 40;

/**
 * Parses a decimal string as the chain does.
 *
 * @throws {InvalidDecError} for empty strings, NaN, Infinity and anything else apd rejects
 */
export function parseDec(text: string): DecParts {
  if (typeof text !== "string" || text === "") throw new InvalidDecError(String(text), "empty");
  if (NON_FINITE_REGEXP.test(text)) throw new InvalidDecError(text, "not a finite number");
  const match = DEC_REGEXP.exec(text);
  if (match === null) throw new InvalidDecError(text, "not a decimal number");
  const [, sign, integer = "", fraction = "", onlyFraction, exponentText] = match;
  const fractionDigits = onlyFraction ?? fraction;
  const exponentValue = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponentValue) > INT32_MAX) {
    throw new InvalidDecError(text, "exponent out of range");
  }
  const coefficient = (integer + fractionDigits).replace(/^0+(?=\d)/, "");
  const exponent = exponentValue - fractionDigits.length;
  const adjusted = exponent + coefficient.length - 1;
  if (coefficient !== "0" && Math.abs(adjusted) > APD_MAX_EXPONENT) {
    throw new InvalidDecError(text, "exponent out of range");
  }
  return { negative: sign === "-", coefficient, exponent };
}

/**
 * Formats decimal parts as apd v3's `Text('G')` does: the to-scientific-string rule (plain
 * notation when the exponent is at most 0 and the adjusted exponent is at least -6, otherwise
 * `d[.ddd]E±n`), with apd's PostgreSQL-style exception that a zero with an exponent from -2000
 * to -1 prints in plain notation ("0E-9" becomes "0.000000000"). Trailing zeros are kept, and a
 * negative zero keeps its sign.
 */
export function formatDec({ negative, coefficient, exponent }: DecParts): string {
  const sign = negative ? "-" : "";
  let digitCount = coefficient.length;
  if (coefficient === "0" && exponent < 0 && exponent >= APD_LOWEST_ZERO_EXPONENT) {
    digitCount += -exponent;
  }
  if (exponent <= 0 && exponent + digitCount - 1 >= -6) {
    if (exponent === 0) return sign + coefficient;
    const pointAt = coefficient.length + exponent;
    if (pointAt > 0) {
      return `${sign}${coefficient.slice(0, pointAt)}.${coefficient.slice(pointAt)}`;
    }
    return `${sign}0.${"0".repeat(-pointAt)}${coefficient}`;
  }
  const adjusted = exponent + coefficient.length - 1;
  const mantissa = coefficient.length > 1
    ? `${coefficient[0]}.${coefficient.slice(1)}`
    : coefficient;
  return `${sign}${mantissa}E${adjusted >= 0 ? "+" : "-"}${Math.abs(adjusted)}`;
}

/**
 * Returns the chain's spelling of a decimal string, e.g. "+1.5" → "1.5", "1e3" → "1E+3",
 * "0.0000001" → "1E-7", "3000.50" → "3000.50".
 *
 * @throws {InvalidDecError} when the chain would reject the string
 */
export function canonicalDec(text: string): string {
  return formatDec(parseDec(text));
}

/**
 * Returns the chain's spelling of a BoundedExp40Dec value (inference and forecast values from
 * `emissions.v9`), rejecting 0 < |x| < 1E-40 and |x| > 1E+40 as the chain does.
 *
 * @throws {InvalidDecError} when the string is not a decimal or is out of range
 */
export function canonicalBoundedDec(text: string): string {
  const parts = parseDec(text);
  checkBounds(text, parts);
  return formatDec(parts);
}

function checkBounds(text: string, { coefficient, exponent }: DecParts): void {
  if (/^0+$/.test(coefficient)) return;
  const adjusted = exponent + coefficient.length - 1;
  if (adjusted < -DEC_BOUND_EXPONENT) {
    throw new InvalidDecError(text, `magnitude below 1E-${DEC_BOUND_EXPONENT}`);
  }
  const exactPowerOfTen = /^10*$/.test(coefficient);
  if (adjusted > DEC_BOUND_EXPONENT || (adjusted === DEC_BOUND_EXPONENT && !exactPowerOfTen)) {
    throw new InvalidDecError(text, `magnitude above 1E+${DEC_BOUND_EXPONENT}`);
  }
}
