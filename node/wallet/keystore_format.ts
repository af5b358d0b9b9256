/**
 * The JSON layout of a keystore file, version 1, and its strict decoder. Byte fields are
 * lower-case hex.
 *
 * ```json
 * {
 *   "type": "allora-keystore",
 *   "version": 1,
 *   "address": "allo1…",
 *   "created_at": "2026-01-01T00:00:00.000Z",
 *   "kdf": { "name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<16 bytes>" },
 *   "cipher": { "name": "aes-256-gcm", "nonce": "<12 bytes>" },
 *   "ciphertext": "<encrypted mnemonic followed by the 16-byte GCM tag>"
 * }
 * ```
 *
 * @module
 */
import { fromHex, toHex } from "@cosmjs/encoding";
import { ADDRESS_PREFIX, isAlloAddress } from "./account.ts";
import { WalletError } from "./errors.ts";

/** scrypt cost parameters as stored in the file. */
export interface ScryptParams {
  /** CPU and memory cost, a power of two. */
  n: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** Decoded contents of a keystore file. */
export interface KeystoreFile {
  address: string;
  createdAt: string;
  scrypt: ScryptParams;
  salt: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
}

/**
 * Bounds on scrypt parameters read from a file, so an edited file cannot make unlocking take
 * minutes or gigabytes. The lower bound on `n` keeps weak parameters out.
 */
export const SCRYPT_LIMITS = {
  minN: 2 ** 10,
  maxN: 2 ** 20,
  maxR: 32,
  maxP: 16,
  maxMemoryBytes: 2 ** 30,
} as const;

const FILE_TYPE = "allora-keystore";
const FILE_VERSION = 1;
const KDF_NAME = "scrypt";
const CIPHER_NAME = "aes-256-gcm";
const NONCE_BYTES = 12;
const MIN_SALT_BYTES = 16;
const TAG_BYTES = 16;

/** Serializes a keystore as indented JSON with a final newline. */
export function encodeKeystore(file: KeystoreFile): string {
  const document = {
    type: FILE_TYPE,
    version: FILE_VERSION,
    address: file.address,
    created_at: file.createdAt,
    kdf: { name: KDF_NAME, ...file.scrypt, salt: toHex(file.salt) },
    cipher: { name: CIPHER_NAME, nonce: toHex(file.nonce) },
    ciphertext: toHex(file.ciphertext),
  };
  return JSON.stringify(document, null, 2) + "\n";
}

/**
 * Parses and checks a keystore document.
 *
 * @param path used in error messages
 * @throws {WalletError} with code `corrupt` naming the first field that is missing or invalid
 */
export function decodeKeystore(text: string, path: string): KeystoreFile {
  const fail = (problem: string): never => {
    throw new WalletError("corrupt", `Cannot read keystore ${path}: ${problem}`, { path });
  };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return fail("the file is not JSON");
  }
  const root = asRecord(document) ?? fail("the file is not a JSON object");
  if (root.type !== FILE_TYPE) fail(`field "type" is not "${FILE_TYPE}"`);
  if (root.version !== FILE_VERSION) {
    fail(`version ${JSON.stringify(root.version)} is not supported (expected ${FILE_VERSION})`);
  }

  const address = typeof root.address === "string"
    ? root.address
    : fail('field "address" is missing');
  if (!isAlloAddress(address)) fail(`field "address" is not an ${ADDRESS_PREFIX}1… address`);
  const createdAt = typeof root.created_at === "string"
    ? root.created_at
    : fail('field "created_at" is missing');
  if (Number.isNaN(Date.parse(createdAt))) fail('field "created_at" is not a timestamp');

  const kdf = asRecord(root.kdf) ?? fail('field "kdf" is missing');
  if (kdf.name !== KDF_NAME) fail(`field "kdf.name" is not "${KDF_NAME}"`);
  const scrypt = checkScrypt(kdf) ?? fail('fields "kdf.n", "kdf.r" or "kdf.p" are out of range');
  const salt = hexField(kdf.salt) ?? fail('field "kdf.salt" is not hex');
  if (salt.length < MIN_SALT_BYTES) {
    fail(`field "kdf.salt" is shorter than ${MIN_SALT_BYTES} bytes`);
  }

  const cipher = asRecord(root.cipher) ?? fail('field "cipher" is missing');
  if (cipher.name !== CIPHER_NAME) fail(`field "cipher.name" is not "${CIPHER_NAME}"`);
  const nonce = hexField(cipher.nonce) ?? fail('field "cipher.nonce" is not hex');
  if (nonce.length !== NONCE_BYTES) fail(`field "cipher.nonce" is not ${NONCE_BYTES} bytes`);
  const ciphertext = hexField(root.ciphertext) ?? fail('field "ciphertext" is not hex');
  if (ciphertext.length <= TAG_BYTES) fail('field "ciphertext" is too short');

  return { address, createdAt, scrypt, salt, nonce, ciphertext };
}

function checkScrypt(kdf: Record<string, unknown>): ScryptParams | undefined {
  const { n, r, p } = kdf;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p)) {
    return undefined;
  }
  const [cost, blockSize, parallelism] = [n as number, r as number, p as number];
  const powerOfTwo = (cost & (cost - 1)) === 0;
  const inRange = cost >= SCRYPT_LIMITS.minN && cost <= SCRYPT_LIMITS.maxN &&
    blockSize >= 1 && blockSize <= SCRYPT_LIMITS.maxR &&
    parallelism >= 1 && parallelism <= SCRYPT_LIMITS.maxP;
  // scrypt needs about 128 * N * r bytes.
  const fits = 128 * cost * blockSize <= SCRYPT_LIMITS.maxMemoryBytes;
  return powerOfTwo && inRange && fits ? { n: cost, r: blockSize, p: parallelism } : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function hexField(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof value !== "string" || !/^(?:[0-9a-f]{2})+$/.test(value)) return undefined;
  return fromHex(value);
}
