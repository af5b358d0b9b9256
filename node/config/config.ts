/**
 * The project configuration (`config.yaml`): its typed shape, defaults, and a loader that
 * validates every key against `schema.json` (the same schema editors use) and reports the
 * bad key, its value and the expected form.
 *
 * Precedence is flags > environment > file > defaults. Commands apply flags and environment on
 * top of what {@link loadConfig} returns.
 *
 * @module
 */
import Ajv, { type ErrorObject } from "ajv";
import YAML from "yaml";
import schema from "./schema.json" with { type: "json" };

/** Networks with known endpoints. */
export const NETWORKS = ["local", "allora-testnet-1", "allora-mainnet-1"] as const;
/** A known network name. */
export type Network = typeof NETWORKS[number];

/** The parsed, defaulted configuration. Paths are relative to the project folder. */
export interface Config {
  name: string;
  network: Network;
  topic: number;
  role: "worker";
  inference: { command: string[]; default_arg: string; timeout_ms: number };
  function: { id: string; method: string };
  head: {
    rest_api: string;
    address: string;
    port: number;
    announce: string[];
    private_key: string;
    workspace: string;
    topics: string[];
    execution_timeout_ms: number;
    max_nodes: number;
    max_roll_call_timeout_ms: number;
    result_ttl_ms: number;
    gateway: string;
    /** Topics whose worker nonces the head schedules; empty turns the scheduler off. */
    schedule: { topic: number; default_arg?: string }[];
    /** Interval between polls of the chain for new worker nonces. */
    schedule_interval_ms: number;
  };
  worker: {
    port: number;
    /** IP address the libp2p listener binds. */
    address: string;
    private_key: string;
    workspace: string;
    boot_nodes: string[];
    topics: string[];
    /** Executions at once; 0 means the number of CPUs. */
    concurrency: number;
    gateway: string;
    http_allow: string[];
    attributes: Record<string, string>;
    /** Wall-clock limit of one execution. */
    execution_timeout_ms: number;
    /** Folder of external CGI extensions; empty for none. */
    extensions: string;
  };
  chain: { rpc: string; wallet: string; gas_price: string; emissions_version: string };
  log: { level: "debug" | "info" | "warn" | "error" | "silent"; format: "text" | "json" };
}

/** Defaults for every key except `name` and `topic`, which a project must set. */
export const DEFAULT_CONFIG: Omit<Config, "name" | "topic"> = {
  network: "local",
  role: "worker",
  inference: { command: ["python3", "main.py"], default_arg: "ETH", timeout_ms: 10_000 },
  function: { id: "", method: "allora-inference-function.wasm" },
  head: {
    rest_api: "127.0.0.1:6000",
    address: "127.0.0.1",
    port: 9010,
    announce: [],
    private_key: "keys/head/priv.bin",
    workspace: "data/head",
    topics: [],
    execution_timeout_ms: 20_000,
    max_nodes: 100,
    max_roll_call_timeout_ms: 60_000,
    result_ttl_ms: 600_000,
    gateway: "https://{cid}.ipfs.w3s.link/manifest.json",
    schedule: [],
    schedule_interval_ms: 2_000,
  },
  worker: {
    port: 9011,
    address: "127.0.0.1",
    private_key: "keys/worker/priv.bin",
    workspace: "data/worker",
    boot_nodes: [],
    topics: [],
    concurrency: 0,
    gateway: "https://{cid}.ipfs.w3s.link/manifest.json",
    http_allow: [],
    attributes: {},
    execution_timeout_ms: 10_000,
    extensions: "",
  },
  chain: {
    rpc: "http://127.0.0.1:26657",
    wallet: "keys/wallet.json",
    gas_price: "auto",
    emissions_version: "auto",
  },
  log: { level: "info", format: "text" },
};

/** The JSON Schema of config.yaml. */
export const CONFIG_SCHEMA = schema;

/** A config file that cannot be read, parsed or validated. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** Dotted path of the bad key, e.g. "head.port"; empty for whole-file problems. */
  readonly key: string;
  readonly file: string;

  constructor(file: string, key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.file = file;
    this.key = key;
  }
}

// deno-lint-ignore no-explicit-any
const ajv = new (Ajv as any)({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

/**
 * Parses and validates config.yaml text and fills in defaults.
 *
 * @param file the file name used in error messages
 * @throws {ConfigError} naming the key, its value and the expected form
 */
export function parseConfig(text: string, file = "config.yaml"): Config {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(file, "", `Cannot parse ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new ConfigError(file, "", `Cannot load ${file}: the file must contain a YAML mapping`);
  }
  validateConfigDocument(document, file);
  return withDefaults(document as Partial<Config> & Pick<Config, "name" | "topic">);
}

/**
 * Checks a parsed config document against the schema.
 *
 * @param file the file name used in error messages
 * @throws {ConfigError} naming the first bad key, its value and the expected form
 */
export function validateConfigDocument(document: object, file = "config.yaml"): void {
  if (!validate(document)) {
    const first = (validate.errors as ErrorObject[])[0];
    throw describeSchemaError(file, document as Record<string, unknown>, first);
  }
}

/**
 * Reads, validates and defaults a config file.
 *
 * @throws {ConfigError} when the file is missing or invalid
 */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ConfigError(path, "", `Cannot find ${path}`, { cause: error });
    }
    throw new ConfigError(path, "", `Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfig(text, path);
}

function withDefaults(document: Partial<Config> & Pick<Config, "name" | "topic">): Config {
  const defaults = structuredClone(DEFAULT_CONFIG);
  return {
    ...defaults,
    ...document,
    inference: { ...defaults.inference, ...document.inference },
    function: { ...defaults.function, ...document.function },
    head: { ...defaults.head, ...document.head },
    worker: { ...defaults.worker, ...document.worker },
    chain: { ...defaults.chain, ...document.chain },
    log: { ...defaults.log, ...document.log },
  };
}

function describeSchemaError(
  file: string,
  document: Record<string, unknown>,
  error: ErrorObject,
): ConfigError {
  const segments = error.instancePath.split("/").slice(1);
  if (error.keyword === "additionalProperties") {
    segments.push(String(error.params.additionalProperty));
  }
  if (error.keyword === "required") segments.push(String(error.params.missingProperty));
  const key = segments.join(".");
  // deno-lint-ignore no-explicit-any
  const value = segments.reduce<any>((node, segment) => node?.[segment], document);
  const shown = value === undefined ? "" : ` ${JSON.stringify(value)}`;
  let expected: string;
  switch (error.keyword) {
    case "additionalProperties":
      return new ConfigError(
        file,
        key,
        `Invalid key '${key}' in ${file}: unknown key; check its spelling`,
      );
    case "required":
      return new ConfigError(file, key, `Missing key '${key}' in ${file}`);
    case "enum":
      expected = `one of ${
        (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")
      }`;
      break;
    case "pattern":
      expected = `a string matching ${error.params.pattern}`;
      break;
    case "type":
      expected = `a value of type ${error.params.type}`;
      break;
    case "minimum":
    case "maximum":
      expected = `a number ${error.keyword === "minimum" ? ">=" : "<="} ${error.params.limit}`;
      break;
    default:
      // Ajv messages read "must be …"; drop the verb so the text follows "expected".
      expected = (error.message ?? "a valid value").replace(/^must (be )?/, "");
  }
  return new ConfigError(
    file,
    key,
    `Invalid value for '${key}' in ${file}:${shown} (expected ${expected})`,
  );
}
