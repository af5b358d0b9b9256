/**
 * The local chain of `allora dev`: an `allora devnet` child process that keeps its state in
 * `data/devnet`, a fresh wallet per worker for each run, and the tokens those wallets need.
 *
 * The devnet runs as a child, like the head and the workers, so its block production and state
 * writes never hold up the supervisor, and its log lines are prefixed like theirs. The worker
 * wallets exist only in memory: `allora dev` generates their mnemonics, hands each to its
 * worker in that child's `ALLORA_WALLET_MNEMONIC`, and funds them from the devnet faucet (a
 * public key, see node/dev/faucet.ts). Nothing secret is written to a file.
 *
 * @module
 */
import { ChainClient, formatAllo } from "../node/chain/mod.ts";
import type { Config } from "../node/config/config.ts";
import {
  DEV_FAUCET_BALANCE,
  DEV_WORKER_FUNDS,
  devFaucetAccount,
  fundFromFaucet,
} from "../node/dev/faucet.ts";
import { selfCommand } from "../node/dev/self.ts";
import type { Supervisor } from "../node/dev/supervisor.ts";
import { describeError, type Logger } from "../node/log.ts";
import { deriveAccount, generateMnemonic } from "../node/wallet/mod.ts";
import { CliError } from "./errors.ts";
import { MNEMONIC_ENV } from "./worker_chain.ts";

/** Milliseconds between devnet blocks. */
export const DEV_BLOCK_TIME_MS = 500;
/** Blocks between worker nonces: a nonce opens every 5 s. */
export const DEV_EPOCH_LENGTH = 10;
/** How often the head reads the chain for new nonces. */
export const DEV_SCHEDULE_INTERVAL = "1s";
/** Folder of the devnet's state, relative to the project. */
export const DEVNET_HOME = "data/devnet";
/** RPC port when chain.rpc names no loopback port: CometBFT's. */
export const DEFAULT_DEV_CHAIN_PORT = 26657;

/** A running dev chain and the wallets of this run's workers. */
export interface DevChain {
  rpc: string;
  chainId: string;
  topic: number;
  /** One per worker, in worker order. */
  wallets: DevWallet[];
}

/** A worker's wallet; the mnemonic stays in memory and goes only to that worker. */
export interface DevWallet {
  address: string;
  /** Environment of the worker process that hands it the wallet. */
  env: Record<string, string>;
}

/** Options of {@link startDevChain}. */
export interface DevChainOptions {
  root: string;
  config: Config;
  port: number;
  workers: number;
  logArgs: string[];
  readyTimeoutMs: number;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * Returns the RPC port of the dev chain: the port of `chain.rpc` when it points at this
 * machine, so `allora chain` in the project folder reaches the devnet without --rpc.
 */
export function devChainPort(config: Config): number {
  try {
    const url = new URL(config.chain.rpc);
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") return DEFAULT_DEV_CHAIN_PORT;
    return url.port === "" ? DEFAULT_DEV_CHAIN_PORT : Number(url.port);
  } catch {
    return DEFAULT_DEV_CHAIN_PORT;
  }
}

/**
 * Starts the devnet child, waits for it, and funds a new wallet for each worker.
 *
 * @throws {CliError} when the devnet in data/devnet lacks the project topic or the faucet
 * @throws {ChildStartError} when the devnet exits or does not become ready
 */
export async function startDevChain(
  supervisor: Supervisor,
  options: DevChainOptions,
): Promise<DevChain> {
  const { config, logger } = options;
  const devnet = supervisor.start({
    name: "devnet",
    command: selfCommand([
      "devnet",
      "--json",
      ...options.logArgs,
      "--rpc-port",
      String(options.port),
      "--home",
      DEVNET_HOME,
      "--block-time",
      String(DEV_BLOCK_TIME_MS),
      "--topic",
      String(config.topic),
      "--epoch-length",
      String(DEV_EPOCH_LENGTH),
      "--fund",
      `${devFaucetAccount().address}=${DEV_FAUCET_BALANCE}`,
    ]),
    cwd: options.root,
    readyTimeoutMs: options.readyTimeoutMs,
    // The workers finish their submissions while they stop.
    stopLast: true,
  });
  const ready = await devnet.ready;
  const rpc = String(ready.rpc);

  const mnemonics = Array.from({ length: options.workers }, () => generateMnemonic());
  const accounts = await Promise.all(mnemonics.map((mnemonic) => deriveAccount(mnemonic)));
  const client = await ChainClient.connect({ rpc, logger }, { signal: options.signal });
  try {
    await checkTopic(client, config.topic);
    const funded = await fundFromFaucet(
      client,
      accounts.map((account) => account.address),
      DEV_WORKER_FUNDS,
      options.signal,
    ).catch((error) => {
      throw new CliError(
        `Cannot fund the dev workers from the devnet faucet: ${describeError(error)}`,
        {
          hint: `delete ${DEVNET_HOME} to start a new local chain`,
        },
      );
    });
    logger.info("funded the dev worker wallets", {
      tx_hash: funded.txHash,
      each_allo: formatAllo(DEV_WORKER_FUNDS),
      addresses: accounts.map((account) => account.address),
    });
    return {
      rpc,
      chainId: client.chainId,
      topic: config.topic,
      wallets: accounts.map((account, index) => ({
        address: account.address,
        env: { [MNEMONIC_ENV]: mnemonics[index] },
      })),
    };
  } finally {
    client.close();
  }
}

async function checkTopic(client: ChainClient, topic: number): Promise<void> {
  if (await client.query.emissions.topicExists(BigInt(topic))) return;
  throw new CliError(`Cannot use the local chain in ${DEVNET_HOME}: it has no topic ${topic}`, {
    hint: `it was created for another topic; delete ${DEVNET_HOME} to start a new chain`,
  });
}

/** Returns the arguments that point the head at the dev chain and schedule the topic. */
export function headChainArgs(chain: DevChain, config: Config): string[] {
  return [
    "--chain-rpc",
    chain.rpc,
    "--schedule",
    `${chain.topic}=${config.inference.default_arg}`,
    "--schedule-interval",
    DEV_SCHEDULE_INTERVAL,
  ];
}

/** Returns the banner lines about the dev chain. */
export function chainBanner(chain: DevChain): string {
  const seconds = (DEV_BLOCK_TIME_MS * DEV_EPOCH_LENGTH) / 1000;
  const lines = [
    `chain: devnet ${chain.rpc} (chain id ${chain.chainId}, state in ${DEVNET_HOME})`,
    `  topic ${chain.topic} opens a worker nonce every ${seconds} s; the head sends one request per`,
    `  nonce and the workers submit their inferences from these accounts:`,
    ...chain.wallets.map((wallet) => `    ${wallet.address}`),
    `  allora chain status --rpc ${chain.rpc}`,
    `  allora chain topic ${chain.topic} --rpc ${chain.rpc}`,
    `  allora chain balance ${chain.wallets[0]?.address ?? ""} --rpc ${chain.rpc}`,
  ];
  return lines.join("\n") + "\n";
}
