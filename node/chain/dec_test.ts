import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { canonicalBoundedDec, canonicalDec, InvalidDecError } from "./dec.ts";

// [input, what apd's String() prints after parsing it]
const CANONICAL: Array<[string, string]> = [
  ["0", "0"],
  ["7", "7"],
  ["1000", "1000"],
  ["123456789012345678901234567890", "123456789012345678901234567890"],
  ["1.5", "1.5"],
  ["+1.5", "1.5"],
  ["01.5", "1.5"],
  ["000", "0"],
  ["3000.50", "3000.50"],
  ["1.000", "1.000"],
  ["0.00", "0.00"],
  ["-0", "-0"],
  ["-2.25", "-2.25"],
  ["-0.5", "-0.5"],
  ["5.", "5"],
  [".5", "0.5"],
  ["1e3", "1E+3"],
  ["1E3", "1E+3"],
  ["1.5e3", "1.5E+3"],
  ["12e-1", "1.2"],
  ["1e0", "1"],
  ["1e+0", "1"],
  ["0.000001", "0.000001"],
  ["0.0000001", "1E-7"],
  ["0.00000012", "1.2E-7"],
  ["-0.0000001", "-1E-7"],
  ["0.0100", "0.0100"],
  ["1e-40", "1E-40"],
  ["123e-45", "1.23E-43"],
  ["0e5", "0E+5"],
  ["0e-7", "0.0000000"],
  ["-0e-7", "-0.0000000"],
  ["0e-10", "0.0000000000"],
  ["0e-2000", "0." + "0".repeat(2000)],
  ["0e-2001", "0E-2001"],
  ["0.00000000", "0.00000000"],
  ["1e40", "1E+40"],
  ["3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288"],
];

Deno.test("canonicalDec() prints what the chain re-encodes", () => {
  for (const [input, expected] of CANONICAL) {
    assert.equal(canonicalDec(input), expected, `canonicalDec(${JSON.stringify(input)})`);
  }
});

Deno.test("canonicalDec() is idempotent", () => {
  for (const [, expected] of CANONICAL) assert.equal(canonicalDec(expected), expected);
});

const REJECTED: Array<[string, string]> = [
  ["", "empty"],
  ["NaN", "not a finite number"],
  ["nan", "not a finite number"],
  ["Infinity", "not a finite number"],
  ["-inf", "not a finite number"],
  ["abc", "not a decimal number"],
  [".", "not a decimal number"],
  ["1.2.3", "not a decimal number"],
  ["+-1", "not a decimal number"],
  ["--1", "not a decimal number"],
  [" 1", "not a decimal number"],
  ["1 ", "not a decimal number"],
  ["1e", "not a decimal number"],
  ["e5", "not a decimal number"],
  ["0x10", "not a decimal number"],
  ["1_000", "not a decimal number"],
  ["1,5", "not a decimal number"],
  ["1e99999999999", "exponent out of range"],
];

Deno.test("canonicalDec() rejects what the chain rejects", () => {
  for (const [input, reason] of REJECTED) {
    const error = assertThrows(() => canonicalDec(input), InvalidDecError);
    assert.equal(error.value, input);
    assert.equal(error.reason, reason, `reason for ${JSON.stringify(input)}`);
  }
});

Deno.test("canonicalBoundedDec() keeps 0 and 1E-40 through 1E+40", () => {
  assert.equal(canonicalBoundedDec("0"), "0");
  assert.equal(canonicalBoundedDec("0e-90"), "0." + "0".repeat(90));
  assert.equal(canonicalBoundedDec("1e-40"), "1E-40");
  assert.equal(canonicalBoundedDec("-1e-40"), "-1E-40");
  const tenToThe40 = "1" + "0".repeat(40);
  assert.equal(canonicalBoundedDec(tenToThe40), tenToThe40);
  assert.equal(canonicalBoundedDec("1e40"), "1E+40");
  assert.equal(canonicalBoundedDec("-9.99e39"), "-9.99E+39");
});

Deno.test("canonicalBoundedDec() rejects 0 < |x| < 1E-40 and |x| > 1E+40", () => {
  for (const input of ["9e-41", "-1e-41", "0.5e-40", "1.0000001e40", "2e40", "-1e41"]) {
    const error = assertThrows(() => canonicalBoundedDec(input), InvalidDecError);
    assert.match(error.reason, /^magnitude (below 1E-40|above 1E\+40)$/, input);
  }
});
