/**
 * The network value of a closed worker nonce in the chain double: the arithmetic mean of the
 * inference values, with 18 fractional digits, rounded toward zero.
 *
 * NOTE: the real chain weights inferers by regret and adds forecast-implied inferences; the
 * double only averages, which is enough to read a submitted value back.
 *
 * @module
 */

const FRACTION_DIGITS = 18;
const CANONICAL_DEC_REGEXP = /^(-)?(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/;

/** Returns the mean of canonical Dec strings as a plain decimal string. */
export function meanOfDecs(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError("Cannot average an empty list of values");
  const scaled = values.map(toScaled);
  const sum = scaled.reduce((total, value) => total + value, 0n);
  return formatScaled(sum / BigInt(values.length));
}

/** Parses a Dec string into an integer of units of 10^-18, dropping finer digits. */
function toScaled(text: string): bigint {
  const match = CANONICAL_DEC_REGEXP.exec(text);
  if (match === null) {
    throw new RangeError(`Cannot average value '${text}': not a canonical decimal`);
  }
  const [, sign, integer, fraction = "", exponentText = "0"] = match;
  const digits = BigInt(integer + fraction);
  const exponent = Number(exponentText) - fraction.length + FRACTION_DIGITS;
  const magnitude = exponent >= 0
    ? digits * 10n ** BigInt(exponent)
    : digits / 10n ** BigInt(-exponent);
  return sign ? -magnitude : magnitude;
}

function formatScaled(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(FRACTION_DIGITS + 1, "0");
  const integer = digits.slice(0, -FRACTION_DIGITS);
  const fraction = digits.slice(-FRACTION_DIGITS).replace(/0+$/, "");
  return `${negative ? "-" : ""}${integer}${fraction ? "." + fraction : ""}`;
}
