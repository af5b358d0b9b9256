/**
 * The WASI preview1 environment of one call: argv, environ, stdin as fd 0, and stdout/stderr
 * captured up to a byte limit in the worker's shared output buffer. No directories are
 * preopened, so every path operation fails with EBADF. Built on @bjorn3/browser_wasi_shim 0.4.2 (in-memory fds, no host access).
 *
 * @module
 */
import { ConsoleStdout, File, OpenFile, WASI } from "@bjorn3/browser_wasi_shim";
import type { OutputRegions, OutputStream } from "./output_buffer.ts";

/** Thrown into the guest when it writes past an output limit, which stops it. */
export class OutputLimitError extends Error {
  override name = "OutputLimitError";
}

/** One captured stream of a call, cut off at `limitBytes`. */
export class OutputSink {
  readonly #regions: OutputRegions;
  readonly #stream: OutputStream;
  readonly #limitBytes: number;
  /** Set once the guest tried to write past the limit. */
  exceeded = false;

  constructor(regions: OutputRegions, stream: OutputStream, limitBytes: number) {
    this.#regions = regions;
    this.#stream = stream;
    this.#limitBytes = limitBytes;
  }

  /** Appends `data`, keeping at most the limit, and stops the guest past it. */
  append(data: Uint8Array): void {
    const room = this.#limitBytes - this.#regions.length(this.#stream);
    if (data.length > room) {
      this.#regions.append(this.#stream, data.subarray(0, Math.max(room, 0)));
      this.exceeded = true;
      throw new OutputLimitError(
        `Guest wrote more than the ${this.#limitBytes}-byte ${this.#stream} limit`,
      );
    }
    this.#regions.append(this.#stream, data);
  }
}

/** Inputs and limits of the guest's WASI environment. */
export interface WasiSetup {
  args: string[];
  /** `NAME=value` entries. */
  environ: string[];
  stdin: Uint8Array;
  /** Buffer receiving stdout and stderr; the main thread empties it before each run. */
  output: OutputRegions;
  stdoutBytes: number;
  stderrBytes: number;
}

/** Creates the WASI state of one call with its output sinks. */
export function createWasi(
  setup: WasiSetup,
): { wasi: WASI; stdout: OutputSink; stderr: OutputSink } {
  const stdout = new OutputSink(setup.output, "stdout", setup.stdoutBytes);
  const stderr = new OutputSink(setup.output, "stderr", setup.stderrBytes);
  const fds = [
    new OpenFile(new File(setup.stdin, { readonly: true })),
    new ConsoleStdout((data) => stdout.append(data)),
    new ConsoleStdout((data) => stderr.append(data)),
  ];
  const wasi = new WASI(setup.args, setup.environ, fds, { debug: false });
  return { wasi, stdout, stderr };
}
