/**
 * Builders of tar.gz archives for the store tests, hostile ones included. Entries are written
 * by modern-tar exactly as given, so names like `../x` and link entries reach the unpacker
 * unchanged.
 *
 * @module
 */
import { gzipSync } from "fflate";
import { packTar, type TarHeader } from "modern-tar";

/** One archive entry: a header (type defaults to file) and an optional body. */
export interface ArchiveEntry {
  header: Partial<TarHeader> & { name: string };
  body?: Uint8Array | string;
}

/** Packs entries into tar.gz bytes. */
export async function targz(entries: ArchiveEntry[]): Promise<Uint8Array> {
  const tar = await packTar(entries.map(({ header, body }) => {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    return {
      header: { type: "file" as const, size: bytes?.byteLength ?? 0, mtime: new Date(0), ...header },
      body: bytes,
    };
  }));
  return gzipSync(tar);
}

/** Builds a file entry. */
export function file(name: string, body: Uint8Array | string = "x"): ArchiveEntry {
  return { header: { name }, body };
}
