/**
 * The install-time check of a module: valid WebAssembly, only provided imports, and an
 * initial memory within the node's cap.
 *
 * @module
 */
import { checkImports } from "./host_modules.ts";
import { capMemory, MalformedModuleError, MemoryLimitError } from "./memory_limit.ts";

/** Checks `bytes` as a node-function module for a node with a `capPages` memory cap. */
export function checkModule(
  bytes: Uint8Array,
  capPages: number,
): { ok: true } | { ok: false; reason: string } {
  const source = bytes as Uint8Array<ArrayBuffer>;
  if (!WebAssembly.validate(source)) {
    return { ok: false, reason: "not a valid WebAssembly module" };
  }
  try {
    capMemory(bytes, capPages);
  } catch (error) {
    if (error instanceof MemoryLimitError || error instanceof MalformedModuleError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }

  // Compilation is lazy in V8, so this parses the module without compiling function bodies.
  const check = checkImports(new WebAssembly.Module(source));
  return check.ok ? { ok: true } : { ok: false, reason: `the module ${check.reason}` };
}
