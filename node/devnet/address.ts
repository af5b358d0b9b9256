/**
 * Allora account addresses: bech32 with prefix `allo` over 20 bytes (accounts) or 32 bytes.
 *
 * @module
 */
import { Ripemd160, sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";

/** Human-readable part of Allora account addresses. */
export const ADDRESS_PREFIX = "allo";
// The longest bech32 string BIP-173 allows.
const BECH32_MAX_LENGTH = 90;

/** Returns whether `address` is a bech32 `allo` address of 20 or 32 bytes. */
export function isValidAddress(address: string): boolean {
  try {
    // An explicit limit: @scure/base 2 rejects the Infinity default of @cosmjs/encoding 0.39.
    const { prefix, data } = fromBech32(address, BECH32_MAX_LENGTH);
    return prefix === ADDRESS_PREFIX && (data.length === 20 || data.length === 32);
  } catch {
    return false;
  }
}

/** Returns the account address of a 33-byte compressed secp256k1 public key. */
export function addressFromPubkey(pubkey: Uint8Array): string {
  return toBech32(ADDRESS_PREFIX, new Ripemd160().update(sha256(pubkey)).digest());
}

/** Returns the address of a module account: the first 20 bytes of sha256(name). */
export function moduleAddress(name: string): string {
  return toBech32(ADDRESS_PREFIX, sha256(new TextEncoder().encode(name)).slice(0, 20));
}
