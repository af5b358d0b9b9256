/**
 * Safe unpacking of a function archive (gzip + tar) into a fresh folder.
 *
 * Tar parsing uses `modern-tar`, which is maintained and has no dependencies. It is built on
 * Web Streams, so it pairs with the runtime's `DecompressionStream` and never buffers a whole
 * entry. It applies PAX and GNU long-name records before we see a name, so the name checks
 * below run on the name that would be written. Gzip is the runtime's native
 * `DecompressionStream`.
 *
 * Only regular files and directories are accepted. Absolute names, `..`, backslashes,
 * symlinks, hard links, devices and FIFOs abort the unpack, as do duplicate names and any
 * limit being exceeded. Since names are checked and no link is ever created, nothing is
 * written outside the folder. Files are created with `createNew`, so no entry overwrites
 * another. Typeflags the parser does not know (for example GNU sparse files) come out as
 * regular files with their raw bytes.
 *
 * @module
 */
import { createTarDecoder, type ParsedTarEntry } from "modern-tar";
import { InstallError } from "./errors.ts";

/** Limits of {@link unpackArchive}. */
export interface UnpackLimits {
  /** Largest total size of the files. */
  maxUnpackedBytes: number;
  /** Most entries, files and directories together. */
  maxEntries: number;
}

// Room for headers, padding and PAX records on top of the file bytes. A decompressed tar stream
// larger than that is treated as a gzip bomb, even when its entries are small (e.g. endless
// zero blocks).
const TAR_OVERHEAD_PER_ENTRY_BYTES = 8 * 1024;

/**
 * Unpacks a .tar.gz archive into `dest`, which must exist and be empty.
 *
 * @returns the relative paths of the files written, sorted, with `/` separators
 * @throws {InstallError} code "archive" for a corrupt archive or a rejected entry, "limit"
 *   when the archive has too many entries or too many bytes
 */
export async function unpackArchive(
  archive: Uint8Array,
  dest: string,
  limits: UnpackLimits,
  cid: string,
): Promise<string[]> {
  const state = { entries: 0, bytes: 0, names: new Set<string>(), files: [] as string[] };
  const stream = decodeArchive(archive, limits, cid);
  try {
    for await (const entry of stream) {
      await unpackEntry(entry, dest, limits, state, cid);
    }
  } catch (error) {
    if (error instanceof InstallError) throw error;
    throw new InstallError("archive", cid, `Cannot unpack archive: ${describe(error)}`, {
      cause: error,
    });
  }
  return state.files.sort();
}

/**
 * Decodes .tar.gz bytes into tar entries. The decompressed stream is capped, so a gzip bomb
 * fails with an InstallError of code "limit" instead of running on.
 */
export function decodeArchive(
  archive: Uint8Array,
  limits: UnpackLimits,
  cid: string,
): ReadableStream<ParsedTarEntry> {
  const maxTarBytes = limits.maxUnpackedBytes +
    (limits.maxEntries + 2) * TAR_OVERHEAD_PER_ENTRY_BYTES;
  return new Blob([archive as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(capStream(maxTarBytes, cid))
    .pipeThrough(createTarDecoder({ strict: true }));
}

async function unpackEntry(
  entry: ParsedTarEntry,
  dest: string,
  limits: UnpackLimits,
  state: { entries: number; bytes: number; names: Set<string>; files: string[] },
  cid: string,
): Promise<void> {
  const { header } = entry;
  const type = header.type ?? "file";

  // Count every entry before looking at it, so a flood of rejected-later entries is bounded.
  state.entries += 1;
  if (state.entries > limits.maxEntries) {
    throw new InstallError(
      "limit",
      cid,
      `Cannot unpack archive: more than ${limits.maxEntries} entries`,
    );
  }
  if (type !== "file" && type !== "directory") {
    throw new InstallError(
      "archive",
      cid,
      `Cannot unpack archive: entry "${header.name}" is a ${type}; only files and directories are allowed`,
    );
  }
  const name = safeEntryName(header.name, cid);
  if (name === "") {
    // The archive root ("./") carries nothing to write.
    await entry.body.cancel();
    return;
  }
  if (state.names.has(name)) {
    throw new InstallError("archive", cid, `Cannot unpack archive: entry "${name}" appears twice`);
  }
  state.names.add(name);
  const path = `${dest}/${name}`;

  if (type === "directory") {
    await entry.body.cancel();
    await Deno.mkdir(path, { recursive: true });
    return;
  }
  state.bytes += header.size;
  if (state.bytes > limits.maxUnpackedBytes) {
    throw new InstallError(
      "limit",
      cid,
      `Cannot unpack archive: files exceed the ${limits.maxUnpackedBytes}-byte limit at "${name}"`,
    );
  }
  await writeEntry(entry, path, name, cid);
  state.files.push(name);
}

async function writeEntry(entry: ParsedTarEntry, path: string, name: string, cid: string) {
  const parent = path.slice(0, path.lastIndexOf("/"));
  await Deno.mkdir(parent, { recursive: true });
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true, mode: 0o644 });
  } catch (error) {
    throw new InstallError("archive", cid, `Cannot unpack archive: cannot create "${name}"`, {
      cause: error,
    });
  }
  // pipeTo closes the file when the body ends and aborts it when the body fails.
  await entry.body.pipeTo(file.writable);
}

/**
 * Returns the entry name as a clean relative path ("" for the archive root), or throws for a
 * name that could point outside the destination.
 */
export function safeEntryName(raw: string, cid: string): string {
  const reject = (reason: string) =>
    new InstallError("archive", cid, `Cannot unpack archive: entry "${raw}" ${reason}`);
  if (raw.includes("\0")) throw reject("contains a NUL byte");
  if (raw.includes("\\")) throw reject("contains a backslash");
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) throw reject("is an absolute path");

  const segments = raw.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw reject("contains '..'");
  return segments.join("/");
}

function capStream(maxBytes: number, cid: string): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        throw new InstallError(
          "limit",
          cid,
          `Cannot unpack archive: it decompresses to more than ${maxBytes} bytes`,
        );
      }
      controller.enqueue(chunk);
    },
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
