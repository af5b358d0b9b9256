/**
 * Writes a planned set of project files so that a failure never leaves half a project:
 * - a new project is written into a temporary folder beside the target, then renamed into
 *   place in one step;
 * - in an existing folder every file is first written as a temporary file beside its target,
 *   and only when all are written are they renamed over their targets.
 * Existing files are kept unless `force` is set; identical files are left alone either way.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";

/** One file of a project, with its path relative to the project folder. */
export interface ProjectFile {
  /** Relative path with `/` separators, e.g. "keys/head/priv.bin". */
  path: string;
  data: string | Uint8Array;
  /** File mode; 0o600 files also get 0o700 parent folders. @default 0o644 */
  mode?: number;
}

/** What happened, or would happen, to one file. */
export type FileAction = "create" | "overwrite" | "keep" | "unchanged";

/** The outcome for one planned file. */
export interface FileResult {
  path: string;
  action: FileAction;
}

/** Options of {@link writeProject}. */
export interface WriteOptions {
  /** Overwrite files that exist with other contents. @default false */
  force?: boolean;
  /** Decide the actions but write nothing. @default false */
  dryRun?: boolean;
  /** Called before each file is staged; a test throws here to simulate a failure halfway. */
  beforeWrite?: (path: string) => void | Promise<void>;
}

/** A project that could not be written; nothing of it was left behind. */
export class ProjectWriteError extends Error {
  override name = "ProjectWriteError";
  /** The project folder. */
  readonly dir: string;

  constructor(dir: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.dir = dir;
  }
}

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

/**
 * Writes `files` into `dir`, creating the folder if it does not exist.
 *
 * @returns one result per file, in the order given
 * @throws {ProjectWriteError} when writing fails; a new project folder is then absent and an
 *   existing one contains no file of this run
 */
export async function writeProject(
  dir: string,
  files: readonly ProjectFile[],
  options: WriteOptions = {},
): Promise<FileResult[]> {
  const target = resolve(dir);
  const info = await statOrNull(target);
  if (info !== null && !info.isDirectory) {
    throw new ProjectWriteError(target, `Cannot write project ${dir}: it is a file, not a folder`);
  }
  if (info === null) {
    const results = files.map((file) => ({ path: file.path, action: "create" as const }));
    if (!options.dryRun) await writeNewProject(target, files, options);
    return results;
  }
  const results: FileResult[] = [];
  for (const file of files) {
    results.push({ path: file.path, action: await decideAction(target, file, options) });
  }
  if (!options.dryRun) {
    const pending = files.filter((_file, index) =>
      results[index].action === "create" || results[index].action === "overwrite"
    );
    await writeIntoExisting(target, pending, options);
  }
  return results;
}

async function writeNewProject(
  target: string,
  files: readonly ProjectFile[],
  options: WriteOptions,
): Promise<void> {
  const parent = dirname(target);
  await Deno.mkdir(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.allora-init-${randomSuffix()}`);
  try {
    await Deno.mkdir(staging, { mode: DIR_MODE });
    for (const file of files) {
      await options.beforeWrite?.(file.path);
      await writeFileWithFolders(staging, file, []);
    }
    await Deno.rename(staging, target);
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw new ProjectWriteError(
      target,
      `Cannot write project ${target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function writeIntoExisting(
  target: string,
  files: readonly ProjectFile[],
  options: WriteOptions,
): Promise<void> {
  const createdFolders: string[] = [];
  const staged: { temporary: string; final: string }[] = [];
  try {
    // Stage every file beside its target; nothing visible changes yet.
    for (const file of files) {
      await options.beforeWrite?.(file.path);
      const final = join(target, file.path);
      const temporary = `${final}.allora-tmp-${randomSuffix()}`;
      staged.push({ temporary, final });
      await writeFileWithFolders(
        target,
        { ...file, path: relativeTo(target, temporary) },
        createdFolders,
      );
    }

    // Commit: each rename replaces one file atomically.
    for (const { temporary, final } of staged) await Deno.rename(temporary, final);
  } catch (error) {
    for (const { temporary } of staged) await Deno.remove(temporary).catch(() => {});
    for (const folder of createdFolders.reverse()) await Deno.remove(folder).catch(() => {});
    throw new ProjectWriteError(
      target,
      `Cannot write project files in ${target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function decideAction(
  target: string,
  file: ProjectFile,
  options: WriteOptions,
): Promise<FileAction> {
  let existing: Uint8Array;
  try {
    existing = await Deno.readFile(join(target, file.path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "create";
    // An unreadable or non-file entry counts as existing, so it is kept unless forced.
    return options.force ? "overwrite" : "keep";
  }
  if (equalBytes(existing, toBytes(file.data))) return "unchanged";
  return options.force ? "overwrite" : "keep";
}

/** Writes one file below `root`, creating its folders; records the folders it created. */
async function writeFileWithFolders(
  root: string,
  file: ProjectFile,
  createdFolders: string[],
): Promise<void> {
  const mode = file.mode ?? FILE_MODE;
  const path = join(root, file.path);
  const folderMode = mode === PRIVATE_FILE_MODE ? PRIVATE_DIR_MODE : DIR_MODE;
  await makeFolders(root, dirname(path), folderMode, createdFolders);
  await Deno.writeFile(path, toBytes(file.data), { mode, createNew: true });
  // The process umask may have narrowed the mode; set it exactly.
  await Deno.chmod(path, mode);
}

async function makeFolders(
  root: string,
  folder: string,
  mode: number,
  createdFolders: string[],
): Promise<void> {
  if (folder === root || (await statOrNull(folder)) !== null) return;
  await makeFolders(root, dirname(folder), mode, createdFolders);
  await Deno.mkdir(folder, { mode });
  createdFolders.push(folder);
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function relativeTo(root: string, path: string): string {
  return path.slice(root.length + 1);
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function randomSuffix(): string {
  return crypto.randomUUID().slice(0, 8);
}
