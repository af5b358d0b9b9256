/**
 * Reads a byte stream to its end, up to a size limit.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";

/** Returns all bytes of `stream`, or null (after cancelling it) when it exceeds `maxBytes`. */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (stream === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    // Leaving the loop early cancels the stream through the async iterator's return().
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
