/**
 * Builds the executor and installer `allora worker` runs with: the WASM runtime and the
 * function store, which also serves the embedded inference function without any network.
 *
 * @module
 */
import type { Logger } from "../node/log.ts";
import type { Executor, Installer } from "../node/worker/ports.ts";
import { createRuntime } from "../node/runtime/mod.ts";
import { createFunctionStore } from "../node/store/mod.ts";
import { embeddedFunctionSource } from "../node/function/package.ts";
import type { WorkerSettings } from "./worker_options.ts";

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
 * Creates the runtime (one sandbox per execution slot) and the function store of the
 * workspace.
 */
export async function createWorkerServices(
  settings: WorkerSettings,
  logger: Logger,
): Promise<WorkerServices> {
  const runtime = await createRuntime({
    poolSize: settings.concurrency,
    limits: { timeoutMs: settings.executionTimeoutMs },
    logger: logger.child({ component: "runtime" }),
    extensionsDir: settings.extensionsDir,
    inference: settings.inference,
    httpAllow: settings.httpAllow,
  });
  const store = createFunctionStore({
    workspace: settings.workspace,
    gateway: settings.gateway,
    logger: logger.child({ component: "store" }),
    validateModule: (bytes) => runtime.validateModule(bytes),
    sources: [await embeddedFunctionSource()],
  });
  return { executor: runtime, installer: store, close: () => runtime.close() };
}
