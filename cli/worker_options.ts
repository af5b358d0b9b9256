/**
 * Options of `allora worker`: the flags, and their resolution against the environment and
 * config.yaml. Precedence is flags > environment > config file > defaults, all in
 * {@link resolveWorkerSettings}.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { parseDuration, parseFlags, parseHttpUrl, parseInteger, splitList } from "./args.ts";
import { CliError, UsageError } from "./errors.ts";
import { type Config, ConfigError, DEFAULT_CONFIG, loadConfig } from "../node/config/config.ts";
import { type BootNode, BootNodeError, parseBootNode } from "../node/worker/boot.ts";
import { gossipTopicNames } from "../node/worker/topics.ts";
import { INFERENCE_TIMEOUT_MARGIN_MS } from "../node/worker/constants.ts";
import { pathExists } from "../node/fs.ts";
import { applyEnvironment } from "../node/config/environment.ts";

/** The flags of `allora worker` as typed, before defaults are applied. */
export interface WorkerFlags {
  bootNodes: string[];
  address?: string;
  port?: string;
  announce: string[];
  privateKey?: string;
  topics: string[];
  workspace?: string;
  concurrency?: string;
  gateway?: string;
  functions: string[];
  extensions?: string;
  inferenceCommand?: string;
  project?: string;
  httpAllow: string[];
  executionTimeout?: string;
  wallet?: string;
  noChain: boolean;
  chainRpc?: string;
  config?: string;
}

/** Chain settings of the worker; cli/worker_chain.ts decides whether it connects. */
export interface WorkerChainSettings {
  /** False with `--no-chain`: the worker never connects. */
  enabled: boolean;
  /** CometBFT RPC URL. */
  rpc: string;
  emissionsVersion: string;
  gasPrice: string;
  /** Keystore of the chain wallet, absolute. */
  keystore: string;
  /** Whether `--wallet` named the keystore, which makes a missing keystore an error. */
  keystoreGiven: boolean;
}

/** Everything the worker needs to start, with paths made absolute. */
export interface WorkerSettings {
  bootNodes: BootNode[];
  address: string;
  port: number;
  announce: string[];
  privateKeyPath: string;
  /** Gossip topic names besides the general topic. */
  topics: string[];
  workspace: string;
  concurrency: number;
  /** Manifest URL template with `{cid}`. */
  gateway: string;
  /** Local function folders or archives to install at start. */
  functionPaths: string[];
  extensionsDir?: string;
  inference: { command: string[]; cwd: string; timeoutMs: number };
  httpAllow: string[];
  executionTimeoutMs: number;
  attributes: Record<string, string>;
  chain: WorkerChainSettings;
  /** The config file that was read, if any. */
  configFile?: string;
}

/** Environment variable with a comma-separated list of boot node multiaddrs. */
export const BOOT_NODES_ENV = "BOOT_NODES";
/** Config file read from the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = "config.yaml";

const COMMAND = "allora worker";
const FLAG_SPEC = {
  "boot-nodes": { type: "string", multiple: true },
  address: { type: "string" },
  port: { type: "string" },
  announce: { type: "string", multiple: true },
  "private-key": { type: "string" },
  topic: { type: "string", multiple: true },
  workspace: { type: "string" },
  concurrency: { type: "string" },
  gateway: { type: "string" },
  function: { type: "string", multiple: true },
  extensions: { type: "string" },
  "inference-command": { type: "string" },
  project: { type: "string" },
  "http-allow": { type: "string", multiple: true },
  "execution-timeout": { type: "string" },
  wallet: { type: "string" },
  "no-chain": { type: "boolean" },
  "chain-rpc": { type: "string" },
  config: { type: "string" },
} as const;

/**
 * Parses the arguments of `allora worker` without applying defaults.
 *
 * @throws {UsageError} on an unknown option or a missing value
 */
export function parseWorkerFlags(argv: string[]): WorkerFlags {
  const { values } = parseFlags(COMMAND, argv, FLAG_SPEC);
  const text = (name: keyof typeof FLAG_SPEC) => values[name] as string | undefined;
  const list = (name: keyof typeof FLAG_SPEC) =>
    splitList((values[name] as string[] | undefined) ?? []);
  return {
    bootNodes: list("boot-nodes"),
    address: text("address"),
    port: text("port"),
    announce: list("announce"),
    privateKey: text("private-key"),
    topics: list("topic"),
    workspace: text("workspace"),
    concurrency: text("concurrency"),
    gateway: text("gateway"),
    functions: (values.function as string[] | undefined) ?? [],
    extensions: text("extensions"),
    inferenceCommand: text("inference-command"),
    project: text("project"),
    httpAllow: list("http-allow"),
    executionTimeout: text("execution-timeout"),
    wallet: text("wallet"),
    noChain: values["no-chain"] === true,
    chainRpc: text("chain-rpc"),
    config: text("config"),
  };
}

/** A config with `ALLORA_*` variables applied, and the file it came from if any. */
export interface WorkerConfigSource {
  config: Config;
  /** The config file; relative paths in it are taken from its folder. */
  path?: string;
}

/**
 * Reads the config file named by `--config`, or `config.yaml` in `cwd` when it exists, and
 * applies the `ALLORA_<SECTION>_<KEY>` variables on top. Without a file the variables apply
 * to the defaults.
 *
 * @throws {CliError} when the file is missing (given explicitly) or a value is invalid
 */
export async function loadWorkerConfig(
  flags: WorkerFlags,
  cwd: string,
  env: (name: string) => string | undefined,
): Promise<WorkerConfigSource> {
  const path = resolve(cwd, flags.config ?? DEFAULT_CONFIG_FILE);
  const hasFile = flags.config !== undefined || await pathExists(path);
  try {
    // The placeholder name and topic are never used: they only make the defaults a Config.
    const base = hasFile ? await loadConfig(path) : { ...DEFAULT_CONFIG, name: "worker", topic: 1 };
    const { config } = applyEnvironment(base, env);
    return { config, path: hasFile ? path : undefined };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(error.message, {
        cause: error,
        hint: flags.config === undefined
          ? `fix ${error.file}, or pass --config to read another file`
          : `fix ${error.file}, or check the path given to --config`,
      });
    }
    throw error;
  }
}

/** Inputs of {@link resolveWorkerSettings} besides the flags. */
export interface ResolveSources {
  env: (name: string) => string | undefined;
  file?: WorkerConfigSource;
  cwd: string;
  /** Used when no concurrency is configured. */
  cpuCount: number;
}

/**
 * Applies flags over the environment over the config file over the defaults, and validates
 * the result.
 *
 * @throws {UsageError} naming the option or key, the value and the expected form
 */
export function resolveWorkerSettings(
  flags: WorkerFlags,
  { env, file, cwd, cpuCount }: ResolveSources,
): WorkerSettings {
  const worker = file?.config.worker ?? DEFAULT_CONFIG.worker;
  const fileDir = file?.path !== undefined ? dirname(file.path) : cwd;
  // A path from a flag is relative to the working directory, one from the file to its folder.
  const path = (flag: string | undefined, fromFile: string) =>
    flag !== undefined ? resolve(cwd, flag) : resolve(fileDir, fromFile);

  const envBootNodes = splitList([env(BOOT_NODES_ENV) ?? ""]);
  const bootNodeSource = flags.bootNodes.length > 0
    ? { option: "--boot-nodes", values: flags.bootNodes }
    : envBootNodes.length > 0
    ? { option: BOOT_NODES_ENV, values: envBootNodes }
    : { option: "worker.boot_nodes", values: worker.boot_nodes };
  const topicValues = flags.topics.length > 0
    ? flags.topics
    : worker.topics.length > 0
    ? worker.topics
    : file?.path !== undefined
    ? [String(file.config.topic)]
    : [];
  const configuredConcurrency = flags.concurrency !== undefined
    ? parseInteger("--concurrency", flags.concurrency, { min: 1, max: 256 })
    : worker.concurrency;
  const inference = file?.config.inference ?? DEFAULT_CONFIG.inference;
  const executionTimeoutMs = flags.executionTimeout !== undefined
    ? parseDuration("--execution-timeout", flags.executionTimeout, { min: 100, max: 600_000 })
    : worker.execution_timeout_ms;

  return {
    bootNodes: parseBootNodes(bootNodeSource.option, bootNodeSource.values),
    address: flags.address ?? worker.address,
    port: flags.port !== undefined
      ? parseInteger("--port", flags.port, { min: 0, max: 65535 })
      : worker.port,
    announce: flags.announce,
    privateKeyPath: path(flags.privateKey, worker.private_key),
    topics: gossipTopicNames(topicValues),
    workspace: path(flags.workspace, worker.workspace),
    concurrency: configuredConcurrency > 0 ? configuredConcurrency : Math.max(1, cpuCount),
    gateway: checkGateway(
      flags.gateway ?? worker.gateway,
      flags.gateway ? "--gateway" : "worker.gateway",
    ),
    functionPaths: flags.functions.map((value) => resolve(cwd, value)),
    extensionsDir: flags.extensions !== undefined
      ? resolve(cwd, flags.extensions)
      : worker.extensions !== ""
      ? resolve(fileDir, worker.extensions)
      : undefined,
    inference: {
      command: flags.inferenceCommand !== undefined
        ? splitCommand(flags.inferenceCommand)
        : inference.command,
      cwd: path(flags.project, "."),
      timeoutMs: inferenceTimeoutMs(inference.timeout_ms, executionTimeoutMs),
    },
    httpAllow: flags.httpAllow.length > 0 ? flags.httpAllow : worker.http_allow,
    executionTimeoutMs,
    attributes: { ...worker.attributes },
    chain: resolveChain(flags, file?.config.chain ?? DEFAULT_CONFIG.chain, path),
    configFile: file?.path,
  };
}

/**
 * Returns the inference command's timeout: the configured one, lowered to stay
 * {@link INFERENCE_TIMEOUT_MARGIN_MS} (or half the time, when that is shorter) below the
 * execution timeout. Otherwise a hanging model ends the whole execution, and the result has
 * an empty stdout instead of the function's "timed out" error.
 */
export function inferenceTimeoutMs(configuredMs: number, executionTimeoutMs: number): number {
  const margin = Math.min(INFERENCE_TIMEOUT_MARGIN_MS, Math.floor(executionTimeoutMs / 2));
  return Math.min(configuredMs, executionTimeoutMs - margin);
}

function resolveChain(
  flags: WorkerFlags,
  chain: Config["chain"],
  path: (flag: string | undefined, fromFile: string) => string,
): WorkerChainSettings {
  return {
    enabled: !flags.noChain,
    rpc: parseHttpUrl(flags.chainRpc ? "--chain-rpc" : "chain.rpc", flags.chainRpc ?? chain.rpc),
    emissionsVersion: chain.emissions_version,
    gasPrice: chain.gas_price,
    keystore: path(flags.wallet, chain.wallet),
    keystoreGiven: flags.wallet !== undefined,
  };
}

function parseBootNodes(option: string, values: readonly string[]): BootNode[] {
  return values.map((value) => {
    try {
      return parseBootNode(value);
    } catch (error) {
      if (!(error instanceof BootNodeError)) throw error;
      // The message repeats the boot node error, so it is not attached as a cause.
      throw new UsageError(`Invalid value for ${option}: '${error.address}' (${error.reason})`, {
        hint: "give full multiaddrs such as /ip4/127.0.0.1/tcp/9010/p2p/12D3KooW…",
      });
    }
  });
}

function checkGateway(template: string, option: string): string {
  if (!/^https?:\/\//.test(template) || !template.includes("{cid}")) {
    throw new UsageError(
      `Invalid value for ${option}: '${template}' (expected an http(s) URL template with {cid})`,
      { hint: "e.g. http://127.0.0.1:8080/ipfs/{cid}/manifest.json" },
    );
  }
  return template;
}

/** Splits a command line on whitespace; quoting is not supported. */
function splitCommand(command: string): string[] {
  const parts = command.trim().split(/\s+/).filter((part) => part !== "");
  if (parts.length === 0) {
    throw new UsageError("Invalid value for --inference-command: the command is empty");
  }
  return parts;
}
