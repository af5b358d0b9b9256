/**
 * The import modules the runtime provides, and the check that a module imports nothing else.
 * Used at install time (`validateModule`) and before each first run of a module.
 *
 * @module
 */
import { WASI } from "@bjorn3/browser_wasi_shim";

/** Function names of `wasi_snapshot_preview1` that the WASI shim implements. */
const WASI_FUNCTIONS: readonly string[] = Object.keys(
  new WASI([], [], [], { debug: false }).wasiImport,
);

/** Host modules whose functions are implemented, with their function names. */
export const HOST_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  wasi_snapshot_preview1: WASI_FUNCTIONS,
  blockless_memory: ["memory_read", "env_var_read"],
  blockless_http: ["http_req", "http_read_header", "http_read_body", "http_close"],
  blockless_cgi: [
    "cgi_list_exec",
    "cgi_list_read",
    "cgi_open",
    "cgi_stdin_write",
    "cgi_stdout_read",
    "cgi_stderr_read",
    "cgi_close",
  ],
};

/**
 * Modules of bls-runtime that we do not implement. Any function imported from them is linked
 * to a stub returning a runtime-error errno, so modules that import but never call them run.
 */
export const STUB_MODULES: readonly string[] = [
  "blockless_ipfs",
  "blockless_s3",
  "blockless_socket",
  "blockless_drivers",
];

/** A function import to be served by a stub. */
export interface StubImport {
  module: string;
  name: string;
}

/** Result of {@link checkImports}. */
export type ImportCheck =
  | { ok: true; stubs: StubImport[] }
  | { ok: false; reason: string };

/** Checks every import of `module` against the provided host modules. */
export function checkImports(module: WebAssembly.Module): ImportCheck {
  const stubs: StubImport[] = [];
  for (const { module: name, name: field, kind } of WebAssembly.Module.imports(module)) {
    const where = `"${name}.${field}"`;
    if (kind !== "function") {
      return { ok: false, reason: `imports ${kind} ${where}, but only functions are provided` };
    }
    if (STUB_MODULES.includes(name)) {
      stubs.push({ module: name, name: field });
      continue;
    }
    const functions = Object.hasOwn(HOST_FUNCTIONS, name) ? HOST_FUNCTIONS[name] : undefined;
    if (functions === undefined) {
      return { ok: false, reason: `imports ${where} from unknown module "${name}"` };
    }
    if (!functions.includes(field)) {
      return { ok: false, reason: `imports ${where}, which module "${name}" does not provide` };
    }
  }
  return { ok: true, stubs };
}
