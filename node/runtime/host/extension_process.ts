/**
 * The interface `blockless_cgi` uses for an opened extension, whether it is an external executable
 * or the built-in `cgi-allora-infer`.
 *
 * @module
 */

/** An opened extension. Reads are read-full: they wait for `max` bytes or the end. */
export interface ExtensionProcess {
  /** Writes to the extension's stdin; resolves with the bytes accepted. */
  write(data: Uint8Array): Promise<number>;
  /** Returns up to `max` bytes, fewer only at the end of the stream. */
  read(stream: "stdout" | "stderr", max: number): Promise<Uint8Array>;
  /** Stops the extension and releases it. */
  close(): Promise<void>;
}
