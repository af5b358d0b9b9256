/**
 * The narrow interfaces the worker calls: an {@link Executor} that runs one module and an
 * {@link Installer} that finds or installs functions. The runtime (`node/runtime`) and the
 * function store (`node/store`) implement them; tests pass fakes. The data types are the
 * owners' own.
 *
 * @module
 */
import type { RunRequest, RunResult } from "../runtime/mod.ts";
import type { InstallRequest } from "../store/mod.ts";

export type { RunErrorKind, RunLimits, RunRequest, RunResult } from "../runtime/mod.ts";
/** Source of an install: a CID with an optional manifest URL, or a local path. */
export type InstallSource = InstallRequest;

/** Runs WebAssembly modules; implemented by `node/runtime`. */
export interface Executor {
  run(request: RunRequest, options: { signal?: AbortSignal }): Promise<RunResult>;
}

/** The parts of an installed function the worker reads. */
export interface InstalledFunction {
  cid: string;
  dir: string;
  files: string[];
}

/** Finds and installs functions; implemented by `node/store`. */
export interface Installer {
  /** Returns the installed function, or nothing when `cid` is not installed. */
  get(cid: string): Promise<InstalledFunction | undefined>;
  /** Returns the installed function, installing it from the sources or gateway first. */
  ensure(cid: string): Promise<InstalledFunction>;
  install(source: InstallSource): Promise<InstalledFunction>;
  /** Returns the path of `method` inside `fn`; throws when it is not one of its files. */
  modulePath(fn: InstalledFunction, method: string): string;
}
