/**
 * The `--env prod` step of `allora init`: pick the network and head addresses, create or
 * import the chain wallet, then write the deployment files.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { type Config, ConfigError, loadConfig, type Network } from "../node/config/config.ts";
import {
  BootNodeError,
  checkBootNode,
  isLoopbackAddress,
  parseBootNodes,
  PASSWORD_VARIABLE,
  planProdFiles,
  SECRETS_FILE,
} from "../node/project/prod.ts";
import { writeProject } from "../node/project/writer.ts";
import { pathExists } from "../node/fs.ts";
import { createKeystore, generateMnemonic, readKeystore, WalletError } from "../node/wallet/mod.ts";
import type { Context } from "./command.ts";
import { CliError, UsageError } from "./errors.ts";
import type { InitComponents, InitOptions } from "./init.ts";
import type { InitReport } from "./init_report.ts";
import { obtainMnemonic, obtainPassword, toCliError as walletCliError } from "./wallet_input.ts";

/** What {@link prepareProdStep} needs from the init run. */
export interface ProdStepInput {
  options: InitOptions;
  dir: string;
  report: InitReport;
  /** The config the dev step planned, used when config.yaml is absent or about to be replaced. */
  devConfig?: Config;
  context: Context;
}

/** The checked inputs of the prod step. */
export interface PreparedProdStep extends ProdStepInput {
  config: Config;
  network: Network;
  bootNodes: string[];
}

/**
 * Checks the prod inputs and prompts for confirmation, before anything is written.
 *
 * @throws {UsageError} when the network or the head addresses are missing or invalid
 * @throws {CliError} when there is no project or the user declines
 */
export async function prepareProdStep(input: ProdStepInput): Promise<PreparedProdStep> {
  const { options, dir, context } = input;
  const config = await projectConfig(input);
  const network = prodNetwork(options, config);
  const bootNodes = prodBootNodes(options, config, network);
  await confirm(context, `Set up ${config.name} on ${network} in ${dir}?`, options.dryRun);
  return { ...input, config, network, bootNodes };
}

/**
 * Creates or reuses the wallet, writes the deployment files and adds them to the report.
 *
 * @throws {CliError} when the wallet cannot be read or created, e.g. without a password
 * @throws {ProjectWriteError} when a file cannot be written
 */
export async function runProdStep(
  prepared: PreparedProdStep,
  components: InitComponents,
): Promise<void> {
  const { options, dir, report, context, config, network, bootNodes } = prepared;
  const wallet = await setUpWallet(prepared);
  const password = context.io.env(PASSWORD_VARIABLE) || undefined;
  const plan = await planProdFiles({
    config,
    projectDir: dir,
    network,
    bootNodes,
    alloraPath: alloraExecutable(),
    user: serviceUser(context),
    password,
  });
  if (plan.secretsSkipped !== undefined) {
    report.warnings.push(`${SECRETS_FILE} was not written: ${plan.secretsSkipped}`);
  }
  report.files.push(
    ...await writeProject(dir, plan.files, {
      force: options.force,
      dryRun: options.dryRun,
      beforeWrite: components.beforeWrite,
    }),
  );
  const secretsExist = await pathExists(join(dir, SECRETS_FILE));
  if (!secretsExist && (password === undefined || plan.secretsSkipped !== undefined)) {
    report.notes = [
      `put ${PASSWORD_VARIABLE}='<wallet password>' in ${SECRETS_FILE} and run: chmod 600 ${SECRETS_FILE}`,
    ];
  }
  report.walletAddress = wallet;
}

async function projectConfig(input: ProdStepInput): Promise<Config> {
  const path = join(input.dir, "config.yaml");
  if (input.devConfig !== undefined) {
    // The dev step is about to write this config: the file is absent or --force replaces it.
    const exists = await pathExists(path);
    if (!exists || input.options.force) return input.devConfig;
  }
  try {
    return await loadConfig(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const missing = error.cause instanceof Deno.errors.NotFound;
    throw new CliError(
      missing ? `Cannot set up prod in ${input.dir}: no config.yaml there` : error.message,
      {
        cause: missing ? undefined : error,
        hint: missing
          ? "run it inside a project folder, pass --dir, or pass --name and --topic to create the project first"
          : "fix config.yaml, or rerun the dev setup with --force to rewrite it",
      },
    );
  }
}

function prodNetwork(options: InitOptions, config: Config): Network {
  const network = options.network ?? (config.network === "local" ? undefined : config.network);
  if (network === undefined) {
    throw new UsageError("Missing option --network for --env prod", {
      hint: "pass --network allora-testnet-1 or --network allora-mainnet-1",
    });
  }
  return network;
}

function prodBootNodes(options: InitOptions, config: Config, network: Network): string[] {
  try {
    if (options.bootNodes !== undefined) {
      const parsed = options.bootNodes.flatMap((value) => parseBootNodes(value));
      if (parsed.length > 0) return parsed;
    }
    // Addresses of a local head are useless to a worker on a real network.
    const fromConfig = config.worker.boot_nodes.filter((address) =>
      network === "local" || !isLoopbackAddress(address)
    );
    for (const address of fromConfig) checkBootNode(address);
    if (fromConfig.length > 0) return fromConfig;
  } catch (error) {
    if (!(error instanceof BootNodeError)) throw error;
    throw new UsageError(error.message, {
      hint: "a head address looks like /dns4/<host>/tcp/<port>/p2p/12D3KooW…",
    });
  }
  throw new UsageError(`Missing option --boot-nodes for ${network}`, {
    hint: "pass the network's head addresses, each ending in /p2p/<peer id>, comma-separated",
  });
}

async function confirm(context: Context, question: string, dryRun: boolean): Promise<void> {
  if (context.global.yes || dryRun) return;
  const answer = await context.io.prompt(`${question} [y/N] `);
  if (!/^y(es)?$/i.test(answer?.trim() ?? "")) {
    throw new CliError("Cancelled: nothing was written", {
      hint: "pass --yes to skip the question",
    });
  }
}

/** Reuses the keystore at chain.wallet or creates it; returns the address. */
async function setUpWallet(prepared: PreparedProdStep): Promise<string | undefined> {
  const { options, dir, report, context, config } = prepared;
  const path = resolve(dir, config.chain.wallet);
  const exists = await pathExists(path);
  report.files.push({ path: config.chain.wallet, action: exists ? "keep" : "create" });
  if (options.dryRun) return undefined;

  try {
    if (exists) return (await readKeystore(path)).address;
    const mnemonic = options.importWallet ? await obtainMnemonic(context) : generateMnemonic();
    const password = await obtainPassword(context, { confirm: true });
    const created = await createKeystore(path, mnemonic, password, { force: false });
    if (!options.importWallet) showMnemonic(context, mnemonic, config.chain.wallet);
    return created.address;
  } catch (error) {
    throw error instanceof WalletError ? walletCliError(error) : error;
  }
}

/**
 * Shows a new mnemonic once on an interactive terminal; elsewhere it is never printed, so it
 * cannot end up in CI or service logs.
 */
function showMnemonic(context: Context, mnemonic: string, walletPath: string): void {
  if (context.io.stdinIsTerminal && !context.global.json) {
    context.io.err(
      `\nThe wallet's recovery phrase; write it down and keep it offline. It is shown only once:\n\n  ${mnemonic}\n\n`,
    );
    return;
  }
  context.logger.warn("new wallet created; its recovery phrase was not printed", {
    keystore: walletPath,
    hint:
      `on a terminal, back it up with: allora wallet show --show-mnemonic --keystore ${walletPath}`,
  });
}

function alloraExecutable(): string {
  const path = Deno.execPath();
  return basename(path).startsWith("allora") ? path : "/usr/local/bin/allora";
}

function serviceUser(context: Context): string | undefined {
  const user = context.io.env("USER");
  return user === undefined || user === "" || user === "root" ? undefined : user;
}
