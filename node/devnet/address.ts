/**
 * Address checks of the chain double: bech32 `allo` over 20 bytes (accounts) or 32 bytes
 * (derived and module-owned addresses), and module account addresses.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { ADDRESS_PREFIX } from "../wallet/mod.ts";

export { addressOf as addressFromPubkey } from "../wallet/mod.ts";

// The maximum bech32 string length of BIP-173. The explicit limit matters because
// @cosmjs/encoding 0.39 passes Infinity by default, which @scure/base 2.4 rejects.
const BECH32_MAX_LENGTH = 90;

/** Returns whether `address` is a bech32 `allo` address of 20 or 32 bytes. */
export function isValidAddress(address: string): boolean {
  try {
    const { prefix, data } = fromBech32(address, BECH32_MAX_LENGTH);
    return prefix === ADDRESS_PREFIX && (data.length === 20 || data.length === 32);
  } catch {
    return false;
  }
}

/** Returns the address of a module account: the first 20 bytes of sha256(name). */
export function moduleAddress(name: string): string {
  return toBech32(ADDRESS_PREFIX, sha256(new TextEncoder().encode(name)).slice(0, 20));
}
