/**
 * One execution inside a sandbox worker: a fresh Instance with fresh WASI and host state, the
 * entry call, and the mapping of how it ended to an exit code.
 *
 * @module
 */
import { type WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import type { BrokerClient } from "./broker.ts";
import { WASM_PAGE_BYTES } from "./constants.ts";
import { ExitCode } from "./errno.ts";
import { cgiImports } from "./host/cgi_imports.ts";
import { GuestMemory } from "./host/guest_memory.ts";
import { httpImports } from "./host/http_imports.ts";
import { memoryImports, type Warn } from "./host/memory.ts";
import { stubImports } from "./host/stubs.ts";
import type { OutputRegions } from "./output_buffer.ts";
import type { ResultMessage, RunMessage } from "./protocol.ts";
import { classifyTrap } from "./trap.ts";
import { createWasi, type OutputSink } from "./wasi.ts";

/** State a sandbox worker keeps between executions. */
export interface SandboxContext {
  broker: BrokerClient;
  cgiList: Uint8Array;
  output: OutputRegions;
  warn: Warn;
}

type Outcome = Pick<ResultMessage, "exitCode" | "error">;
type Exports = WebAssembly.Exports & { memory?: WebAssembly.Memory };

const encoder = new TextEncoder();

/** Runs `job` to completion and returns its result message. */
export function runInSandbox(job: RunMessage, context: SandboxContext): ResultMessage {
  // Fresh state for every call: WASI fds, output sinks, host handle tables and the instance.
  const memory = new GuestMemory();
  const { wasi, stdout, stderr } = createWasi({
    args: job.args,
    environ: job.environ,
    stdin: job.stdin,
    output: context.output,
    stdoutBytes: job.stdoutBytes,
    stderrBytes: job.stderrBytes,
  });
  const imports: WebAssembly.Imports = {
    ...stubImports(job.stubs),
    wasi_snapshot_preview1: wasi.wasiImport as WebAssembly.ModuleImports,
    blockless_memory: memoryImports(
      memory,
      { stdin: job.stdin, envJson: encoder.encode(job.envJson) },
      context.warn,
    ),
    blockless_http: httpImports(memory, context.broker),
    blockless_cgi: cgiImports(memory, context.broker, context.cgiList),
  };

  let outcome: Outcome;
  let instance: WebAssembly.Instance | undefined;
  try {
    instance = new WebAssembly.Instance(job.module, imports);
    memory.bind((instance.exports as Exports).memory);
    outcome = { exitCode: callEntry(wasi, instance, job.entry) };
  } catch (error) {
    outcome = instance === undefined && error instanceof WebAssembly.LinkError
      ? invalid(`Cannot link module: ${error.message}`)
      : failure(error, stdout, stderr);
  }

  return {
    type: "result",
    runId: job.runId,
    ...checkMemoryCap(outcome, memory.byteLength, job.memoryPages),
    memoryBytes: memory.byteLength,
  };
}

/** Calls the entry export and returns the exit code: 0 on return, n on `proc_exit(n)`. */
function callEntry(wasi: WASI, instance: WebAssembly.Instance, entry: string): number {
  const exports = instance.exports as Exports;
  if (entry === "_start") {
    return wasi.start(instance as Parameters<WASI["start"]>[0]);
  }

  // Reactor modules set up their runtime in _initialize before any other export is called.
  wasi.inst = instance as WASI["inst"];
  try {
    if (typeof exports._initialize === "function") (exports._initialize as () => void)();
    (exports[entry] as () => unknown)();
    return ExitCode.SUCCESS;
  } catch (error) {
    if (error instanceof WASIProcExit) return error.code;
    throw error;
  }
}

function failure(error: unknown, stdout: OutputSink, stderr: OutputSink): Outcome {
  // An output limit wins over whatever the guest did after being stopped.
  for (const sink of [stdout, stderr]) {
    if (sink.exceeded) {
      const message = error instanceof Error ? error.message : String(error);
      return { exitCode: ExitCode.LIMIT_EXCEEDED, error: { kind: "output", message } };
    }
  }
  const trap = classifyTrap(error);
  return { exitCode: trap.exitCode, error: { kind: "trap", message: trap.message } };
}

function invalid(message: string): Outcome {
  return { exitCode: ExitCode.INVALID_MODULE, error: { kind: "invalid", message } };
}

/**
 * Reports a failed run as a memory-limit failure when the memory could not have doubled
 * within the cap.
 *
 * NOTE: V8 gives no hook on `memory.grow`, so a failed grow is inferred. A guest that traps or
 * exits non-zero while using more than half its cap is assumed to have hit the cap, because
 * growth by doubling (AssemblyScript's allocator) fails there. A guest that fails for another
 * reason while using that much memory is reported the same way, with the original outcome in
 * the message.
 */
function checkMemoryCap(outcome: Outcome, memoryBytes: number, capPages: number): Outcome {
  const failed = outcome.exitCode !== ExitCode.SUCCESS &&
    (outcome.error === undefined || outcome.error.kind === "trap");
  const pages = memoryBytes / WASM_PAGE_BYTES;
  if (!failed || pages * 2 <= capPages) return outcome;

  const original = outcome.error === undefined
    ? `exit code ${outcome.exitCode}`
    : `trap ${outcome.exitCode}: ${outcome.error.message}`;
  return {
    exitCode: ExitCode.LIMIT_EXCEEDED,
    error: {
      kind: "memory",
      message: `Guest failed (${original}) using ${pages} of its ${capPages} memory pages; ` +
        `a memory.grow past the limit fails`,
    },
  };
}
