/**
 * Limits and sizes of the worker runtime. Every number carries its unit in its name.
 *
 * @module
 */

/** Size of one WebAssembly linear-memory page. */
export const WASM_PAGE_BYTES = 65_536;
/** Largest memory a wasm32 module can address: 4 GiB. */
export const WASM32_MAX_PAGES = 65_536;

/** Wall-clock limit of one execution; below the head's 20 s execution timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Linear-memory cap: 4096 pages are 256 MiB. */
export const DEFAULT_MEMORY_PAGES = 4_096;
/** Captured guest stdout; the guest is stopped when it writes more. */
export const DEFAULT_STDOUT_BYTES = 1_048_576;
/** Captured guest stderr; the guest is stopped when it writes more. */
export const DEFAULT_STDERR_BYTES = 262_144;

/** Largest request stdin the runtime accepts. */
export const MAX_STDIN_BYTES = 1_048_576;
/** Largest env JSON (`env_var_read` output) the runtime accepts. */
export const MAX_ENV_JSON_BYTES = 65_536;

/** Compiled modules kept in memory, keyed by content hash and memory cap. */
export const MODULE_CACHE_ENTRIES = 32;

/** Host HTTP: requests per execution. */
export const HTTP_MAX_REQUESTS = 16;
/** Host HTTP: response body cap. */
export const HTTP_MAX_BODY_BYTES = 10 * 1_048_576;
/** Host HTTP: upper bound for the guest's connect and read timeouts. */
export const HTTP_MAX_TIMEOUT_MS = 30_000;
/** Host HTTP: timeout used when the guest gives none (the SDK default). */
export const HTTP_DEFAULT_TIMEOUT_MS = 30_000;

/** CGI: time an extension gets to respond to `--ext_verify`. */
export const CGI_VERIFY_TIMEOUT_MS = 5_000;
/** CGI: cap of each captured extension stream (stdout, stderr). */
export const CGI_STREAM_BYTES = 1_048_576;
/** CGI: extensions one execution may have open at once. */
export const CGI_MAX_OPEN = 16;
/** CGI: cap of what a guest may write to one extension's stdin. */
export const CGI_STDIN_BYTES = 1_048_576;
/** CGI: time the built-in inference extension gives the inference command. */
export const INFER_TIMEOUT_MS = 10_000;
/** CGI: tail of the script's stderr quoted in the error JSON of a failed run. */
export const INFER_STDERR_TAIL_BYTES = 1_024;

/**
 * Broker: bytes a single host-call reply can carry. Larger reads are split into several calls
 * by the sandbox side, so this only sets the number of round trips.
 */
export const BROKER_WINDOW_BYTES = 262_144;

/** Names of node environment variables that extensions may inherit. */
export const EXTENSION_ENV_ALLOW = ["PATH", "HOME", "LANG", "TZ", "LC_*"];
