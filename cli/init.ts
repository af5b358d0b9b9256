/**
 * `allora init`: write a worker project (config, main.py with sample data, identities,
 * Docker files), and with `--env prod` the chain wallet and deployment files.
 *
 * Flags are allocmd's (`--name`, `--topic`, `--env`, `--network`) plus `--dir`, `--force`,
 * `--dry-run`, `--boot-nodes`, `--default-arg` and `--import-wallet`. A rerun keeps every file
 * that exists unless `--force` is given.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { CONFIG_SCHEMA, type Network, NETWORKS } from "../node/config/config.ts";
import { checkKeptConfig, type DevProjectPlan, planDevProject } from "../node/project/dev.ts";
import { type FileResult, ProjectWriteError, writeProject } from "../node/project/writer.ts";
import { UnitValueError } from "../node/project/systemd.ts";
import { IdentityError } from "../node/p2p/identity.ts";
import { parseChoice, parseFlags, parseInteger } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { CliError, UsageError } from "./errors.ts";
import { type InitReport, printReport } from "./init_report.ts";
import { prepareProdStep, runProdStep } from "./init_prod.ts";
import { VERSION } from "./version.ts";

/** Help text of `allora init`. */
export const HELP = `Usage: allora init --name NAME --topic ID [options]
       allora init --env prod --network NETWORK [--boot-nodes LIST] [options]

Write a worker project: config.yaml (every key explained), main.py with a small model and
sample data, libp2p identities for a local head and worker, Docker files and a README.
With --env prod, also create or import the chain wallet (an encrypted keystore) and write
prod-docker-compose.yaml and the systemd unit allora-worker.service.

Options:
  --name NAME          project name: letters, digits, '.', '_' and '-', at most 64
                       characters (required for dev; also the default folder)
  --topic ID           Allora topic id the worker serves, a whole number from 1
  --env ENV            dev or prod (default: dev). prod runs inside an existing project,
                       or creates it first when --name and --topic are given
  --network NETWORK    ${NETWORKS.join(", ")} (default: local for dev; prod
                       takes the network from config.yaml unless it is local)
  --dir DIR            project folder (default: ./NAME, or the current folder for prod)
  --default-arg ARG    argument sent to main.py with each request, e.g. a token (default: ETH)
  --boot-nodes LIST    prod: comma-separated head multiaddrs, each ending in /p2p/<peer id>
                       (default: the non-local entries of worker.boot_nodes in config.yaml)
  --import-wallet      prod: import an existing wallet from its mnemonic instead of
                       creating a new one
  --force              overwrite files that exist with other contents; identities and the
                       wallet are always kept
  --dry-run            list the files that would be written and write nothing

The wallet password is read from ALLORA_WALLET_PASSWORD or asked for on a terminal; when it
comes from the variable, init also writes it to secrets.env (mode 0600, git-ignored) for the
compose file and the systemd unit. No secret is written anywhere else.

Examples:
  allora init --name my-worker --topic 1
  allora init --name my-worker --topic 1 --dry-run --json
  cd my-worker && ALLORA_WALLET_PASSWORD=… allora init --env prod --network allora-testnet-1 \\
    --boot-nodes /dns4/head.example/tcp/9010/p2p/12D3KooW…
`;

/** Options of `allora init`, parsed from argv. */
export interface InitOptions {
  name?: string;
  topic?: number;
  env: "dev" | "prod";
  network?: Network;
  dir?: string;
  defaultArg?: string;
  /** Raw `--boot-nodes` values, checked by the prod step. */
  bootNodes?: string[];
  importWallet: boolean;
  force: boolean;
  dryRun: boolean;
}

const NAME_REGEXP = new RegExp(CONFIG_SCHEMA.properties.name.pattern);

/**
 * Parses the arguments of `allora init`.
 *
 * @throws {UsageError} naming the bad option and value, with a hint
 */
export function parse(argv: string[]): InitOptions {
  const { values } = parseFlags("allora init", argv, {
    name: { type: "string" },
    topic: { type: "string" },
    env: { type: "string" },
    network: { type: "string" },
    dir: { type: "string" },
    "default-arg": { type: "string" },
    "boot-nodes": { type: "string", multiple: true },
    "import-wallet": { type: "boolean" },
    force: { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  const name = values.name as string | undefined;
  if (name !== undefined && !NAME_REGEXP.test(name)) {
    throw new UsageError(
      `Invalid value for --name: '${name}' (expected letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters)`,
      { hint: "for example --name my-worker" },
    );
  }
  const env = withHint(
    () =>
      parseChoice("--env", (values.env as string | undefined) ?? "dev", ["dev", "prod"] as const),
    "dev writes a local project; prod adds the wallet and deployment files",
  );
  const options: InitOptions = {
    name,
    topic: values.topic === undefined ? undefined : parseTopic(values.topic as string),
    env,
    network: values.network === undefined ? undefined : parseNetwork(values.network as string),
    dir: values.dir as string | undefined,
    defaultArg: parseDefaultArg(values["default-arg"] as string | undefined),
    bootNodes: values["boot-nodes"] as string[] | undefined,
    importWallet: values["import-wallet"] === true,
    force: values.force === true,
    dryRun: values["dry-run"] === true,
  };
  checkCombination(options);
  return options;
}

/** Runs a parser and adds `hint` to the UsageError it throws. */
function withHint<T>(parser: () => T, hint: string): T {
  try {
    return parser();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(error.message, { hint });
  }
}

function parseTopic(value: string): number {
  return withHint(
    () => parseInteger("--topic", value, { min: 1 }),
    "topic ids are whole numbers from 1, e.g. --topic 1",
  );
}

function parseNetwork(value: string): Network {
  const hint = value === "edgenet" || value === "testnet"
    ? `'${value}' is retired; use allora-testnet-1`
    : "local is the allora devnet chain double on this machine";
  return withHint(() => parseChoice("--network", value, NETWORKS), hint);
}

function parseDefaultArg(value: string | undefined): string | undefined {
  // deno-lint-ignore no-control-regex
  if (value !== undefined && (value.trim() === "" || /[\u0000-\u001f\u007f]/.test(value))) {
    throw new UsageError(`Invalid value for --default-arg: ${JSON.stringify(value)}`, {
      hint: "pass the argument main.py expects, e.g. --default-arg ETH",
    });
  }
  return value;
}

function checkCombination(options: InitOptions): void {
  const creates = options.env === "dev" || options.name !== undefined ||
    options.topic !== undefined;
  if (creates && options.name === undefined) {
    throw new UsageError("Missing option --name", {
      hint: "allora init --name my-worker --topic 1",
    });
  }
  if (creates && options.topic === undefined) {
    throw new UsageError("Missing option --topic", { hint: "for example --topic 1" });
  }
  if (options.env === "dev" && (options.bootNodes !== undefined || options.importWallet)) {
    const flag = options.bootNodes !== undefined ? "--boot-nodes" : "--import-wallet";
    throw new UsageError(`Option ${flag} applies to --env prod only`, {
      hint: "a dev project's worker boots from its own local head",
    });
  }
}

/** Replaceable parts of `allora init`, for tests. */
export interface InitComponents {
  /** Called before each file is staged; tests throw here to simulate a failure. */
  beforeWrite?: (path: string) => void | Promise<void>;
}

/** Runs `allora init` with parsed options; resolves to the exit code. */
export async function run(
  options: InitOptions,
  context: Context,
  components: InitComponents = {},
): Promise<number> {
  const dir = resolve(options.dir ?? options.name ?? ".");
  const report: InitReport = {
    dir,
    env: options.env,
    dryRun: options.dryRun,
    files: [],
    warnings: [],
  };
  try {
    // Plan and check everything first, so a bad prod flag writes no dev project either.
    const devPlan = options.name !== undefined ? await planDev(options, dir) : undefined;
    const prod = options.env === "prod"
      ? await prepareProdStep({ options, dir, report, devConfig: devPlan?.config, context })
      : undefined;

    if (devPlan !== undefined) await writeDev(devPlan, options, dir, report, components);
    if (prod !== undefined) await runProdStep(prod, components);
  } catch (error) {
    throw toCliError(error, dir);
  }
  for (const warning of report.warnings) context.logger.warn(warning);
  printReport(report, context, displayPath(dir));
  return 0;
}

async function planDev(options: InitOptions, dir: string): Promise<DevProjectPlan> {
  // A prod run that creates the project keeps its config on the local network; the prod
  // files point the worker at the real one.
  const network = options.env === "dev" ? options.network ?? "local" : "local";
  return await planDevProject({
    dir,
    name: options.name!,
    topic: options.topic!,
    network,
    defaultArg: options.defaultArg,
    version: VERSION,
  });
}

async function writeDev(
  plan: DevProjectPlan,
  options: InitOptions,
  dir: string,
  report: InitReport,
  components: InitComponents,
): Promise<void> {
  const results = await writeProject(dir, plan.files, {
    force: options.force,
    dryRun: options.dryRun,
    beforeWrite: components.beforeWrite,
  });
  report.files.push(...results);
  if (actionOf(results, "config.yaml") === "keep") {
    const keptConfig = await Deno.readTextFile(join(dir, "config.yaml"));
    const warning = checkKeptConfig(keptConfig, plan.identities.head.identity.peerId.toString(), {
      topic: options.topic,
    });
    if (warning !== undefined) report.warnings.push(warning);
  }
}

/** Turns the failures a user can act on into CliErrors with a hint. */
function toCliError(error: unknown, dir: string): unknown {
  if (error instanceof IdentityError) {
    return new CliError(error.message, {
      cause: error,
      hint: `restore the key from a backup, or delete ${
        dirname(error.path)
      } to create a new identity`,
    });
  }
  if (error instanceof ProjectWriteError) {
    return new CliError(error.message, {
      cause: error.cause,
      hint: `nothing of this run was left in ${dir}; fix the cause and run the command again`,
    });
  }
  if (error instanceof UnitValueError) {
    return new CliError(`Cannot write allora-worker.service: ${error.message}`, {
      hint: "move the project to a folder whose path has no control characters",
    });
  }
  return error;
}

function actionOf(results: FileResult[], path: string) {
  return results.find((result) => result.path === path)?.action;
}

function displayPath(dir: string): string {
  const relativePath = relative(Deno.cwd(), dir);
  if (relativePath === "") return ".";
  return relativePath.startsWith("..") ? dir : `./${relativePath}`;
}

/** Builds the `allora init` command with replaceable components. */
export function createInitCommand(components: InitComponents = {}): Command {
  return {
    name: "init",
    summary: "write a worker project: config, main.py, identities, compose files",
    help: HELP,
    run: async (argv, context) => await run(parse(argv), context, components),
  };
}

/** The `allora init` command. */
export const command: Command = createInitCommand();
