/**
 * Address checks of the chain double: bech32 `allo` over 20 bytes (accounts) or 32 bytes
 * (derived and module-owned addresses), and module account addresses.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { ADDRESS_PREFIX, isAlloAddress } from "../wallet/mod.ts";

export { addressOf as addressFromPubkey } from "../wallet/mod.ts";

/** Returns whether `address` is a bech32 `allo` address of 20 or 32 bytes. */
export function isValidAddress(address: string): boolean {
  return isAlloAddress(address, [20, 32]);
}

/** Returns the address of a module account: the first 20 bytes of sha256(name). */
export function moduleAddress(name: string): string {
  return toBech32(ADDRESS_PREFIX, sha256(new TextEncoder().encode(name)).slice(0, 20));
}
