/**
 * The worker runtime: runs node functions (WASI preview1 modules with the Blockless host
 * extensions) in a pool of permissionless sandbox workers, with wall-clock, memory and output
 * limits. See docs/runtime.md for limits, host modules and exit codes.
 *
 * @module
 */
export { createRuntime } from "./runtime.ts";
export { ExitCode } from "./errno.ts";
export { PoolClosedError } from "./pool.ts";
export { ALLORA_INFER_ALIAS, parseInferRequest } from "./host/allora_infer.ts";
export type {
  InferenceOptions,
  RunErrorKind,
  RunLimits,
  RunRequest,
  RunResult,
  Runtime,
  RuntimeOptions,
} from "./types.ts";
