/**
 * The worker node: responds to roll calls, runs node functions and reports their results.
 *
 * @module
 */
export { startWorkerNode, type WorkerNode, type WorkerNodeOptions } from "./node.ts";
export type {
  Executor,
  InstalledFunction,
  Installer,
  InstallSource,
  RunLimits,
  RunRequest,
  RunResult,
} from "./ports.ts";
export { type BootNode, BootNodeError, parseBootNode } from "./boot.ts";
export { gossipTopicName, gossipTopicNames } from "./topics.ts";
export { checkInferenceOutput, isDecimalString } from "./output_check.ts";
