/**
 * The chain account a worker signs with: the wallet module's {@link Account} (bech32 address
 * and secp256k1 key pair), plus helpers for raw keys and public keys.
 *
 * @module
 */
import { Secp256k1 } from "@cosmjs/crypto";
import { type Account, ADDRESS_PREFIX, addressOf } from "../wallet/mod.ts";

export { ADDRESS_PREFIX };
/** Base denomination; 1 ALLO = 10^18 uallo despite the "u". */
export const DENOM = "uallo";
/** Decimal places between uallo and ALLO. */
export const ALLO_EXPONENT = 18;

/** An account that can sign transactions and worker bundles (the wallet's `deriveAccount()`). */
export type ChainAccount = Account;

/**
 * Returns the `allo1…` address of a 33-byte compressed public key (ripemd160 of sha256).
 *
 * @throws {RangeError} when the key does not have 33 bytes
 */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 33) {
    throw new RangeError(
      `Cannot derive an address: public key has ${publicKey.length} bytes, expected 33`,
    );
  }
  return addressOf(publicKey);
}

/** Builds the account of a 32-byte private key. */
export function accountFromPrivateKey(privateKey: Uint8Array): ChainAccount {
  const { pubkey } = Secp256k1.makeKeypair(privateKey);
  const publicKey = Secp256k1.compressPubkey(pubkey);
  return { address: addressOf(publicKey), publicKey, privateKey };
}

/** Formats a uallo amount in ALLO without losing digits, e.g. 1500000000000000000n → "1.5". */
export function formatAllo(uallo: bigint): string {
  const negative = uallo < 0n;
  const digits = (negative ? -uallo : uallo).toString().padStart(ALLO_EXPONENT + 1, "0");
  const whole = digits.slice(0, -ALLO_EXPONENT);
  const fraction = digits.slice(-ALLO_EXPONENT).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? "." + fraction : ""}`;
}
