import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { generateMnemonic, validateMnemonic } from "./mnemonic.ts";
import { WalletError } from "./errors.ts";

// Public test mnemonic of cosmjs ("alice"), so it guards nothing of value.
const PHRASE_12 = "enlist hip relief stomach skate base shallow young switch frequent cry park";

Deno.test("generateMnemonic() returns 24 valid words", () => {
  const mnemonic = generateMnemonic();
  assert.equal(mnemonic.split(" ").length, 24);
  assert.equal(validateMnemonic(mnemonic), mnemonic);
});

Deno.test("generateMnemonic() differs between calls", () => {
  assert.notEqual(generateMnemonic(), generateMnemonic());
});

Deno.test("validateMnemonic() normalizes case and whitespace", () => {
  const messy = `  ${PHRASE_12.toUpperCase().replaceAll(" ", " \t\n ")}\n`;
  assert.equal(validateMnemonic(messy), PHRASE_12);
});

Deno.test("validateMnemonic() rejects a wrong word count", () => {
  const error = assertThrows(
    () => validateMnemonic(PHRASE_12.split(" ").slice(0, 11).join(" ")),
    WalletError,
  );
  assert.equal(error.code, "invalid-mnemonic");
  assert.match(error.message, /has 11 words, expected 12, 15, 18, 21, 24/);
});

Deno.test("validateMnemonic() rejects an empty phrase", () => {
  const error = assertThrows(() => validateMnemonic("  \n"), WalletError);
  assert.match(error.message, /has 0 words/);
});

Deno.test("validateMnemonic() names unknown words by position only", () => {
  const words = PHRASE_12.split(" ");
  words[2] = "zzzfoo";
  words[7] = "qqqbar";
  const error = assertThrows(() => validateMnemonic(words.join(" ")), WalletError);
  assert.equal(error.code, "invalid-mnemonic");
  assert.match(error.message, /words 3, 8 are not in the BIP39 English word list/);
  assert.doesNotMatch(error.message, /zzzfoo|qqqbar|enlist/);
});

Deno.test("validateMnemonic() rejects a bad checksum without echoing words", () => {
  const words = PHRASE_12.split(" ");
  [words[0], words[1]] = [words[1], words[0]];
  const error = assertThrows(() => validateMnemonic(words.join(" ")), WalletError);
  assert.equal(error.code, "invalid-mnemonic");
  assert.match(error.message, /checksum does not match/);
  for (const word of words) assert.ok(!error.message.includes(` ${word} `));
  assert.equal(error.cause, undefined);
});
