/**
 * The chain account of a mnemonic: secp256k1 key at the Cosmos HD path and its `allo1…`
 * address, the same account `allorad keys add` and the Allora faucet derive.
 *
 * @module
 */
import {
  Bip39,
  EnglishMnemonic,
  ripemd160,
  Secp256k1,
  sha256,
  Slip10,
  Slip10Curve,
  stringToPath,
} from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { validateMnemonic } from "./mnemonic.ts";

/** Bech32 prefix of Allora account addresses. */
export const ADDRESS_PREFIX = "allo";
/** Maximum length of a bech32 string (BIP-173). */
export const BECH32_MAX_LENGTH = 90;
/** HD path of the account: coin type 118 (the chain sets none of its own), account 0, key 0. */
export const HD_PATH = "m/44'/118'/0'/0/0";

/** A chain account derived from a mnemonic. */
export interface Account {
  /** Bech32 address with prefix `allo`. */
  address: string;
  /** Compressed secp256k1 public key, 33 bytes. */
  publicKey: Uint8Array;
  /** secp256k1 private key, 32 bytes. */
  privateKey: Uint8Array;
}

/**
 * Derives the account at {@link HD_PATH} from a BIP39 mnemonic (no BIP39 passphrase).
 *
 * @throws {WalletError} with code `invalid-mnemonic` when the phrase is not valid BIP39
 */
export async function deriveAccount(mnemonic: string): Promise<Account> {
  const phrase = validateMnemonic(mnemonic);
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(phrase));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(HD_PATH));
  const keypair = Secp256k1.makeKeypair(privkey);
  const publicKey = Secp256k1.compressPubkey(keypair.pubkey);
  return { address: addressOf(publicKey), publicKey, privateKey: privkey };
}

/** Returns the `allo1…` address of a compressed secp256k1 public key. */
export function addressOf(publicKey: Uint8Array): string {
  return toBech32(ADDRESS_PREFIX, ripemd160(sha256(publicKey)));
}

/**
 * Decodes a bech32 string into its prefix and data bytes. Call this instead of `fromBech32`:
 * @cosmjs/encoding 0.39 passes an Infinity length limit by default, which @scure/base 2.4
 * rejects for every input.
 *
 * @throws {Error} when `text` is not valid bech32 of at most {@link BECH32_MAX_LENGTH} characters
 */
export function decodeBech32(text: string): { prefix: string; data: Uint8Array } {
  return fromBech32(text, BECH32_MAX_LENGTH);
}

/**
 * Returns whether `text` is an `allo` bech32 address with a valid checksum whose data is one of
 * `byteLengths` long: 20 for accounts, 32 for module-derived addresses.
 */
export function isAlloAddress(text: string, byteLengths: readonly number[] = [20]): boolean {
  try {
    const { prefix, data } = decodeBech32(text);
    return prefix === ADDRESS_PREFIX && byteLengths.includes(data.length);
  } catch {
    return false;
  }
}
