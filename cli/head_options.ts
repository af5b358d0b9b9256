/**
 * Options of `allora head`: flag parsing and the one place where flags, environment, config
 * file and defaults are merged, in that order of precedence.
 *
 * @module
 */
import { isIP } from "node:net";
import { dirname, isAbsolute, join } from "node:path";
import { type Config, DEFAULT_CONFIG } from "../node/config/config.ts";
import { FUNCTION_ID } from "../node/function/reference.ts";
import type { ScheduledTopic } from "../node/head/scheduler.ts";
import {
  parseDuration,
  parseFlags,
  parseHostPort,
  parseHttpUrl,
  parseInteger,
  splitList,
} from "./args.ts";
import { UsageError } from "./errors.ts";

/** Everything `allora head` needs to start. */
export interface HeadOptions {
  restApi: { hostname: string; port: number };
  /** IP address libp2p listens on. */
  address: string;
  port: number;
  announce: string[];
  privateKey: string;
  /** Extra gossip topics to join besides the general topic. */
  topics: string[];
  workspace: string;
  executionTimeoutMs: number;
  maxNodes: number;
  maxRollCallTimeoutMs: number;
  resultTtlMs: number;
  /** Manifest URL template for installs by CID. */
  gateway: string;
  /** Topics whose worker nonces the head schedules; empty for none. */
  schedule: ScheduledTopic[];
  scheduleIntervalMs: number;
  /** The chain the scheduler reads. */
  chain: { rpc: string; emissionsVersion: string };
  /** The node function scheduled requests run. */
  function: { id: string; method: string };
}

/** The raw flags of `allora head`; undefined means "not given". */
export interface HeadFlags {
  config?: string;
  restApi?: string;
  address?: string;
  port?: string;
  announce: string[];
  privateKey?: string;
  topics: string[];
  workspace?: string;
  executionTimeout?: string;
  maxNodes?: string;
  maxRollCallTimeout?: string;
  resultTtl?: string;
  gateway?: string;
  /** `TOPIC[=ARG]` values of `--schedule`. */
  schedule: string[];
  scheduleInterval?: string;
  chainRpc?: string;
}

/**
 * Environment variables read by `allora head`: the names upstream b7s (≥0.6) reads for the
 * same settings.
 */
export const HEAD_ENV = {
  restApi: "B7S_Head_RestAPI",
  address: "B7S_Connectivity_Address",
  port: "B7S_Connectivity_Port",
  privateKey: "B7S_Connectivity_PrivateKey",
  topics: "B7S_Topics",
  workspace: "B7S_Workspace",
} as const;

/**
 * Parses the arguments of `allora head`.
 *
 * @throws {UsageError} on an unknown option or a missing value
 */
export function parseHeadFlags(argv: string[]): HeadFlags {
  const { values } = parseFlags("allora head", argv, {
    config: { type: "string" },
    "rest-api": { type: "string" },
    address: { type: "string" },
    port: { type: "string" },
    announce: { type: "string", multiple: true },
    "private-key": { type: "string" },
    topic: { type: "string", multiple: true },
    workspace: { type: "string" },
    "execution-timeout": { type: "string" },
    "max-nodes": { type: "string" },
    "max-roll-call-timeout": { type: "string" },
    "result-ttl": { type: "string" },
    gateway: { type: "string" },
    schedule: { type: "string", multiple: true },
    "schedule-interval": { type: "string" },
    "chain-rpc": { type: "string" },
  });
  const text = (name: string) => values[name] as string | undefined;
  const list = (name: string) => splitList((values[name] as string[] | undefined) ?? []);
  return {
    config: text("config"),
    restApi: text("rest-api"),
    address: text("address"),
    port: text("port"),
    announce: list("announce"),
    privateKey: text("private-key"),
    topics: list("topic"),
    workspace: text("workspace"),
    executionTimeout: text("execution-timeout"),
    maxNodes: text("max-nodes"),
    maxRollCallTimeout: text("max-roll-call-timeout"),
    resultTtl: text("result-ttl"),
    gateway: text("gateway"),
    schedule: list("schedule"),
    scheduleInterval: text("schedule-interval"),
    chainRpc: text("chain-rpc"),
  };
}

/** A loaded config file and its path. */
export interface ConfigSource {
  config: Pick<Config, "head"> & Partial<Pick<Config, "chain" | "function" | "inference">>;
  /** The config file; relative paths in it are taken from its folder. */
  path: string;
}

/**
 * Merges flags > environment > config file > defaults into {@link HeadOptions}.
 *
 * @throws {UsageError} naming the flag or variable with an invalid value
 */
export function resolveHeadOptions(
  flags: HeadFlags,
  env: (name: string) => string | undefined,
  file?: ConfigSource,
): HeadOptions {
  const head = file?.config.head ?? DEFAULT_CONFIG.head;
  const fromFile = (path: string) =>
    file === undefined || isAbsolute(path) ? path : join(dirname(file.path), path);
  // Each setting: the flag, then its variable, with the name used in error messages.
  const fromFlagOrEnv = (flag: string | undefined, flagName: string, envName?: string) => {
    if (flag !== undefined) return { value: flag, name: flagName };
    const value = envName === undefined ? undefined : env(envName);
    return value === undefined || value === "" ? undefined : { value, name: envName! };
  };

  const restApi = fromFlagOrEnv(flags.restApi, "--rest-api", HEAD_ENV.restApi);
  const address = fromFlagOrEnv(flags.address, "--address", HEAD_ENV.address);
  const port = fromFlagOrEnv(flags.port, "--port", HEAD_ENV.port);
  const privateKey = fromFlagOrEnv(flags.privateKey, "--private-key", HEAD_ENV.privateKey);
  const workspace = fromFlagOrEnv(flags.workspace, "--workspace", HEAD_ENV.workspace);
  const envTopics = env(HEAD_ENV.topics);
  const executionTimeout = fromFlagOrEnv(flags.executionTimeout, "--execution-timeout");
  const maxNodes = fromFlagOrEnv(flags.maxNodes, "--max-nodes");
  const maxRollCall = fromFlagOrEnv(flags.maxRollCallTimeout, "--max-roll-call-timeout");
  const resultTtl = fromFlagOrEnv(flags.resultTtl, "--result-ttl");
  const scheduleInterval = fromFlagOrEnv(flags.scheduleInterval, "--schedule-interval");
  const chain = file?.config.chain ?? DEFAULT_CONFIG.chain;
  const fn = file?.config.function ?? DEFAULT_CONFIG.function;

  const options: HeadOptions = {
    restApi: parseHostPort(restApi?.name ?? "head.rest_api", restApi?.value ?? head.rest_api),
    address: checkAddress(address?.name ?? "head.address", address?.value ?? head.address),
    port: port ? parseInteger(port.name, port.value, { min: 0, max: 65535 }) : head.port,
    announce: flags.announce.length > 0 ? flags.announce : head.announce,
    privateKey: privateKey?.value ?? fromFile(head.private_key),
    topics: flags.topics.length > 0
      ? flags.topics
      : envTopics
      ? splitList([envTopics])
      : head.topics,
    workspace: workspace?.value ?? fromFile(head.workspace),
    executionTimeoutMs: executionTimeout
      ? parseDuration(executionTimeout.name, executionTimeout.value, { min: 1, max: 3_600_000 })
      : head.execution_timeout_ms,
    maxNodes: maxNodes ? parseInteger(maxNodes.name, maxNodes.value, { min: 1 }) : head.max_nodes,
    maxRollCallTimeoutMs: maxRollCall
      ? parseDuration(maxRollCall.name, maxRollCall.value, { min: 1_000, max: 3_600_000 })
      : head.max_roll_call_timeout_ms,
    resultTtlMs: resultTtl ? parseDuration(resultTtl.name, resultTtl.value) : head.result_ttl_ms,
    gateway: flags.gateway ?? head.gateway,
    schedule: resolveSchedule(
      flags.schedule,
      head.schedule ?? [],
      file?.config.inference?.default_arg ?? DEFAULT_CONFIG.inference.default_arg,
    ),
    scheduleIntervalMs: scheduleInterval
      ? parseDuration(scheduleInterval.name, scheduleInterval.value, { min: 100, max: 600_000 })
      : head.schedule_interval_ms ?? DEFAULT_CONFIG.head.schedule_interval_ms,
    chain: {
      rpc: parseHttpUrl(flags.chainRpc ? "--chain-rpc" : "chain.rpc", flags.chainRpc ?? chain.rpc),
      emissionsVersion: chain.emissions_version,
    },
    function: { id: fn.id || FUNCTION_ID, method: fn.method },
  };
  if (!options.gateway.includes("{cid}")) {
    throw new UsageError(
      `Invalid value for --gateway: '${options.gateway}' (expected a URL template containing {cid})`,
    );
  }
  return options;
}

const SCHEDULE_REGEXP = /^(\d{1,19})(?:=(.*))?$/;

// --schedule values replace head.schedule; a missing argument is the project's default_arg.
function resolveSchedule(
  flags: readonly string[],
  fromFile: Config["head"]["schedule"],
  defaultArg: string,
): ScheduledTopic[] {
  const topics = flags.length === 0
    ? fromFile.map((entry) => ({
      topicId: BigInt(entry.topic),
      defaultArg: entry.default_arg ?? defaultArg,
    }))
    : flags.map((value) => {
      const match = SCHEDULE_REGEXP.exec(value.trim());
      if (match === null || BigInt(match[1]) === 0n) {
        throw new UsageError(
          `Invalid value for --schedule: '${value}' (expected TOPIC or TOPIC=ARG, e.g. 1=ETH)`,
        );
      }
      return { topicId: BigInt(match[1]), defaultArg: match[2] ?? defaultArg };
    });
  const seen = new Set<bigint>();
  for (const { topicId } of topics) {
    if (seen.has(topicId)) {
      throw new UsageError(`Invalid schedule: topic ${topicId} is listed twice`);
    }
    seen.add(topicId);
  }
  return topics;
}

function checkAddress(name: string, value: string): string {
  if (isIP(value) === 0) {
    throw new UsageError(
      `Invalid value for ${name}: '${value}' (expected an IP address such as 127.0.0.1 or 0.0.0.0)`,
    );
  }
  return value;
}
