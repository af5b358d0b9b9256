/**
 * Caps the linear memory of a module by rewriting the limits in its memory section before it
 * is compiled.
 *
 * Toolchains define the memory inside the module, so a host-side
 * `WebAssembly.Memory({maximum})` cannot constrain it; the limit has to be in the binary. The
 * rewrite touches one section and needs only a LEB128 reader and writer, so it is written here.
 * The npm alternatives (binaryen, wabt) are several megabytes and parse every function, and a
 * wabt text round trip did not finish within 5 minutes on a 2.8 MB Go module.
 *
 * Binary format: WebAssembly Core Specification 2.0, §5.5.8 (memory section) and §5.3.7
 * (limits: flag byte, then min and optional max as unsigned LEB128).
 *
 * @module
 */
import { concatBytes } from "./bytes.ts";

const MEMORY_SECTION_ID = 5;
const HEADER_BYTES = 8;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const FLAG_HAS_MAX = 0x01;
const FLAG_MEMORY64 = 0x04;

/** A module whose memory cannot fit the cap, or whose bytes cannot be parsed. */
export class MemoryLimitError extends Error {
  override name = "MemoryLimitError";
  /** Initial pages the module declares. */
  readonly minPages: number;
  readonly capPages: number;

  constructor(minPages: number, capPages: number) {
    super(
      `Cannot run module: it declares ${minPages} initial memory pages, above the limit of ` +
        `${capPages} pages`,
    );
    this.minPages = minPages;
    this.capPages = capPages;
  }
}

/** Bytes that are not a well-formed WebAssembly binary. */
export class MalformedModuleError extends Error {
  override name = "MalformedModuleError";
}

/**
 * Returns the module with every defined memory's maximum lowered to `capPages` (or set, when
 * it has none). Returns `bytes` itself when no limit changes.
 *
 * @throws {MemoryLimitError} when a memory's initial size is above the cap
 * @throws {MalformedModuleError} when the sections cannot be walked
 */
export function capMemory(bytes: Uint8Array, capPages: number): Uint8Array {
  const magic = bytes.subarray(0, 4);
  if (bytes.length < HEADER_BYTES || !WASM_MAGIC.every((byte, i) => magic[i] === byte)) {
    throw new MalformedModuleError("Bytes do not start with the WebAssembly header (\\0asm)");
  }
  const reader = new Reader(bytes, HEADER_BYTES);

  while (reader.offset < bytes.length) {
    const sectionStart = reader.offset;
    const id = reader.byte();
    const size = reader.leb();
    const payloadStart = reader.offset;
    const payloadEnd = payloadStart + size;
    if (payloadEnd > bytes.length) {
      throw new MalformedModuleError(`Section ${id} at byte ${sectionStart} runs past the end`);
    }
    if (id === MEMORY_SECTION_ID) {
      const payload = rewriteMemories(bytes.subarray(payloadStart, payloadEnd), capPages);
      if (payload === null) return bytes;
      return concatBytes([
        bytes.subarray(0, sectionStart),
        Uint8Array.of(MEMORY_SECTION_ID),
        encodeLeb(payload.length),
        payload,
        bytes.subarray(payloadEnd),
      ]);
    }
    reader.offset = payloadEnd;
  }
  return bytes;
}

/** Returns the rewritten section payload, or null when every memory already fits. */
function rewriteMemories(payload: Uint8Array, capPages: number): Uint8Array | null {
  const reader = new Reader(payload, 0);
  const count = reader.leb();
  const parts: Uint8Array[] = [encodeLeb(count)];
  let changed = false;

  for (let i = 0; i < count; i++) {
    const flags = reader.byte();
    const min = reader.leb();
    const max = (flags & FLAG_HAS_MAX) !== 0 ? reader.leb() : undefined;
    if (min > capPages) throw new MemoryLimitError(min, capPages);

    const newMax = max === undefined ? capPages : Math.min(max, capPages);
    if (newMax !== max) changed = true;
    // Shared and memory64 bits stay as they are; only the has-max bit is forced on.
    parts.push(Uint8Array.of(flags | FLAG_HAS_MAX), encodeLeb(min), encodeLeb(newMax));
    if ((flags & FLAG_MEMORY64) !== 0 && newMax > Number.MAX_SAFE_INTEGER) {
      throw new MalformedModuleError("Memory64 limit is out of range");
    }
  }
  if (reader.offset !== payload.length) {
    throw new MalformedModuleError("Memory section has trailing bytes");
  }
  return changed ? concatBytes(parts) : null;
}

/** Unsigned LEB128 encoding of a non-negative integer below 2^53. */
export function encodeLeb(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Uint8Array.from(out);
}

class Reader {
  constructor(readonly bytes: Uint8Array, public offset: number) {}

  byte(): number {
    if (this.offset >= this.bytes.length) {
      throw new MalformedModuleError("Unexpected end of module");
    }
    return this.bytes[this.offset++];
  }

  /** Reads an unsigned LEB128 of up to 64 bits; values above 2^53 lose precision. */
  leb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new MalformedModuleError(`LEB128 at byte ${this.offset} is longer than 10 bytes`);
  }
}
