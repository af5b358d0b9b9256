/**
 * Captured output of an extension process: bytes appended by a pump, consumed by guest reads
 * that wait until enough bytes arrived or the stream ended.
 *
 * @module
 */

/** A capped byte buffer with a read position and waiting reads. */
export class StreamBuffer {
  readonly #capBytes: number;
  #data = new Uint8Array(4096);
  #size = 0;
  #readOffset = 0;
  #ended = false;
  #waiters: (() => void)[] = [];
  /** Set when bytes past the cap were dropped. */
  truncated = false;

  constructor(capBytes: number) {
    this.#capBytes = capBytes;
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends `chunk`; returns false, keeping what fits, when the cap is reached. */
  append(chunk: Uint8Array): boolean {
    if (this.#ended) return false;
    const room = this.#capBytes - this.#size;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#grow(this.#size + part.length);
    this.#data.set(part, this.#size);
    this.#size += part.length;
    this.#wake();
    if (part.length < chunk.length) {
      this.truncated = true;
      return false;
    }
    return true;
  }

  /** Marks the end of the stream; waiting reads return what is left. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** Returns the next `max` bytes, waiting for them unless the stream ends first. */
  async readFull(max: number): Promise<Uint8Array> {
    while (!this.#ended && this.#size - this.#readOffset < max) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const chunk = this.#data.slice(this.#readOffset, Math.min(this.#size, this.#readOffset + max));
    this.#readOffset += chunk.length;
    return chunk;
  }

  /** Returns a copy of every byte appended so far. */
  bytes(): Uint8Array {
    return this.#data.slice(0, this.#size);
  }

  #grow(needed: number): void {
    if (needed <= this.#data.length) return;
    const next = new Uint8Array(Math.max(needed, this.#data.length * 2));
    next.set(this.#data.subarray(0, this.#size));
    this.#data = next;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
