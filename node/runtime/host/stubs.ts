/**
 * Stub import objects for the bls-runtime modules we do not implement (IPFS, S3, sockets,
 * drivers). Every function returns the module's runtime-error errno, so a module that imports
 * them but does not call them runs normally.
 *
 * @module
 */
import { STUB_RUNTIME_ERRNO } from "../errno.ts";
import type { StubImport } from "../host_modules.ts";

/** Builds one import object per stubbed module that `stubs` names. */
export function stubImports(stubs: readonly StubImport[]): WebAssembly.Imports {
  const imports: WebAssembly.Imports = {};
  for (const { module, name } of stubs) {
    const errno = STUB_RUNTIME_ERRNO[module] ?? 2;
    imports[module] ??= {};
    imports[module][name] = () => errno;
  }
  return imports;
}
