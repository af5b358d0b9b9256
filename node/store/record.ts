/**
 * The on-disk form of an installed function:
 * `<workspace>/functions/<cid>/{manifest.json, archive, record.json, files/…}`.
 * A function counts as installed only when its record, manifest, archive and every recorded
 * file are present.
 *
 * @module
 */
import { join } from "node:path";
import type { Manifest } from "./manifest.ts";

/** An installed function, ready to run. */
export interface InstalledFunction {
  cid: string;
  /** Absolute path of the folder holding the unpacked files. */
  dir: string;
  /** Relative paths of the unpacked files, sorted, with `/` separators. */
  files: string[];
  manifest: Manifest;
  /** ISO 8601 time of the install. */
  installedAt: string;
}

/** Contents of `record.json`. */
export interface InstallRecord {
  format: 1;
  cid: string;
  /** Manifest URL or local path the package came from. */
  origin: string;
  archive_url?: string;
  /** File name of the archive in the package folder (stored here as `archive`). */
  archive_name: string;
  /** Lowercase hex SHA-256 of the archive. */
  checksum: string;
  files: string[];
  installed_at: string;
}

/** Names inside a function's folder. */
export const RECORD_FILE = "record.json";
export const MANIFEST_FILE = "manifest.json";
export const ARCHIVE_FILE = "archive";
export const FILES_DIR = "files";

/**
 * Reads an installed function from its folder.
 *
 * @returns undefined when the record is missing or unreadable, or a recorded file is gone
 */
export async function readInstalled(folder: string): Promise<InstalledFunction | undefined> {
  let record: InstallRecord;
  let manifest: Manifest;
  try {
    record = JSON.parse(await Deno.readTextFile(join(folder, RECORD_FILE)));
    manifest = JSON.parse(await Deno.readTextFile(join(folder, MANIFEST_FILE)));
  } catch {
    return undefined;
  }
  if (record.format !== 1 || !Array.isArray(record.files)) return undefined;

  const dir = join(folder, FILES_DIR);
  const present = await Promise.all([
    isRegularFile(join(folder, ARCHIVE_FILE)),
    ...record.files.map((file) => isRegularFile(join(dir, file))),
  ]);
  if (present.includes(false)) return undefined;
  return { cid: record.cid, dir, files: record.files, manifest, installedAt: record.installed_at };
}

/** Writes `record.json` into a function's folder. */
export async function writeRecord(folder: string, record: InstallRecord): Promise<void> {
  await Deno.writeTextFile(join(folder, RECORD_FILE), JSON.stringify(record, null, 2) + "\n");
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    // lstat: a symlink planted in the workspace is not an installed file.
    return (await Deno.lstat(path)).isFile;
  } catch {
    return false;
  }
}
