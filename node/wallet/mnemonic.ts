/**
 * BIP39 mnemonics (English word list): generation, and validation with messages that name
 * the problem without repeating the words.
 *
 * @module
 */
import { Bip39, EnglishMnemonic, Random } from "@cosmjs/crypto";
import { WalletError } from "./errors.ts";

/** Word counts BIP39 defines (128 to 256 bits of entropy in steps of 32). */
export const MNEMONIC_WORD_COUNTS: readonly number[] = [12, 15, 18, 21, 24];

// 32 bytes of entropy give 24 words, the length `allorad keys add` creates.
const ENTROPY_BYTES = 32;

/** Generates a new 24-word BIP39 mnemonic from 256 bits of cryptographic randomness. */
export function generateMnemonic(): string {
  return Bip39.encode(Random.getBytes(ENTROPY_BYTES)).toString();
}

/**
 * Normalizes a mnemonic (Unicode NFKD, lower case, single spaces) and checks its word count,
 * its words and its checksum.
 *
 * @returns the normalized phrase
 * @throws {WalletError} with code `invalid-mnemonic`, naming the word count, the position of
 *   an unknown word or the failed checksum, but never the words themselves
 */
export function validateMnemonic(mnemonic: string): string {
  const words = mnemonic.normalize("NFKD").toLowerCase().split(/\s+/).filter((word) => word !== "");
  if (!MNEMONIC_WORD_COUNTS.includes(words.length)) {
    throw new WalletError(
      "invalid-mnemonic",
      `Cannot use the mnemonic: it has ${words.length} words, expected ${
        MNEMONIC_WORD_COUNTS.join(", ")
      }`,
    );
  }

  const known = new Set(EnglishMnemonic.wordlist);
  const unknown = words.flatMap((word, index) => known.has(word) ? [] : [index + 1]);
  if (unknown.length > 0) {
    const positions = unknown.join(", ");
    throw new WalletError(
      "invalid-mnemonic",
      `Cannot use the mnemonic: ${
        unknown.length === 1 ? `word ${positions} is` : `words ${positions} are`
      } not in the BIP39 English word list`,
    );
  }

  const phrase = words.join(" ");
  try {
    new EnglishMnemonic(phrase);
  } catch {
    // The cause is left out on purpose: library messages may quote the phrase.
    throw new WalletError(
      "invalid-mnemonic",
      "Cannot use the mnemonic: its checksum does not match, so a word is wrong or out of order",
    );
  }
  return phrase;
}
