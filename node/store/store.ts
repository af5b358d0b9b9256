/**
 * The function store of a worker: finds installed functions and installs missing ones from
 * local sources, a manifest URL or the gateway, one install at a time per CID.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { type Logger, silentLogger } from "../log.ts";
import {
  ARCHIVE_TIMEOUT_MS,
  DEFAULT_GATEWAY,
  FUNCTION_ID_REGEXP,
  FUNCTIONS_DIR,
  MANIFEST_TIMEOUT_MS,
  MAX_ARCHIVE_BYTES,
  MAX_ARCHIVE_ENTRIES,
  MAX_MANIFEST_BYTES,
  MAX_METHOD_BYTES,
  MAX_UNPACKED_BYTES,
  STALE_TEMP_MS,
  TEMP_PREFIX,
} from "./constants.ts";
import { InstallError, MethodError } from "./errors.ts";
import { type InstallContext, installPackage, type ModuleCheck } from "./install.ts";
import { readLocalPackage } from "./local.ts";
import { type InstalledFunction, readInstalled } from "./record.ts";
import {
  fetchPackage,
  type FunctionSource,
  type PackageBytes,
  type ReadContext,
  readFromSource,
} from "./sources.ts";

/** Size and time limits of installs. */
export interface StoreLimits {
  /** @default 1 MiB */
  maxManifestBytes: number;
  /** @default 64 MiB */
  maxArchiveBytes: number;
  /** @default 256 MiB */
  maxUnpackedBytes: number;
  /** @default 1000 */
  maxEntries: number;
  /** @default 10_000 */
  manifestTimeoutMs: number;
  /** @default 60_000 */
  archiveTimeoutMs: number;
}

/** Options of {@link createFunctionStore}. */
export interface StoreOptions {
  /** Worker workspace; functions go to `<workspace>/functions/<cid>/`. */
  workspace: string;
  /**
   * Manifest URL template with `{cid}`. An empty string turns network installs by CID off.
   * @default DEFAULT_GATEWAY
   */
  gateway?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default silentLogger */
  logger?: Logger;
  /**
   * The runtime's check, run on every `.wasm` file after unpacking.
   * @default WebAssembly.validate
   */
  validateModule?: (bytes: Uint8Array) => ModuleCheck;
  /** Local providers tried in order before the gateway. @default [] */
  sources?: FunctionSource[];
  limits?: Partial<StoreLimits>;
  /** Whether an id that is a dag-pb CID must match the package folder's CID. @default true */
  verifyCid?: boolean;
}

/** An install request: by CID (optionally from a given manifest URL) or from a local path. */
export type InstallRequest =
  | { cid: string; manifestUrl?: string }
  | { cid?: string; path: string };

/** Options of one store call. */
export interface CallOptions {
  /** Stops waiting; an install shared with other callers keeps running for them. */
  signal?: AbortSignal;
}

/** Installed functions of one workspace. */
export interface FunctionStore {
  /** Returns the installed function, or undefined when it is missing or incomplete. */
  get(cid: string): Promise<InstalledFunction | undefined>;
  /** Installs a function, or returns it when it is already installed. */
  install(request: InstallRequest, options?: CallOptions): Promise<InstalledFunction>;
  /** Returns the installed function, installing it from the sources or gateway first if needed. */
  ensure(cid: string, options?: CallOptions): Promise<InstalledFunction>;
  /**
   * Returns the path of the module `method` names.
   *
   * @throws {MethodError} when `method` is not a single file name or names no file of `fn`
   */
  modulePath(fn: InstalledFunction, method: string): string;
}

const DEFAULT_LIMITS: StoreLimits = {
  maxManifestBytes: MAX_MANIFEST_BYTES,
  maxArchiveBytes: MAX_ARCHIVE_BYTES,
  maxUnpackedBytes: MAX_UNPACKED_BYTES,
  maxEntries: MAX_ARCHIVE_ENTRIES,
  manifestTimeoutMs: MANIFEST_TIMEOUT_MS,
  archiveTimeoutMs: ARCHIVE_TIMEOUT_MS,
};

/** Creates the function store of a workspace. */
export function createFunctionStore(options: StoreOptions): FunctionStore {
  const {
    gateway = DEFAULT_GATEWAY,
    fetch = globalThis.fetch,
    logger = silentLogger,
    validateModule = defaultValidateModule,
    sources = [],
    verifyCid = true,
  } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const functionsDir = join(resolve(options.workspace), FUNCTIONS_DIR);
  const installContext: InstallContext = {
    functionsDir,
    limits,
    validateModule,
    verifyCid,
    logger,
  };
  const readContext: ReadContext = { fetch, ...limits };
  const running = new Map<string, Promise<InstalledFunction>>();
  let tempSwept = false;

  const get = async (cid: string) =>
    FUNCTION_ID_REGEXP.test(cid) ? await readInstalled(join(functionsDir, cid)) : undefined;

  // Runs `task` unless an install of `cid` is already running, and lets each caller stop
  // waiting on its own signal.
  const once = (
    cid: string,
    signal: AbortSignal | undefined,
    task: () => Promise<InstalledFunction>,
  ) => {
    let shared = running.get(cid);
    if (shared === undefined) {
      shared = (async () => {
        if (!tempSwept) {
          tempSwept = true;
          await sweepTemp(functionsDir, logger);
        }
        return (await get(cid)) ?? (await logged(cid, logger, task));
      })().finally(() => running.delete(cid));
      running.set(cid, shared);
    }
    return withSignal(shared, signal);
  };

  // A given manifest URL is used as is; otherwise local sources come before the gateway.
  const readPackage = async (cid: string, manifestUrl?: string): Promise<PackageBytes> => {
    if (manifestUrl !== undefined) return await fetchPackage(manifestUrl, cid, readContext);
    for (const source of sources) {
      const bytes = await readFromSource(source, cid, readContext);
      if (bytes !== undefined) return bytes;
    }
    return await fetchPackage(gatewayUrl(gateway, cid), cid, readContext);
  };

  const install = async (request: InstallRequest, callOptions: CallOptions = {}) => {
    if ("path" in request) {
      if (request.cid !== undefined) checkId(request.cid);
      const local = await readLocalPackage(request.path, request.cid, limits);
      return await once(
        local.cid,
        callOptions.signal,
        () => installPackage(local.cid, local.bytes, local.computed, installContext),
      );
    }
    checkId(request.cid);
    return await once(request.cid, callOptions.signal, async () => {
      const bytes = await readPackage(request.cid, request.manifestUrl);
      return await installPackage(request.cid, bytes, false, installContext);
    });
  };

  return {
    get,
    install,
    ensure: async (cid, options) => (await get(cid)) ?? (await install({ cid }, options)),
    modulePath: modulePathOf,
  };
}

/** Validates `method` as one file of `fn` and returns its path. */
function modulePathOf(fn: InstalledFunction, method: string): string {
  const invalid = method === "" || method === "." || method === ".." || /[\\/\0]/.test(method) ||
    new TextEncoder().encode(method).byteLength > MAX_METHOD_BYTES;
  if (invalid) {
    throw new MethodError(
      "invalid",
      fn.cid,
      method,
      `Cannot run method "${method}" of ${fn.cid}: a method is a single file name, ` +
        `without "/", "\\", ".." or NUL, of at most ${MAX_METHOD_BYTES} bytes`,
    );
  }
  if (!fn.files.includes(method)) {
    throw new MethodError(
      "missing",
      fn.cid,
      method,
      `Cannot run method "${method}" of ${fn.cid}: no such file; it has ${fn.files.join(", ")}`,
    );
  }
  return join(fn.dir, method);
}

function checkId(cid: string): void {
  if (!FUNCTION_ID_REGEXP.test(cid)) {
    throw new InstallError(
      "invalid-cid",
      cid,
      `Cannot install function "${cid}": an id has 1 to 128 letters, digits, ".", "_" or "-"`,
    );
  }
}

function gatewayUrl(template: string, cid: string): string {
  if (template === "") {
    throw new InstallError(
      "not-found",
      cid,
      `Cannot install ${cid}: no local source has it and the gateway is turned off`,
    );
  }
  return template.replaceAll("{cid}", cid);
}

async function logged(
  cid: string,
  logger: Logger,
  task: () => Promise<InstalledFunction>,
): Promise<InstalledFunction> {
  const started = Date.now();
  logger.info("installing function", { cid });
  try {
    const installed = await task();
    logger.info("function installed", {
      cid,
      files: installed.files.length,
      ms: Date.now() - started,
    });
    return installed;
  } catch (error) {
    logger.error("function install failed", { cid, error });
    throw error;
  }
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolvePromise, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

// Temporary folders older than STALE_TEMP_MS belong to installs that crashed; younger ones
// may belong to another process installing into the same workspace.
async function sweepTemp(functionsDir: string, logger: Logger): Promise<void> {
  try {
    for await (const entry of Deno.readDir(functionsDir)) {
      if (!entry.isDirectory || !entry.name.startsWith(TEMP_PREFIX)) continue;
      const path = join(functionsDir, entry.name);
      const { mtime } = await Deno.stat(path);
      if (mtime !== null && Date.now() - mtime.getTime() > STALE_TEMP_MS) {
        await Deno.remove(path, { recursive: true });
        logger.info("removed abandoned install folder", { path });
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      logger.warn("cannot sweep abandoned install folders", { dir: functionsDir, error });
    }
  }
}

function defaultValidateModule(bytes: Uint8Array): ModuleCheck {
  return WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)
    ? { ok: true }
    : { ok: false, reason: "not a valid WebAssembly module" };
}
