/**
 * The encrypted keystore: one JSON file (mode 0600) that contains the mnemonic encrypted with a
 * key derived from a password (scrypt, then AES-256-GCM), and the address in plain text so it
 * can be shown without the password.
 *
 * The layout is described in docs/keys-and-wallet.md. The mnemonic is never written in plain
 * text, not even to the temporary file that is renamed into place.
 *
 * @module
 */
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { dirname } from "node:path";
import { pathExists } from "../fs.ts";
import { deriveAccount } from "./account.ts";
import { WalletError } from "./errors.ts";
import { validateMnemonic } from "./mnemonic.ts";
import {
  decodeKeystore,
  encodeKeystore,
  type KeystoreFile,
  SCRYPT_LIMITS,
  type ScryptParams,
} from "./keystore_format.ts";

export type { ScryptParams } from "./keystore_format.ts";

/** Public fields of a keystore file, readable without the password. */
export interface KeystoreInfo {
  /** The file path, as given. */
  path: string;
  /** The `allo1…` address of the encrypted mnemonic. */
  address: string;
  /** When the keystore was created, as an ISO 8601 timestamp. */
  createdAt: string;
}

/** Options of {@link createKeystore}. */
export interface CreateKeystoreOptions {
  /** Replace an existing file. @default false */
  force?: boolean;
  /** scrypt cost parameters, lowered by tests to run faster. @default DEFAULT_SCRYPT_PARAMS */
  scrypt?: ScryptParams;
}

/**
 * scrypt cost: N = 2^17, r = 8, p = 1 takes 128 MiB and about 0.6 s with @noble/hashes on one
 * core (measured with Deno 2.9.6 on a 2-core x86_64 machine), which makes guessing passwords slow.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { n: 2 ** 17, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// 96-bit nonces are the size AES-GCM is specified for (NIST SP 800-38D).
const NONCE_BYTES = 12;
const FILE_MODE = 0o600;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts `mnemonic` with `password` and writes it to `path` atomically (a temporary file in
 * the same folder, then a rename), creating the folder with mode 0700 when it is missing.
 *
 * @throws {WalletError} `invalid-mnemonic` for a phrase that is not valid BIP39, `exists`
 *   when the file exists and `force` is not set
 */
export async function createKeystore(
  path: string,
  mnemonic: string,
  password: string,
  options: CreateKeystoreOptions = {},
): Promise<KeystoreInfo> {
  const { force = false, scrypt = DEFAULT_SCRYPT_PARAMS } = options;
  const phrase = validateMnemonic(mnemonic);
  if (!force && await pathExists(path)) {
    throw new WalletError("exists", `Cannot create keystore ${path}: the file already exists`, {
      path,
    });
  }

  const { address } = await deriveAccount(phrase);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const key = await deriveKey(password, salt, scrypt);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, key, encoder.encode(phrase)),
  );
  const createdAt = new Date().toISOString();
  const file: KeystoreFile = { address, createdAt, scrypt, salt, nonce, ciphertext };

  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeAtomically(path, encodeKeystore(file));
  return { path, address, createdAt };
}

/**
 * Reads the address and creation time of a keystore without decrypting it.
 *
 * @throws {WalletError} `not-found` when the file is missing, `corrupt` when it is not a
 *   keystore this version can read
 */
export async function readKeystore(path: string): Promise<KeystoreInfo> {
  const file = await loadKeystore(path);
  return { path, address: file.address, createdAt: file.createdAt };
}

/**
 * Decrypts a keystore and returns its mnemonic, after checking that the mnemonic gives the
 * address stored beside it.
 *
 * @throws {WalletError} `wrong-password` when decryption fails, `not-found` or `corrupt` as
 *   for {@link readKeystore}
 */
export async function unlockKeystore(path: string, password: string): Promise<string> {
  const file = await loadKeystore(path);
  const key = await deriveKey(password, file.salt, file.scrypt);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: file.nonce },
      key,
      file.ciphertext,
    );
  } catch (error) {
    // AES-GCM cannot tell a wrong key from altered ciphertext, and a wrong password is likelier.
    throw new WalletError(
      "wrong-password",
      `Cannot unlock keystore ${path}: the password is wrong (or the encrypted data was altered)`,
      { path, cause: error },
    );
  }

  const mnemonic = decoder.decode(plaintext);
  let address: string;
  try {
    address = (await deriveAccount(mnemonic)).address;
  } catch {
    throw new WalletError(
      "corrupt",
      `Cannot unlock keystore ${path}: it contains no valid mnemonic`,
      {
        path,
      },
    );
  }
  if (address !== file.address) {
    throw new WalletError(
      "corrupt",
      `Cannot unlock keystore ${path}: its address field ${file.address} does not match the encrypted mnemonic (${address})`,
      { path },
    );
  }
  return mnemonic;
}

async function loadKeystore(path: string): Promise<KeystoreFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new WalletError("not-found", `Cannot read keystore ${path}: file not found`, {
        path,
        cause: error,
      });
    }
    throw new WalletError("corrupt", `Cannot read keystore ${path}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  }
  return decodeKeystore(text, path);
}

async function deriveKey(
  password: string,
  salt: Uint8Array,
  params: ScryptParams,
): Promise<CryptoKey> {
  const bytes = await scryptAsync(encoder.encode(password), salt, {
    N: params.n,
    r: params.r,
    p: params.p,
    dkLen: KEY_BYTES,
    maxmem: SCRYPT_LIMITS.maxMemoryBytes,
  });
  try {
    return await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
  } finally {
    bytes.fill(0);
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0].toString(16);
  const temporary = `${path}.${suffix}.tmp`;
  try {
    // A new file gets FILE_MODE at creation, so the ciphertext is never readable by others.
    await Deno.writeTextFile(temporary, text, { mode: FILE_MODE, createNew: true });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
