/**
 * Starts `allora worker` subprocesses for multi-process tests and benchmarks, on loopback and
 * with a gateway that cannot reach anything, so a missing function fails at once instead of
 * being fetched from the network.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Processes, TestProcess } from "./processes.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
/** Manifest URL template on the discard port of 127.0.0.1, where nothing listens. */
export const UNREACHABLE_GATEWAY = "http://127.0.0.1:9/{cid}/manifest.json";

/** The ready line of `allora worker --json`. */
export interface WorkerReady {
  event: "ready";
  peer_id: string;
  multiaddrs: string[];
  /** CIDs of the functions installed with `--function`. */
  functions: string[];
  /** The chain account, when the worker has a wallet. */
  address?: string;
}

/** Options of {@link startWorkerProcess}. */
export interface WorkerProcessOptions {
  /** Boot node multiaddr, normally the head's. */
  headAddress: string;
  /** Working folder of the inference command (`--project`). */
  project: string;
  /** More `allora worker` arguments; later flags win. */
  args?: string[];
  /** @default "debug" */
  logLevel?: string;
  name?: string;
  /** Variables added to the worker's environment. */
  env?: Record<string, string>;
}

/**
 * Starts `allora worker --json` on a free port, serving topic 1 for `headAddress`, and waits
 * for its ready line.
 */
export async function startWorkerProcess(
  processes: Processes,
  options: WorkerProcessOptions,
): Promise<{ process: TestProcess; ready: WorkerReady }> {
  const { headAddress, project, args = [], logLevel = "debug", name = "worker", env } = options;
  const process = processes.spawn(name, [
    "run",
    "-A",
    MAIN,
    "worker",
    "--json",
    "--log-level",
    logLevel,
    "--port",
    "0",
    "--boot-nodes",
    headAddress,
    "--topic",
    "1",
    "--gateway",
    UNREACHABLE_GATEWAY,
    "--project",
    project,
    ...args,
  ], { env });
  return { process, ready: await process.ready<WorkerReady>() };
}
