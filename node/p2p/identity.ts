/**
 * libp2p identities in go-libp2p's file layout, so keys move freely between our nodes, b7s and
 * `allora-keys`:
 * - `priv.bin`: 68-byte `PrivateKey` protobuf (`08 01 12 40`, 32-byte seed, 32-byte public
 *   key), mode 0600;
 * - `pub.bin`: 36-byte `PublicKey` protobuf (`08 01 12 20`, public key);
 * - `identity`: the peer ID text, `12D3KooW…`.
 *
 * @module
 */
import {
  generateKeyPair,
  generateKeyPairFromSeed,
  privateKeyFromProtobuf,
  privateKeyToProtobuf,
  publicKeyToProtobuf,
} from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import type { PeerId, PrivateKey } from "@libp2p/interface";
import { dirname, join } from "node:path";

/** File names of an identity folder. */
export const PRIVATE_KEY_FILE = "priv.bin";
export const PUBLIC_KEY_FILE = "pub.bin";
export const PEER_ID_FILE = "identity";

const PRIVATE_KEY_LENGTH = 68;
const ED25519_PREFIX = [0x08, 0x01, 0x12, 0x40];

/** A loaded identity. */
export interface Identity {
  privateKey: PrivateKey;
  peerId: PeerId;
}

/** An identity file that is missing, corrupt, or disagrees with its siblings. */
export class IdentityError extends Error {
  override name = "IdentityError";
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** Creates a new Ed25519 identity. */
export async function generateIdentity(): Promise<Identity> {
  const privateKey = await generateKeyPair("Ed25519");
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) };
}

/**
 * Decodes and checks a `priv.bin` payload: Ed25519 type, 68 bytes, and a public half that
 * matches the one derived from the seed.
 *
 * @param path used in error messages
 * @throws {IdentityError} when the bytes are not a valid Ed25519 key
 */
export async function decodePrivateKey(bytes: Uint8Array, path: string): Promise<Identity> {
  if (bytes.length === PRIVATE_KEY_LENGTH && ED25519_PREFIX.some((b, i) => bytes[i] !== b)) {
    throw new IdentityError(
      path,
      `Cannot load private key ${path}: it does not start with the Ed25519 key header 08 01 12 40 (the file is corrupt or not a libp2p key)`,
    );
  }
  if (bytes.length !== PRIVATE_KEY_LENGTH) {
    throw new IdentityError(
      path,
      `Cannot load private key ${path}: expected a ${PRIVATE_KEY_LENGTH}-byte Ed25519 libp2p key, found ${bytes.length} bytes`,
    );
  }
  const privateKey = privateKeyFromProtobuf(bytes);
  const derived = await generateKeyPairFromSeed("Ed25519", bytes.subarray(4, 36));
  if (!derived.publicKey.equals(privateKey.publicKey)) {
    throw new IdentityError(
      path,
      `Cannot load private key ${path}: its public half does not match its seed (the file is corrupt)`,
    );
  }
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) };
}

/**
 * Loads an identity from a folder or a `priv.bin` path and checks that `pub.bin` and
 * `identity`, when present, agree with the private key.
 *
 * @throws {IdentityError} when a file is missing, corrupt or disagrees
 */
export async function loadIdentity(path: string): Promise<Identity> {
  const privatePath = await resolvePrivateKeyPath(path);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(privatePath);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "file not found"
      : (error as Error).message;
    throw new IdentityError(privatePath, `Cannot read private key ${privatePath}: ${reason}`, {
      cause: error,
    });
  }
  const identity = await decodePrivateKey(bytes, privatePath);
  const folder = dirname(privatePath);

  const publicBytes = await readOptional(join(folder, PUBLIC_KEY_FILE));
  if (publicBytes !== undefined) {
    const expected = publicKeyToProtobuf(identity.privateKey.publicKey);
    if (!equalBytes(publicBytes, expected)) {
      throw new IdentityError(
        join(folder, PUBLIC_KEY_FILE),
        `Cannot load identity ${folder}: ${PUBLIC_KEY_FILE} does not match ${PRIVATE_KEY_FILE}`,
      );
    }
  }
  const idBytes = await readOptional(join(folder, PEER_ID_FILE));
  if (idBytes !== undefined) {
    const written = new TextDecoder().decode(idBytes).trim();
    if (written !== identity.peerId.toString()) {
      throw new IdentityError(
        join(folder, PEER_ID_FILE),
        `Cannot load identity ${folder}: ${PEER_ID_FILE} says ${written} but ${PRIVATE_KEY_FILE} is ${identity.peerId}`,
      );
    }
  }
  return identity;
}

/** The three files of an identity folder, encoded. */
export interface IdentityFiles {
  /** `priv.bin`: the 68-byte private key protobuf; store it with mode 0600. */
  privateKey: Uint8Array;
  /** `pub.bin`: the 36-byte public key protobuf. */
  publicKey: Uint8Array;
  /** `identity`: the peer ID text with a trailing newline. */
  peerId: string;
}

/** Encodes an identity as the contents of `priv.bin`, `pub.bin` and `identity`. */
export function encodeIdentityFiles(identity: Identity): IdentityFiles {
  return {
    privateKey: privateKeyToProtobuf(identity.privateKey),
    publicKey: publicKeyToProtobuf(identity.privateKey.publicKey),
    peerId: `${identity.peerId}\n`,
  };
}

/**
 * Writes `priv.bin` (0600), `pub.bin` and `identity` into `folder`, creating it.
 *
 * @throws {Deno.errors.AlreadyExists} when `priv.bin` exists and `force` is not set
 */
export async function writeIdentity(
  folder: string,
  identity: Identity,
  { force = false }: { force?: boolean } = {},
): Promise<void> {
  const files = encodeIdentityFiles(identity);
  await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
  const privatePath = join(folder, PRIVATE_KEY_FILE);
  await Deno.writeFile(privatePath, files.privateKey, { mode: 0o600, createNew: !force });
  // writeFile keeps the mode of an existing file, so force it.
  await Deno.chmod(privatePath, 0o600);
  await Deno.writeFile(join(folder, PUBLIC_KEY_FILE), files.publicKey, { mode: 0o644 });
  await Deno.writeTextFile(join(folder, PEER_ID_FILE), files.peerId, { mode: 0o644 });
}

/**
 * Loads the identity at `path` (a `priv.bin` file or its folder), or creates it there on first
 * use so a node keeps its peer ID across restarts.
 */
export async function loadOrCreateIdentity(path: string): Promise<Identity & { created: boolean }> {
  const privatePath = await resolvePrivateKeyPath(path);
  try {
    await Deno.stat(privatePath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const identity = await generateIdentity();
    await writeIdentity(dirname(privatePath), identity);
    return { ...identity, created: true };
  }
  return { ...(await loadIdentity(privatePath)), created: false };
}

async function resolvePrivateKeyPath(path: string): Promise<string> {
  try {
    if ((await Deno.stat(path)).isDirectory) return join(path, PRIVATE_KEY_FILE);
  } catch {
    // A missing path is taken as given; the caller reports it.
  }
  return path.endsWith(".bin") ? path : join(path, PRIVATE_KEY_FILE);
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
