/**
 * The worker runtime: resolves limits, compiles modules once, builds the per-execution host
 * state and hands each execution to the sandbox pool.
 *
 * @module
 */
import { type Logger, silentLogger } from "../log.ts";
import {
  DEFAULT_MEMORY_PAGES,
  DEFAULT_STDERR_BYTES,
  DEFAULT_STDOUT_BYTES,
  DEFAULT_TIMEOUT_MS,
  EXTENSION_ENV_ALLOW,
  INFER_TIMEOUT_MS,
  MAX_ENV_JSON_BYTES,
  MAX_STDIN_BYTES,
  MODULE_CACHE_ENTRIES,
  WASM32_MAX_PAGES,
} from "./constants.ts";
import { ExitCode } from "./errno.ts";
import { ExecutionHost } from "./execution_host.ts";
import { alloraInferEntry } from "./host/allora_infer.ts";
import { CgiSession } from "./host/cgi.ts";
import { buildRegistry, type CgiRegistry } from "./host/cgi_registry.ts";
import { addRequestEnv, allowedNodeEnv } from "./host/extension_env.ts";
import { HttpSession } from "./host/http.ts";
import { ModuleCache, ModuleError } from "./module_cache.ts";
import { type PoolOutcome, SandboxPool } from "./pool.ts";
import { buildRequestEnv } from "./request_env.ts";
import { checkModule } from "./validate.ts";
import type {
  RunErrorKind,
  RunLimits,
  RunRequest,
  RunResult,
  Runtime,
  RuntimeOptions,
} from "./types.ts";

const encoder = new TextEncoder();

/** Settings fixed when the runtime starts. */
interface RuntimeSettings {
  limits: RunLimits;
  logger: Logger;
  registry: CgiRegistry;
  /** Allowlisted node variables for extensions. */
  extensionEnv: Record<string, string>;
  inference: { command: string[]; cwd: string; timeoutMs: number; env: Record<string, string> };
  httpAllow: string[];
}

/**
 * Starts the sandbox pool and probes the CGI extensions.
 *
 * @throws {Error} "Cannot start sandbox worker: …" when the sandbox module cannot load
 *
 * @example
 * ```ts
 * const inference = { command: ["python3", "main.py"], cwd: "." };
 * const runtime = await createRuntime({ poolSize: 2, inference });
 * const result = await runtime.run({
 *   requestId: "r1", module: { path: "fn.wasm" }, method: "fn.wasm", args: [], env: [],
 *   stdin: "", permissions: [],
 * });
 * await runtime.close();
 * ```
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? silentLogger;
  const limits: RunLimits = {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    memoryPages: DEFAULT_MEMORY_PAGES,
    stdoutBytes: DEFAULT_STDOUT_BYTES,
    stderrBytes: DEFAULT_STDERR_BYTES,
    ...validLimits(options.limits),
  };
  // wasm32 addresses at most 65536 pages (4 GiB); a larger maximum does not compile.
  limits.memoryPages = Math.min(limits.memoryPages, WASM32_MAX_PAGES);
  const inference = {
    command: options.inference?.command ?? ["python3", "main.py"],
    cwd: options.inference?.cwd ?? Deno.cwd(),
    timeoutMs: options.inference?.timeoutMs ?? INFER_TIMEOUT_MS,
    env: options.inference?.env ?? {},
  };
  const extensionEnv = allowedNodeEnv([...EXTENSION_ENV_ALLOW, ...(options.envAllow ?? [])]);
  const registry = await buildRegistry({
    extensionsDir: options.extensionsDir,
    builtins: [alloraInferEntry(inference.command)],
    env: extensionEnv,
    logger,
  });

  const pool = new SandboxPool({
    size: options.poolSize ?? navigator.hardwareConcurrency,
    cgiList: registry.listJson,
    outputBytes: { stdout: limits.stdoutBytes, stderr: limits.stderrBytes },
    logger,
  });
  try {
    await pool.ready();
  } catch (error) {
    pool.close();
    throw error;
  }
  logger.info("runtime started", { workers: options.poolSize ?? navigator.hardwareConcurrency });

  const settings = {
    limits,
    logger,
    registry,
    extensionEnv,
    inference,
    httpAllow: options.httpAllow ?? [],
  };
  return new WorkerRuntime(settings, pool);
}

class WorkerRuntime implements Runtime {
  readonly #settings: RuntimeSettings;
  readonly #pool: SandboxPool;
  readonly #cache = new ModuleCache(MODULE_CACHE_ENTRIES);

  constructor(settings: RuntimeSettings, pool: SandboxPool) {
    this.#settings = settings;
    this.#pool = pool;
  }

  async run(request: RunRequest, options: { signal?: AbortSignal } = {}): Promise<RunResult> {
    const logger = this.#settings.logger.child({ request_id: request.requestId });
    const limits = lowerLimits(this.#settings.limits, request.limits);

    // Check the input, then load the module (compiled once per content and memory cap).
    const stdin = encoder.encode(request.stdin);
    const env = buildRequestEnv(request.env);
    const inputProblem = checkInputSizes(stdin.length, encoder.encode(env.json).length);
    if (inputProblem !== undefined) {
      return failed(ExitCode.LIMIT_EXCEEDED, "invalid", inputProblem, logger);
    }
    let compiled;
    try {
      compiled = await this.#cache.load(request.module, limits.memoryPages);
    } catch (error) {
      if (!(error instanceof ModuleError)) throw error;
      const code = error.kind === "memory" ? ExitCode.LIMIT_EXCEEDED : ExitCode.INVALID_MODULE;
      return failed(code, error.kind, error.message, logger);
    }
    const entry = request.entry ?? "_start";
    if (!compiled.functions.has(entry)) {
      const message = `Cannot run module: it exports no function "${entry}"`;
      return failed(ExitCode.INVALID_MODULE, "invalid", message, logger);
    }

    // Host state of this execution, released whatever the outcome.
    const host = this.#createHost(request, env.vars, logger);
    try {
      const outcome = await this.#pool.execute({
        message: {
          module: compiled.module,
          stubs: compiled.stubs,
          entry,
          args: [request.method, ...request.args],
          environ: env.environ,
          envJson: env.json,
          stdin,
          memoryPages: limits.memoryPages,
          stdoutBytes: limits.stdoutBytes,
          stderrBytes: limits.stderrBytes,
        },
        host,
        timeoutMs: limits.timeoutMs,
        signal: options.signal,
      });
      return toResult(outcome, limits, logger);
    } finally {
      await host.close();
    }
  }

  validateModule(bytes: Uint8Array): { ok: true } | { ok: false; reason: string } {
    return checkModule(bytes, this.#settings.limits.memoryPages);
  }

  close(): Promise<void> {
    // Runs still in flight reject and kill their extension processes in their own cleanup.
    this.#pool.close();
    this.#settings.logger.info("runtime stopped");
    return Promise.resolve();
  }

  #createHost(request: RunRequest, vars: Map<string, string>, logger: Logger): ExecutionHost {
    const { registry, extensionEnv, inference, httpAllow } = this.#settings;
    const abort = new AbortController();
    const http = new HttpSession({
      permissions: request.permissions,
      allow: httpAllow,
      logger,
      signal: abort.signal,
    });
    const { env, skipped } = addRequestEnv(extensionEnv, vars);
    if (skipped.length > 0) {
      logger.debug("request variables kept from extensions", { names: skipped.join(",") });
    }
    const cgi = new CgiSession({
      registry,
      env,
      inference,
      logger,
    });
    return new ExecutionHost({ http, cgi, abort }, logger);
  }
}

/** Returns the positive, finite values of `values`, rounded down to whole numbers. */
function validLimits(values: Partial<RunLimits> | undefined): Partial<RunLimits> {
  const valid: Partial<RunLimits> = {};
  for (const [key, value] of Object.entries(values ?? {}) as [keyof RunLimits, unknown][]) {
    if (typeof value === "number" && Number.isFinite(value) && value >= 1) {
      valid[key] = Math.floor(value);
    }
  }
  return valid;
}

/** Returns `base` with each valid value of `lower` applied where it is lower. */
function lowerLimits(base: RunLimits, lower: Partial<RunLimits> | undefined): RunLimits {
  const limits = { ...base };
  for (const [key, value] of Object.entries(validLimits(lower)) as [keyof RunLimits, number][]) {
    limits[key] = Math.min(limits[key], value);
  }
  return limits;
}

function checkInputSizes(stdinBytes: number, envJsonBytes: number): string | undefined {
  if (stdinBytes > MAX_STDIN_BYTES) {
    return `Cannot run request: stdin is ${stdinBytes} bytes, above the ${MAX_STDIN_BYTES}-byte limit`;
  }
  if (envJsonBytes > MAX_ENV_JSON_BYTES) {
    return `Cannot run request: the environment JSON is ${envJsonBytes} bytes, above the ` +
      `${MAX_ENV_JSON_BYTES}-byte limit`;
  }
  return undefined;
}

function toResult(outcome: PoolOutcome, limits: RunLimits, logger: Logger): RunResult {
  const { stdout, stderr, wallClockNs } = outcome;
  const usage = { wallClockNs, memoryMaxKb: 0 };
  if (outcome.type === "timeout") {
    logger.warn("execution timed out", { timeoutMs: limits.timeoutMs });
    const message = `Execution timed out after ${limits.timeoutMs} ms`;
    return {
      exitCode: ExitCode.TIMEOUT,
      stdout,
      stderr,
      usage,
      error: { kind: "timeout", message },
    };
  }
  if (outcome.type === "crash") {
    const message = `Sandbox worker crashed: ${outcome.message}`;
    return {
      exitCode: ExitCode.OTHER_TRAP,
      stdout,
      stderr,
      usage,
      error: { kind: "internal", message },
    };
  }

  const { exitCode, error, memoryBytes } = outcome.result;
  if (error !== undefined) logger.debug("execution failed", { exitCode, kind: error.kind });
  usage.memoryMaxKb = memoryBytes / 1024;
  return { exitCode, stdout, stderr, usage, error };
}

function failed(exitCode: number, kind: RunErrorKind, message: string, logger: Logger): RunResult {
  logger.warn("execution rejected", { exitCode, error: message });
  return {
    exitCode,
    stdout: "",
    stderr: "",
    usage: { wallClockNs: 0, memoryMaxKb: 0 },
    error: { kind, message },
  };
}
