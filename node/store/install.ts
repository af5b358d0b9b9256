/**
 * The install pipeline for package bytes already read: checksum, content address, safe
 * unpack into a temporary folder, module validation, record, then one atomic rename into
 * `<workspace>/functions/<cid>`. A failure at any step removes the temporary folder, so
 * the workspace contains either a complete install or nothing.
 *
 * @module
 */
import { join } from "node:path";
import type { Logger } from "../log.ts";
import { computeDirectoryCid, packageCidVersion, sameCid } from "./cid.ts";
import { TEMP_PREFIX } from "./constants.ts";
import { InstallError } from "./errors.ts";
import { sha256Hex } from "./package.ts";
import {
  ARCHIVE_FILE,
  FILES_DIR,
  type InstalledFunction,
  MANIFEST_FILE,
  readInstalled,
  writeRecord,
} from "./record.ts";
import type { PackageBytes } from "./sources.ts";
import { unpackArchive, type UnpackLimits } from "./unpack.ts";

/** Result of a module check: the runtime's validation of one `.wasm` file. */
export type ModuleCheck = { ok: true } | { ok: false; reason: string };

/** Store settings that {@link installPackage} uses. */
export interface InstallContext {
  functionsDir: string;
  limits: UnpackLimits;
  validateModule: (bytes: Uint8Array) => ModuleCheck;
  /** Whether to check a CID-shaped id against the package bytes. */
  verifyCid: boolean;
  logger: Logger;
}

/**
 * Verifies, unpacks and records a package under `cid`.
 *
 * @param cidComputed true when `cid` was computed from these bytes, which skips the CID check
 * @throws {InstallError} "checksum", "cid-mismatch", "archive", "limit" or "invalid-module"
 */
export async function installPackage(
  cid: string,
  bytes: PackageBytes,
  cidComputed: boolean,
  context: InstallContext,
): Promise<InstalledFunction> {
  await verifyChecksum(cid, bytes);
  if (!cidComputed && context.verifyCid) await verifyCid(cid, bytes, context.logger);

  await Deno.mkdir(context.functionsDir, { recursive: true });
  const temp = join(context.functionsDir, `${TEMP_PREFIX}${cid}-${crypto.randomUUID()}`);
  await Deno.mkdir(temp);
  try {
    await Deno.writeFile(join(temp, MANIFEST_FILE), bytes.manifestBytes);
    await Deno.writeFile(join(temp, ARCHIVE_FILE), bytes.archive);
    await Deno.mkdir(join(temp, FILES_DIR));
    const files = await unpackArchive(bytes.archive, join(temp, FILES_DIR), context.limits, cid);
    await validateModules(cid, join(temp, FILES_DIR), files, context.validateModule);
    await writeRecord(temp, {
      format: 1,
      cid,
      origin: bytes.origin,
      archive_url: bytes.archiveUrl,
      archive_name: bytes.archiveName,
      checksum: bytes.checksum,
      files,
      installed_at: new Date().toISOString(),
    });
    return await moveIntoPlace(temp, join(context.functionsDir, cid), cid);
  } finally {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
  }
}

async function verifyChecksum(cid: string, bytes: PackageBytes): Promise<void> {
  const actual = await sha256Hex(bytes.archive);
  if (actual !== bytes.checksum.toLowerCase()) {
    // The archive is only in memory at this point, so there is no file to delete.
    throw new InstallError(
      "checksum",
      cid,
      `Cannot install ${cid}: archive SHA-256 is ${actual}, the manifest expects ${bytes.checksum}`,
      { source: bytes.archiveUrl ?? bytes.origin },
    );
  }
}

async function verifyCid(cid: string, bytes: PackageBytes, logger: Logger): Promise<void> {
  const version = packageCidVersion(cid);
  if (version === undefined) {
    // Ids from a manifest URL (the SHA-256 of the URL) or dev names address no content.
    logger.debug("function id is not a package CID, content not verified", { cid });
    return;
  }
  const files = new Map([[MANIFEST_FILE, bytes.manifestBytes], [bytes.archiveName, bytes.archive]]);
  const actual = await computeDirectoryCid(files, { version });
  if (!sameCid(actual, cid)) {
    throw new InstallError(
      "cid-mismatch",
      cid,
      `Cannot install ${cid}: the folder {manifest.json, ${bytes.archiveName}} from ` +
        `${bytes.origin} has CID ${actual}`,
      { source: bytes.origin },
    );
  }
}

async function validateModules(
  cid: string,
  dir: string,
  files: string[],
  validateModule: InstallContext["validateModule"],
): Promise<void> {
  for (const file of files.filter((name) => name.toLowerCase().endsWith(".wasm"))) {
    const check = validateModule(await Deno.readFile(join(dir, file)));
    if (!check.ok) {
      throw new InstallError(
        "invalid-module",
        cid,
        `Cannot install ${cid}: module "${file}" is invalid: ${check.reason}`,
      );
    }
  }
}

// Another process sharing the workspace may have finished the same CID first; its complete
// install wins, and a broken folder left behind is replaced.
async function moveIntoPlace(
  temp: string,
  target: string,
  cid: string,
): Promise<InstalledFunction> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.rename(temp, target);
      break;
    } catch (error) {
      const existing = await readInstalled(target);
      if (existing !== undefined) return existing;
      if (attempt === 1) {
        throw new InstallError(
          "archive",
          cid,
          `Cannot install ${cid}: cannot move into ${target}`,
          {
            cause: error,
          },
        );
      }
      await Deno.remove(target, { recursive: true }).catch(() => {});
    }
  }
  const installed = await readInstalled(target);
  if (installed === undefined) {
    throw new InstallError(
      "archive",
      cid,
      `Cannot install ${cid}: ${target} is incomplete after the move`,
    );
  }
  return installed;
}
