/**
 * Loads, caps and compiles node-function modules once, keeping the compiled
 * `WebAssembly.Module` in an LRU cache keyed by the SHA-256 of the bytes and the memory cap.
 *
 * @module
 */
import { checkImports, type StubImport } from "./host_modules.ts";
import { capMemory, MalformedModuleError, MemoryLimitError } from "./memory_limit.ts";

/** A compiled module that passed the import check. */
export interface CompiledModule {
  /** `<sha256 hex>:<cap pages>`. */
  key: string;
  module: WebAssembly.Module;
  /** Imports from stubbed host modules. */
  stubs: StubImport[];
  /** Names of exported functions. */
  functions: ReadonlySet<string>;
}

/** A module that cannot be run: unreadable, invalid, with unknown imports, or too large. */
export class ModuleError extends Error {
  override name = "ModuleError";
  /** "memory" when the module's initial memory is above the cap, else "invalid". */
  readonly kind: "invalid" | "memory";

  constructor(kind: "invalid" | "memory", message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/** Source of a module: a file path or the bytes. */
export type ModuleSource = { path: string } | { bytes: Uint8Array };

interface FileStamp {
  mtimeMs: number;
  size: number;
  hash: string;
}

/** An LRU cache of compiled modules. */
export class ModuleCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, Promise<CompiledModule>>();
  // Hash of each file seen, so a cached path is only stat'ed, not read and hashed again.
  readonly #stamps = new Map<string, FileStamp>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /**
   * Returns the compiled module for `source` with its memory capped at `capPages`.
   *
   * @throws {ModuleError} when the module cannot be read, compiled or linked
   */
  async load(source: ModuleSource, capPages: number): Promise<CompiledModule> {
    let bytes: Uint8Array | undefined;
    let hash: string;
    if ("path" in source) {
      const stamp = this.#stamp(source.path);
      hash = stamp.hash;
      if (stamp.hash === "") {
        bytes = await readModule(source.path);
        hash = await sha256Hex(bytes);
        this.#stamps.set(source.path, { ...stamp, hash });
      }
    } else {
      bytes = source.bytes;
      hash = await sha256Hex(bytes);
    }

    const key = `${hash}:${capPages}`;
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }

    bytes ??= await readModule((source as { path: string }).path);
    const pending = compile(key, bytes, capPages);
    this.#entries.set(key, pending);
    pending.catch(() => this.#entries.delete(key));
    while (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return pending;
  }

  #stamp(path: string): FileStamp {
    // The sync stat takes a few microseconds. The async one costs about 50 µs per call through
    // the event loop, a sixth of a cached run.
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (error) {
      throw new ModuleError("invalid", `Cannot read module "${path}": ${error}`, { cause: error });
    }
    const mtimeMs = info.mtime?.getTime() ?? 0;
    const known = this.#stamps.get(path);
    if (known !== undefined && known.mtimeMs === mtimeMs && known.size === info.size) return known;
    return { mtimeMs, size: info.size, hash: "" };
  }
}

async function compile(key: string, bytes: Uint8Array, capPages: number): Promise<CompiledModule> {
  let capped: Uint8Array;
  try {
    capped = capMemory(bytes, capPages);
  } catch (error) {
    if (error instanceof MemoryLimitError) throw new ModuleError("memory", error.message);
    if (error instanceof MalformedModuleError) {
      throw new ModuleError("invalid", `Cannot compile module: ${error.message}`);
    }
    throw error;
  }

  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(capped as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new ModuleError("invalid", `Cannot compile module: ${(error as Error).message}`);
  }

  const check = checkImports(module);
  if (!check.ok) throw new ModuleError("invalid", `Cannot link module: it ${check.reason}`);
  const functions = new Set(
    WebAssembly.Module.exports(module).filter((e) => e.kind === "function").map((e) => e.name),
  );
  return { key, module, stubs: check.stubs, functions };
}

async function readModule(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw new ModuleError("invalid", `Cannot read module "${path}": ${error}`, { cause: error });
  }
}

/** Returns the SHA-256 of `bytes` as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
