/**
 * `blockless_memory`: the request stdin and the env JSON, copied into a guest buffer.
 *
 * bls-runtime v0.3.1 panics when the source is longer than the buffer. Here each call copies
 * min(length, buf_len) bytes from the start and reports the count, and a truncation is logged
 * once per execution.
 *
 * @module
 */
import { MemoryErrno } from "../errno.ts";
import type { GuestMemory } from "./guest_memory.ts";

/** Receives a warning for the worker log. */
export type Warn = (message: string, fields: Record<string, unknown>) => void;

/** Builds the `blockless_memory` import object. */
export function memoryImports(
  memory: GuestMemory,
  sources: { stdin: Uint8Array; envJson: Uint8Array },
  warn: Warn,
): WebAssembly.ModuleImports {
  const warned = new Set<string>();

  function copy(name: string, source: Uint8Array, buf: number, bufLen: number, numPtr: number) {
    const count = Math.min(source.length, bufLen >>> 0);
    if (!memory.write(buf, source.subarray(0, count))) return MemoryErrno.INVALID_PARAMETER;
    if (!memory.writeU32(numPtr, count)) return MemoryErrno.INVALID_PARAMETER;
    if (count < source.length && !warned.has(name)) {
      warned.add(name);
      warn(`${name} truncated its output to the guest buffer`, {
        bytes: source.length,
        buffer: bufLen >>> 0,
      });
    }
    return MemoryErrno.SUCCESS;
  }

  return {
    memory_read: (buf: number, bufLen: number, numPtr: number) =>
      copy("memory_read", sources.stdin, buf, bufLen, numPtr),
    env_var_read: (buf: number, bufLen: number, numPtr: number) =>
      copy("env_var_read", sources.envJson, buf, bufLen, numPtr),
  };
}
