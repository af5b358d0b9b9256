/**
 * Bounds-checked access to the guest's linear memory for host imports. A bad pointer makes the
 * import return an errno instead of trapping, and `memory.buffer` is re-read on every access
 * because any call may have grown the memory.
 *
 * @module
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The guest's memory, bound once the instance exists. */
export class GuestMemory {
  #memory: WebAssembly.Memory | undefined;

  /** Binds the instance's exported memory; a module without one fails every access. */
  bind(memory: WebAssembly.Memory | undefined): void {
    this.#memory = memory;
  }

  /** Current size in bytes, or 0 before binding. */
  get byteLength(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  /** Returns whether `length` bytes at `pointer` lie inside the memory. */
  fits(pointer: number, length: number): boolean {
    return this.#view(pointer, length) !== null;
  }

  /** Returns a copy of `length` bytes at `pointer`, or null when out of bounds. */
  read(pointer: number, length: number): Uint8Array | null {
    const view = this.#view(pointer, length);
    return view === null ? null : view.slice();
  }

  /**
   * Returns the UTF-8 text at `pointer`, "bounds" when out of bounds, or "encoding" when the
   * bytes are not valid UTF-8.
   */
  readText(pointer: number, length: number): string | "bounds" | "encoding" {
    const view = this.#view(pointer, length);
    if (view === null) return "bounds";
    try {
      return utf8.decode(view);
    } catch {
      return "encoding";
    }
  }

  /** Copies `data` to `pointer`; false when out of bounds. */
  write(pointer: number, data: Uint8Array): boolean {
    const view = this.#view(pointer, data.length);
    if (view === null) return false;
    view.set(data);
    return true;
  }

  /** Writes a little-endian u32 at `pointer`; false when out of bounds. */
  writeU32(pointer: number, value: number): boolean {
    const view = this.#view(pointer, 4);
    if (view === null) return false;
    new DataView(view.buffer, view.byteOffset, 4).setUint32(0, value >>> 0, true);
    return true;
  }

  #view(pointer: number, length: number): Uint8Array | null {
    if (this.#memory === undefined) return null;
    const start = pointer >>> 0;
    const size = length >>> 0;
    const buffer = this.#memory.buffer;
    if (start + size > buffer.byteLength) return null;
    return new Uint8Array(buffer, start, size);
  }
}
