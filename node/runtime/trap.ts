/**
 * Maps what a guest throws to the exit codes of bls-runtime (wasmtime trap kinds), using the
 * messages of V8 15 (Deno 2.9). Unknown messages become 13, "other trap".
 *
 * @module
 */
import { ExitCode } from "./errno.ts";

/** A trap with its exit code and a one-line description. */
export interface TrapInfo {
  exitCode: number;
  message: string;
}

// V8 trap messages (src/common/message-template.h, kTrap*), first match wins.
const TRAP_PATTERNS: [RegExp, number][] = [
  [/memory access out of bounds|data segment out of bounds/i, ExitCode.MEMORY_OUT_OF_BOUNDS],
  [
    /table index is out of bounds|invalid index into function table|table access out of bounds/i,
    ExitCode.TABLE_OUT_OF_BOUNDS,
  ],
  [/dereferencing a null pointer|null function(?! or)/i, ExitCode.NULL_INDIRECT_CALL],
  [/signature mismatch|null function or function signature mismatch/i, ExitCode.SIGNATURE_MISMATCH],
  [/divide result unrepresentable|integer overflow/i, ExitCode.INTEGER_OVERFLOW],
  [/divide by zero|remainder by zero/i, ExitCode.DIVIDE_BY_ZERO],
  [/float unrepresentable in integer range|invalid conversion/i, ExitCode.INVALID_CONVERSION],
  [/unreachable/i, ExitCode.UNREACHABLE],
];

/** Classifies an error thrown out of the guest's entry function. */
export function classifyTrap(error: unknown): TrapInfo {
  if (error instanceof RangeError && /call stack size/i.test(error.message)) {
    return { exitCode: ExitCode.STACK_OVERFLOW, message: "stack overflow" };
  }
  if (error instanceof WebAssembly.RuntimeError) {
    const match = TRAP_PATTERNS.find(([pattern]) => pattern.test(error.message));
    return {
      exitCode: match?.[1] ?? ExitCode.OTHER_TRAP,
      message: `${error.message}${wasmFrame(error)}`,
    };
  }
  // A host import threw (for example an unsupported WASI socket call), which wasmtime reports
  // as a trap as well.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { exitCode: ExitCode.OTHER_TRAP, message };
}

/** Returns " at wasm-function[N]:0xOFF" from the stack, or "". */
function wasmFrame(error: Error): string {
  const frame = error.stack?.match(/wasm-function\[\d+\]:0x[0-9a-f]+/i);
  return frame ? ` at ${frame[0]}` : "";
}
