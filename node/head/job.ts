/**
 * Turns a REST execute request into an {@link ExecutionJob}: checks the fields workers use as
 * file names, the consensus name and the limits, applies the b7s defaults and the topic
 * mapping.
 *
 * @module
 */
import type { ExecuteRequest } from "../p2p/messages.ts";
import {
  DEFAULT_ROLL_CALL_TIMEOUT_S,
  DEFAULT_THRESHOLD,
  MAX_FUNCTION_ID_LENGTH,
  MAX_METHOD_BYTES,
} from "./constants.ts";
import { InvalidRequestError } from "./errors.ts";
import { resolveTopic, withTopicEnv } from "./topics.ts";
import type { ConsensusName, ExecutionJob, ExecutionLimits } from "./types.ts";

/** The REST execute body: the b7s execute request plus the Allora `topic`. */
export interface ExecuteApiRequest extends ExecuteRequest {
  topic?: string;
}

/** Characters allowed in a function id; workers use it as a folder name. */
export const FUNCTION_ID_REGEXP = new RegExp(`^[A-Za-z0-9._-]{1,${MAX_FUNCTION_ID_LENGTH}}$`);
const CONSENSUS_NAMES: readonly ConsensusName[] = ["", "raft", "pbft"];

/**
 * Validates `body` against the head's limits and returns the job to run.
 *
 * @throws {InvalidRequestError} naming the first invalid field
 */
export function planExecution(body: ExecuteApiRequest, limits: ExecutionLimits): ExecutionJob {
  checkFunctionId(body.function_id);
  checkMethod(body.method);
  const config = body.config ?? {};

  const consensus = (config.consensus_algorithm ?? "").toLowerCase() as ConsensusName;
  if (!CONSENSUS_NAMES.includes(consensus)) {
    throw new InvalidRequestError(
      "config.consensus_algorithm",
      `invalid config.consensus_algorithm ${
        JSON.stringify(config.consensus_algorithm)
      }: expected "", "raft" or "pbft"`,
    );
  }

  const requested = config.number_of_nodes ?? 0;
  if (requested > limits.maxNodes) {
    throw new InvalidRequestError(
      "config.number_of_nodes",
      `invalid config.number_of_nodes ${requested}: this head allows at most ${limits.maxNodes}`,
    );
  }

  const timeoutS = config.timeout ?? 0;
  if (timeoutS * 1000 > limits.maxRollCallTimeoutMs) {
    throw new InvalidRequestError(
      "config.timeout",
      `invalid config.timeout ${timeoutS}: this head allows at most ${
        limits.maxRollCallTimeoutMs / 1000
      } seconds`,
    );
  }

  // b7s defaults: a non-positive timeout means 5 s, a threshold outside (0, 1] means 0.6.
  const rollCallTimeoutMs = (timeoutS > 0 ? timeoutS : DEFAULT_ROLL_CALL_TIMEOUT_S) * 1000;
  const threshold = config.threshold !== undefined && config.threshold > 0 &&
      config.threshold <= 1
    ? config.threshold
    : DEFAULT_THRESHOLD;

  const { gossipTopic, topicId } = resolveTopic(body.topic);
  const sentConfig = { ...config };
  // A Go worker replies "500" with no result when it sees a consensus name without a cluster.
  delete sentConfig.consensus_algorithm;
  if (topicId !== undefined) sentConfig.env_vars = withTopicEnv(config.env_vars, topicId);

  return {
    request: {
      function_id: body.function_id,
      method: body.method,
      parameters: body.parameters,
      config: sentConfig,
    },
    topic: gossipTopic,
    nodeCount: requested >= 1 ? requested : -1,
    rollCallTimeoutMs,
    threshold,
    consensus,
  };
}

function checkFunctionId(functionId: string): void {
  if (!FUNCTION_ID_REGEXP.test(functionId)) {
    throw new InvalidRequestError(
      "function_id",
      `invalid function_id ${
        JSON.stringify(functionId)
      }: expected 1-${MAX_FUNCTION_ID_LENGTH} characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
}

function checkMethod(method: string): void {
  const bytes = new TextEncoder().encode(method).length;
  if (bytes === 0 || bytes > MAX_METHOD_BYTES) {
    throw new InvalidRequestError(
      "method",
      `invalid method: expected 1-${MAX_METHOD_BYTES} bytes, got ${bytes}`,
    );
  }
  if (/[/\\\0]/.test(method) || method.includes("..")) {
    throw new InvalidRequestError(
      "method",
      `invalid method ${
        JSON.stringify(method)
      }: expected a single file name without '/', '\\', '..' or NUL`,
    );
  }
}
