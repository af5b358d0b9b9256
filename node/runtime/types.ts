/**
 * Public types of the worker runtime: what a caller passes to run a node function and what it
 * gets back.
 *
 * @module
 */
import type { Logger } from "../log.ts";

/** One execution of an installed node function. */
export interface RunRequest {
  /** Request id, used in logs. */
  requestId: string;
  /** The installed `.wasm` file, or its bytes. */
  module: { path: string } | { bytes: Uint8Array };
  /** The request `method`, passed to the guest as argv[0]. */
  method: string;
  /** Parameter values in order, passed as argv[1..]. */
  args: string[];
  /** Request environment variables in order. The runtime adds `BLS_LIST_VARS`. */
  env: [string, string][];
  /** Served as WASI fd 0 and through `blockless_memory.memory_read`. */
  stdin: string;
  /** Exported function to call. @default "_start" */
  entry?: string;
  /** URL prefixes the guest may reach through `blockless_http`. */
  permissions: string[];
  /** Lower limits for this run; values above the node's limits are ignored. */
  limits?: Partial<RunLimits>;
}

/** Limits of one execution. */
export interface RunLimits {
  /** Wall-clock limit; the sandbox worker is terminated when it passes. */
  timeoutMs: number;
  /** Linear-memory cap in 64 KiB pages. */
  memoryPages: number;
  /** Captured stdout; writing more stops the guest with exit code 14. */
  stdoutBytes: number;
  /** Captured stderr; writing more stops the guest with exit code 14. */
  stderrBytes: number;
}

/** Cause of a run that did not end normally. */
export type RunErrorKind = "timeout" | "memory" | "output" | "trap" | "invalid" | "internal";

/** Outcome of one execution. `exitCode` follows the table in docs/runtime.md. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  usage: {
    /** Time from dispatch to the sandbox until the result, in nanoseconds. */
    wallClockNs: number;
    /** Final linear-memory size in KiB (memory only grows). */
    memoryMaxKb: number;
  };
  error?: { kind: RunErrorKind; message: string };
}

/** Settings of the built-in `cgi-allora-infer` extension. */
export interface InferenceOptions {
  /** Program and leading arguments, e.g. `["python3", "main.py"]`. */
  command: string[];
  /** Working directory of the command (the project folder). */
  cwd: string;
  /** @default 10_000 */
  timeoutMs?: number;
  /** Extra environment variables for the command. */
  env?: Record<string, string>;
}

/** Options of {@link Runtime} creation. */
export interface RuntimeOptions {
  /** Sandbox workers, which is also the number of concurrent executions. @default CPU count */
  poolSize?: number;
  /** Node limits; requests may only lower them. */
  limits?: Partial<RunLimits>;
  /** @default silentLogger */
  logger?: Logger;
  /** Folder of external CGI extensions, probed once at start. */
  extensionsDir?: string;
  /** The built-in inference extension. @default `python3 main.py` in the current folder */
  inference?: InferenceOptions;
  /** Node allowlist of URL prefixes for `blockless_http`; empty or unset allows what requests permit. */
  httpAllow?: string[];
  /** Extra node environment variable names that extensions inherit (`*` as a suffix wildcard). */
  envAllow?: string[];
}

/** The worker runtime: a pool of sandboxes that run node functions. */
export interface Runtime {
  /**
   * Runs one execution. Resolves with the result for every guest outcome, including limits;
   * rejects only when `signal` aborts or the runtime is closed.
   */
  run(request: RunRequest, options?: { signal?: AbortSignal }): Promise<RunResult>;
  /**
   * Checks that `bytes` is a WebAssembly module whose imports the runtime provides and whose
   * initial memory fits the node's memory cap. Used by the function store at install time.
   */
  validateModule(bytes: Uint8Array): { ok: true } | { ok: false; reason: string };
  /** Terminates the sandboxes, kills extension processes and rejects queued runs. */
  close(): Promise<void>;
}
