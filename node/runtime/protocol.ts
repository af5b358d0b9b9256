/**
 * Messages between the main thread and a sandbox worker.
 *
 * @module
 */
import type { HostRequest } from "./broker.ts";
import type { StubImport } from "./host_modules.ts";
import type { RunErrorKind } from "./types.ts";

/** Sent once after the worker starts. */
export interface InitMessage {
  type: "init";
  broker: SharedArrayBuffer;
  /** Guest stdout and stderr (see output_buffer.ts). */
  output: SharedArrayBuffer;
  /** The `cgi_list_read` JSON of the extension registry. */
  cgiList: string;
}

/** One execution. */
export interface RunMessage {
  type: "run";
  runId: number;
  module: WebAssembly.Module;
  stubs: StubImport[];
  entry: string;
  args: string[];
  environ: string[];
  envJson: string;
  stdin: Uint8Array;
  memoryPages: number;
  stdoutBytes: number;
  stderrBytes: number;
}

/** Main thread to worker. */
export type ToSandbox = InitMessage | RunMessage;

/** The outcome of one execution inside the sandbox; the output is in the output buffer. */
export interface ResultMessage {
  type: "result";
  runId: number;
  exitCode: number;
  memoryBytes: number;
  error?: { kind: RunErrorKind; message: string };
}

/** Worker to main thread. */
export type FromSandbox =
  | { type: "ready" }
  | { type: "host"; request: HostRequest }
  | { type: "log"; level: "warn"; message: string; fields: Record<string, unknown> }
  | ResultMessage;
