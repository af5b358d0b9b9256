/**
 * The function store: installs node functions (manifest, archive, CID check, safe unpack,
 * module validation) into a worker workspace, and packs functions with real content
 * addresses. See docs/functions.md for the package layout and the install rules.
 *
 * @example
 * ```ts
 * const store = createFunctionStore({
 *   workspace: "data/worker",
 *   sources: [{ kind: "directory", path: "functions" }],
 * });
 * const fn = await store.ensure(cid);
 * const wasmPath = store.modulePath(fn, "allora-inference-function.wasm");
 * ```
 *
 * @module
 */
export {
  type CallOptions,
  createFunctionStore,
  type FunctionStore,
  type InstallRequest,
  type StoreLimits,
  type StoreOptions,
} from "./store.ts";
export { InstallError, type InstallErrorCode, MethodError } from "./errors.ts";
export type { InstalledFunction } from "./record.ts";
export type { ModuleCheck } from "./install.ts";
export type { Manifest, ManifestMethod } from "./manifest.ts";
export type { FunctionSource } from "./sources.ts";
export { type FunctionPackage, type FunctionSpec, packFunction, sha256Hex } from "./package.ts";
export { type CidOptions, type CidVersion, computeDirectoryCid, computeFileCid } from "./cid.ts";
export { DEFAULT_GATEWAY } from "./constants.ts";
