/**
 * The chain account a worker signs with: its bech32 address and secp256k1 key pair, as the
 * wallet module's `deriveAccount()` returns them.
 *
 * @module
 */
import { ripemd160, Secp256k1, sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";

/** Bech32 prefix of Allora account addresses. */
export const ADDRESS_PREFIX = "allo";
/** Base denomination; 1 ALLO = 10^18 uallo despite the "u". */
export const DENOM = "uallo";

/** An account that can sign transactions and worker bundles. */
export interface ChainAccount {
  /** Bech32 address with the `allo` prefix. */
  address: string;
  /** 33-byte compressed secp256k1 public key. */
  publicKey: Uint8Array;
  /** 32-byte secp256k1 private key. */
  privateKey: Uint8Array;
}

/** Returns the `allo1…` address of a 33-byte compressed public key (ripemd160 of sha256). */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 33) {
    throw new RangeError(
      `Cannot derive an address: public key has ${publicKey.length} bytes, expected 33`,
    );
  }
  return toBech32(ADDRESS_PREFIX, ripemd160(sha256(publicKey)));
}

/** Builds the account of a 32-byte private key. */
export function accountFromPrivateKey(privateKey: Uint8Array): ChainAccount {
  const { pubkey } = Secp256k1.makeKeypair(privateKey);
  const publicKey = Secp256k1.compressPubkey(pubkey);
  return { address: addressFromPublicKey(publicKey), publicKey, privateKey };
}
