/**
 * Guest stdout and stderr in a SharedArrayBuffer per sandbox worker. The sandbox appends, the
 * main thread reads after the run, and output written before a timeout survives the
 * termination of the worker.
 *
 * Layout: an Int32 header (stdout length, stderr length, stdout capacity, stderr capacity),
 * then the stdout region, then the stderr region.
 *
 * @module
 */

const HEADER_BYTES = 16;
const STREAMS = { stdout: 0, stderr: 1 } as const;

/** A captured stream. */
export type OutputStream = keyof typeof STREAMS;

/** Allocates the output buffer with room for the node's output limits. */
export function createOutputBuffer(stdoutBytes: number, stderrBytes: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + stdoutBytes + stderrBytes);
  const header = new Int32Array(buffer, 0, 4);
  header[2] = stdoutBytes;
  header[3] = stderrBytes;
  return buffer;
}

/** Views of both streams in an output buffer. */
export class OutputRegions {
  readonly #header: Int32Array;
  readonly #regions: Record<OutputStream, Uint8Array>;

  constructor(buffer: SharedArrayBuffer) {
    this.#header = new Int32Array(buffer, 0, 4);
    const stdoutBytes = this.#header[2];
    this.#regions = {
      stdout: new Uint8Array(buffer, HEADER_BYTES, stdoutBytes),
      stderr: new Uint8Array(buffer, HEADER_BYTES + stdoutBytes, this.#header[3]),
    };
  }

  /** Empties both streams before a run. */
  reset(): void {
    Atomics.store(this.#header, STREAMS.stdout, 0);
    Atomics.store(this.#header, STREAMS.stderr, 0);
  }

  /** Bytes written to `stream` so far. */
  length(stream: OutputStream): number {
    return Atomics.load(this.#header, STREAMS[stream]);
  }

  /** Appends `data` to `stream`; the caller keeps it within the stream's capacity. */
  append(stream: OutputStream, data: Uint8Array): void {
    const length = this.length(stream);
    this.#regions[stream].set(data, length);
    Atomics.store(this.#header, STREAMS[stream], length + data.length);
  }

  /** Decodes `stream`; a multi-byte character cut at the limit becomes U+FFFD. */
  text(stream: OutputStream): string {
    const bytes = this.#regions[stream].slice(0, this.length(stream));
    return new TextDecoder().decode(bytes);
  }
}
