/**
 * Builds the executor and installer `allora worker` runs with: the WASM runtime and the
 * function store.
 *
 * @module
 */
import type { Logger } from "../node/log.ts";
import type { Executor, Installer } from "../node/worker/ports.ts";
import type { WorkerSettings } from "./worker_options.ts";
import { CliError } from "./errors.ts";

/** The services a worker process owns; `close` releases them at shutdown. */
export interface WorkerServices {
  executor: Executor;
  installer: Installer;
  close(): Promise<void>;
}

/** Creates the services of a worker from its settings. */
export type CreateWorkerServices = (
  settings: WorkerSettings,
  logger: Logger,
) => Promise<WorkerServices>;

/**
 * Creates the runtime and the function store for `settings`.
 *
 * @throws {CliError} until the runtime and the store are part of the build
 */
export function createWorkerServices(
  _settings: WorkerSettings,
  _logger: Logger,
): Promise<WorkerServices> {
  // TODO(worker): wire node/runtime and node/store here once both modules are on main.
  return Promise.reject(
    new CliError(
      "Cannot start the worker: the WASM runtime and function store are not built in yet",
    ),
  );
}
