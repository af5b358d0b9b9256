/**
 * The chain wallet: BIP39 mnemonics, the `allo1…` account they derive, and the encrypted
 * keystore file that stores the mnemonic.
 *
 * @example
 * ```ts
 * import { createKeystore, generateMnemonic, unlockKeystore } from "./mod.ts";
 *
 * const info = await createKeystore("keys/wallet.json", generateMnemonic(), password);
 * const mnemonic = await unlockKeystore(info.path, password);
 * ```
 *
 * @module
 */
export { generateMnemonic, MNEMONIC_WORD_COUNTS, validateMnemonic } from "./mnemonic.ts";
export {
  type Account,
  ADDRESS_PREFIX,
  addressOf,
  BECH32_MAX_LENGTH,
  decodeBech32,
  deriveAccount,
  HD_PATH,
  isAlloAddress,
} from "./account.ts";
export {
  createKeystore,
  type CreateKeystoreOptions,
  DEFAULT_SCRYPT_PARAMS,
  type KeystoreInfo,
  readKeystore,
  type ScryptParams,
  unlockKeystore,
} from "./keystore.ts";
export { WalletError, type WalletErrorCode } from "./errors.ts";
