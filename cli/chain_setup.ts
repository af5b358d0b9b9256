/**
 * Shared parts of the `allora chain` subcommands. They resolve the RPC endpoint, wallet and
 * emissions version from flags, config.yaml and the known networks, connect, unlock the wallet,
 * and turn chain errors into CLI errors with a next step.
 *
 * Precedence: flags, then `ALLORA_CHAIN_*` environment variables, then config.yaml (`chain.*`,
 * when the file exists), then defaults.
 *
 * @module
 */
import { dirname, isAbsolute, join } from "node:path";
import type { Context } from "./command.ts";
import { CliError, UsageError } from "./errors.ts";
import { parseChoice, type ParsedArgs, parseInteger } from "./args.ts";
import { DEFAULT_KEYSTORE_PATH, unlockWallet } from "./wallet_input.ts";
import { type Config, ConfigError, DEFAULT_CONFIG, NETWORKS } from "../node/config/config.ts";
import { applyEnvironment } from "../node/config/environment.ts";
import { NETWORK_ENDPOINTS } from "../node/config/networks.ts";
import { loadProjectConfig } from "./project_config.ts";
import { deriveAccount } from "../node/wallet/mod.ts";
import {
  AccountNotFoundError,
  type ChainAccount,
  ChainClient,
  ChainError,
  ChainTimeoutError,
  ChainUnreachableError,
  InsufficientBalanceError,
  TopicNotFoundError,
  UnsupportedChainError,
} from "../node/chain/mod.ts";
import { FAUCET_HINT } from "../node/chain/error_codes.ts";

/** Options every `allora chain` subcommand accepts. */
export const CHAIN_FLAGS = {
  rpc: { type: "string" },
  network: { type: "string" },
  config: { type: "string" },
  keystore: { type: "string" },
  "emissions-version": { type: "string" },
  "timeout-ms": { type: "string" },
} as const;

/** Help lines of {@link CHAIN_FLAGS}. */
export const CHAIN_FLAGS_HELP =
  `  --rpc URL              CometBFT RPC endpoint (default: chain.rpc, else ${NETWORK_ENDPOINTS.local.rpc})
  --network NAME         use the known RPC of ${NETWORKS.join(", ")}
  --config PATH          project config (default: config.yaml here, when present)
  --keystore PATH        wallet keystore (default: chain.wallet, else ${DEFAULT_KEYSTORE_PATH})
  --emissions-version V  auto, v9 or v10 (default: chain.emissions_version, else auto)
  --timeout-ms MS        deadline of each chain call in milliseconds (default: 15000)

The chain.* keys come from config.yaml and from ALLORA_CHAIN_RPC, ALLORA_CHAIN_WALLET,
ALLORA_CHAIN_GAS_PRICE and ALLORA_CHAIN_EMISSIONS_VERSION, which override the file.`;

/** Connection settings of a subcommand, resolved from flags, environment and config. */
export interface ChainSettings {
  rpc: string;
  keystore: string;
  emissionsVersion: string;
  gasPrice: string;
  timeoutMs: number;
}

/**
 * Resolves the settings of a subcommand.
 *
 * @param env environment lookup for `ALLORA_CHAIN_*` overrides
 * @throws {UsageError} for invalid flag values
 * @throws {CliError} when --config names a missing or invalid file, or a variable is invalid
 */
export async function resolveChainSettings(
  values: ParsedArgs["values"],
  env: (name: string) => string | undefined,
): Promise<ChainSettings> {
  const { chain, dir } = await loadChainConfig(values.config as string | undefined, env);
  const network = values.network === undefined
    ? undefined
    : parseChoice("--network", values.network as string, NETWORKS);
  const rpc = (values.rpc as string | undefined) ??
    (network ? NETWORK_ENDPOINTS[network].rpc : chain.rpc);
  if (!/^https?:\/\//.test(rpc)) {
    throw new UsageError(`Invalid value for --rpc: '${rpc}' (expected an http:// or https:// URL)`);
  }
  return {
    rpc,
    keystore: (values.keystore as string | undefined) ?? resolveFrom(dir, chain.wallet),
    emissionsVersion: (values["emissions-version"] as string | undefined) ??
      chain.emissions_version,
    gasPrice: chain.gas_price,
    timeoutMs: values["timeout-ms"] === undefined
      ? 15_000
      : parseInteger("--timeout-ms", values["timeout-ms"] as string, { min: 100, max: 600_000 }),
  };
}

// Without a config file the defaults stand in for it, so ALLORA_CHAIN_* still apply.
async function loadChainConfig(
  path: string | undefined,
  env: (name: string) => string | undefined,
): Promise<{ chain: Config["chain"]; dir: string }> {
  const loaded = await loadProjectConfig(path);
  const base: Config = loaded?.config ??
    { ...structuredClone(DEFAULT_CONFIG), name: "allora", topic: 1 };
  try {
    const { config } = applyEnvironment(base, env);
    return { chain: config.chain, dir: loaded ? dirname(loaded.path) : "." };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CliError(error.message, { hint: `fix or unset ${error.file}` });
  }
}

function resolveFrom(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/**
 * Connects to the chain of `settings`.
 *
 * @throws {CliError} with a next step when the chain cannot be reached or is unsupported
 */
export async function connectChain(
  settings: ChainSettings,
  context: Context,
): Promise<ChainClient> {
  try {
    return await ChainClient.connect({
      rpc: settings.rpc,
      emissionsVersion: settings.emissionsVersion,
      gasPrice: settings.gasPrice,
      timeoutMs: settings.timeoutMs,
      logger: context.logger,
    }, { signal: context.signal });
  } catch (error) {
    throw toChainCliError(error);
  }
}

/**
 * Unlocks the wallet keystore of `settings` and derives its account.
 *
 * @throws {CliError} for a missing keystore, a wrong password or no way to ask for it
 */
export async function unlockAccount(
  settings: ChainSettings,
  context: Context,
): Promise<ChainAccount> {
  const { mnemonic } = await unlockWallet(context, settings.keystore);
  return await deriveAccount(mnemonic);
}

/** The next step for a wallet without funds on a chain that runs on this machine. */
export const LOCAL_FUNDING_HINT =
  "fund the wallet on the local chain: restart it with 'allora devnet --fund ADDRESS=AMOUNT' " +
  "(AMOUNT in uallo), then check with 'allora chain balance'";

/** Tells whether an RPC URL points at this machine, where no public faucet applies. */
export function isLoopbackRpc(rpc: string): boolean {
  try {
    const host = new URL(rpc).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || host.startsWith("127.");
  } catch {
    return false;
  }
}

/**
 * Turns chain errors into {@link CliError}s with hints; returns other errors unchanged.
 *
 * @param rpc the RPC in use; for a loopback chain the faucet hint becomes the devnet's
 */
export function toChainCliError(error: unknown, rpc?: string): unknown {
  if (
    rpc !== undefined && isLoopbackRpc(rpc) &&
    (error instanceof InsufficientBalanceError ||
      (error instanceof ChainError && error.hint === FAUCET_HINT))
  ) {
    return new CliError(error.message, { hint: LOCAL_FUNDING_HINT });
  }
  if (error instanceof ChainUnreachableError) {
    return new CliError(error.message, {
      hint: "check --rpc or chain.rpc in config.yaml; for a local chain start 'allora devnet'",
    });
  }
  if (error instanceof ChainTimeoutError) {
    const hint = error.txHash
      ? `the transaction may still land; look it up later by its hash ${error.txHash}`
      : "the node is slow or unreachable; retry, or raise --timeout-ms";
    return new CliError(error.message, { hint });
  }
  if (error instanceof UnsupportedChainError) {
    return new CliError(error.message, {
      hint: "point --rpc at an Allora chain, or upgrade allora for newer chain releases",
    });
  }
  if (
    error instanceof ChainError || error instanceof InsufficientBalanceError ||
    error instanceof AccountNotFoundError || error instanceof TopicNotFoundError
  ) {
    return new CliError(error.message, { hint: error.hint });
  }
  return error;
}
