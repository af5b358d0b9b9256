/**
 * The libp2p identities of a project's head and worker: reused from `keys/<role>/` when they
 * exist, created in memory otherwise, and planned as project files.
 *
 * @module
 */
import { join } from "node:path";
import {
  encodeIdentityFiles,
  generateIdentity,
  type Identity,
  loadIdentity,
  PEER_ID_FILE,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
} from "../p2p/identity.ts";
import { pathExists } from "../fs.ts";
import type { ProjectFile } from "./writer.ts";

/** The node roles that have an identity in a project. */
export const ROLES = ["head", "worker"] as const;
/** A node role. */
export type Role = typeof ROLES[number];

/** An identity of a project and where it came from. */
export interface ProjectIdentity {
  identity: Identity;
  /** Whether it was loaded from the project instead of created now. */
  existed: boolean;
}

/** Returns the folder of a role's identity, relative to the project, e.g. "keys/head". */
export function identityFolder(role: Role): string {
  return `keys/${role}`;
}

/**
 * Loads the head and worker identities of the project in `dir`, creating in memory each one
 * whose `priv.bin` is missing.
 *
 * @throws {IdentityError} when a `priv.bin` exists but is corrupt or disagrees with its
 *   siblings; a broken key is never silently replaced
 */
export async function projectIdentities(dir: string): Promise<Record<Role, ProjectIdentity>> {
  const result = {} as Record<Role, ProjectIdentity>;
  for (const role of ROLES) {
    const privatePath = join(dir, identityFolder(role), PRIVATE_KEY_FILE);
    if (await pathExists(privatePath)) {
      result[role] = { identity: await loadIdentity(privatePath), existed: true };
    } else {
      result[role] = { identity: await generateIdentity(), existed: false };
    }
  }
  return result;
}

/** Plans `priv.bin` (0600), `pub.bin` and `identity` of one role, private key first. */
export function identityProjectFiles(role: Role, identity: Identity): ProjectFile[] {
  const folder = identityFolder(role);
  const files = encodeIdentityFiles(identity);
  return [
    { path: `${folder}/${PRIVATE_KEY_FILE}`, data: files.privateKey, mode: 0o600 },
    { path: `${folder}/${PUBLIC_KEY_FILE}`, data: files.publicKey },
    { path: `${folder}/${PEER_ID_FILE}`, data: files.peerId },
  ];
}
