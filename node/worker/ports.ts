/**
 * The narrow interfaces the worker calls: an {@link Executor} that runs one module and an
 * {@link Installer} that finds or installs functions. The runtime (`node/runtime`) and the
 * function store (`node/store`) implement them; tests pass fakes.
 *
 * @module
 */

/** Per-execution limits that may only tighten the executor's own defaults. */
export interface RunLimits {
  /** Wall-clock limit in milliseconds. */
  timeoutMs?: number;
  /** Linear-memory cap in 64 KiB pages. */
  memoryPages?: number;
}

/** One execution, as the executor receives it. */
export interface RunRequest {
  requestId: string;
  module: { path: string } | { bytes: Uint8Array };
  /** File name of the module, used as WASI argv[0]. */
  method: string;
  /** Arguments after argv[0]. */
  args: string[];
  /** Environment in request order. */
  env: [string, string][];
  stdin: string;
  /** Exported function to call instead of `_start`. */
  entry?: string;
  /** URL prefixes the function may reach over host HTTP. */
  permissions: string[];
  limits?: RunLimits;
}

/** Kind of failure of an execution that did not simply exit. */
export type RunErrorKind = "timeout" | "memory" | "output" | "trap" | "invalid" | "internal";

/** The outcome of one execution. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  usage: { wallClockNs: number; memoryMaxKb: number };
  error?: { kind: RunErrorKind; message: string };
}

/** Runs WebAssembly modules; implemented by `node/runtime`. */
export interface Executor {
  run(request: RunRequest, options: { signal?: AbortSignal }): Promise<RunResult>;
}

/** A function on disk, as the store records it. */
export interface InstalledFunction {
  cid: string;
  dir: string;
  files: string[];
}

/** Source of an install: a CID with an optional manifest URL, or a local path. */
export type InstallSource = { cid: string; manifestUrl?: string } | { cid?: string; path: string };

/** Finds and installs functions; implemented by `node/store`. */
export interface Installer {
  /** Returns the installed function, or nothing when `cid` is not installed. */
  get(cid: string): Promise<InstalledFunction | undefined | null>;
  /** Returns the installed function, installing it from the gateway first when missing. */
  ensure(cid: string): Promise<InstalledFunction>;
  install(source: InstallSource): Promise<InstalledFunction>;
  /** Returns the path of `method` inside `fn`; throws when it is not one of its files. */
  modulePath(fn: InstalledFunction, method: string): string;
}
