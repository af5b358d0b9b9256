/**
 * `allora devnet` as a library: a local Allora chain double that @cosmjs/stargate talks to
 * unchanged. It serves CometBFT JSON-RPC on loopback, produces a block every `blockTimeMs`, and
 * keeps its state in `<home>/state.json` so a restart continues at the last height.
 *
 * @example
 * ```ts
 * const devnet = await startDevnet({ port: 0, fund: [{ address, amount: 10n ** 18n }] });
 * const client = await StargateClient.connect(devnet.url);
 * await devnet.stop();
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { type Logger, silentLogger } from "../log.ts";
import { moduleAddress } from "./address.ts";
import { App } from "./app.ts";
import { authModule } from "./auth.ts";
import { bankModule } from "./bank.ts";
import { type BlockRecord, DevnetChain } from "./chain.ts";
import type { EmissionsVersion } from "../chain/emissions/mod.ts";
import { addGenesisTopics } from "./emissions/genesis.ts";
import { emissionsModule } from "./emissions/module.ts";
import { createGenesis, type GenesisFund } from "./genesis.ts";
import type { ChainParams } from "./module.ts";
import { createMethods } from "./rpc.ts";
import { serveRpc } from "./server.ts";
import { feemarketModule, txServiceModule } from "./services.ts";
import { loadSnapshot, saveSnapshot } from "./store.ts";

export { DevnetChain } from "./chain.ts";
export type { BlockRecord, TxRecord } from "./chain.ts";
export type { GenesisFund } from "./genesis.ts";

/** Default RPC port, CometBFT's. */
export const DEFAULT_RPC_PORT = 26657;
/** Default interval between blocks. */
export const DEFAULT_BLOCK_TIME_MS = 1_000;
/** Default chain id. */
export const DEFAULT_CHAIN_ID = "localnet";
/** Minimum gas price of the feemarket era (chain v0.7.0 and later), in uallo per gas. */
export const DEFAULT_MIN_GAS_PRICE = 10n;
/** The fee and staking denom. */
export const FEE_DENOM = "uallo";
/** CometBFT version reported by `status`. */
export const COMET_VERSION = "0.38.19";
/** The emulated emissions package version: `emissions.v9`, chain v0.16 (mainnet). */
export const EMISSIONS_VERSION: EmissionsVersion = "v9";
/** Default blocks between worker nonces of the genesis topics (the chain's min_epoch_length). */
export const DEFAULT_EPOCH_LENGTH = 12;
/** Default worker submission window in blocks, shortened to the epoch length when longer. */
export const DEFAULT_WORKER_SUBMISSION_WINDOW = 10;

/** Options of {@link startDevnet}. */
export interface DevnetOptions {
  /** @default "127.0.0.1" */
  hostname?: string;
  /** RPC port; 0 picks a free one. @default 26657 */
  port?: number;
  /** Folder of `state.json`; without it the state lives in memory only. */
  home?: string;
  /** Interval between blocks; 0 produces blocks only through {@link Devnet.produceBlock}. @default 1000 */
  blockTimeMs?: number;
  /** @default "localnet" */
  chainId?: string;
  /** Genesis balances, ignored when `home` already contains a state. */
  fund?: readonly GenesisFund[];
  /** Minimum gas price in uallo per gas; 0 emulates chains before v0.7.0. @default 10n */
  minGasPrice?: bigint;
  /** Topic ids created at genesis. @default [1n] */
  topics?: readonly bigint[];
  /** Blocks between worker nonces of the genesis topics. @default 12 */
  epochLength?: number;
  /** Worker submission window of the genesis topics, in blocks. @default min(10, epochLength) */
  workerSubmissionWindow?: number;
  /**
   * Emissions package to serve: its query paths, type URLs and message fields. The module's
   * rules are those of `emissions.v9` either way, and the state file does not record the
   * package. @default "v9"
   */
  emissionsVersion?: EmissionsVersion;
  /** @default silentLogger */
  logger?: Logger;
  /** Stops the devnet when aborted. */
  signal?: AbortSignal;
}

/** A running devnet. */
export interface Devnet {
  /** RPC base URL, e.g. "http://127.0.0.1:26657". */
  url: string;
  port: number;
  chainId: string;
  /** The chain's state machine: height, blocks, transactions, balances, accounts. */
  state: DevnetChain;
  /** Produces one block now (besides the timer) and returns it. */
  produceBlock(): BlockRecord;
  /** Resolves once the chain has committed `height`. */
  waitForHeight(height: number, options?: { signal?: AbortSignal }): Promise<void>;
  /** Stops block production and the server, and saves the state. */
  stop(): Promise<void>;
}

/** A devnet that cannot start: an invalid option or a state file that does not fit. */
export class DevnetError extends Error {
  override name = "DevnetError";
}

/**
 * Starts a devnet, producing block 1 at once when the chain is new.
 *
 * @throws {DevnetError} when the state file is unreadable or belongs to another chain id
 * @throws {GenesisError} for invalid genesis balances
 * @throws {EmissionsGenesisError} for invalid topic ids, epoch length or window
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const {
    hostname = "127.0.0.1",
    port = DEFAULT_RPC_PORT,
    home,
    blockTimeMs = DEFAULT_BLOCK_TIME_MS,
    logger = silentLogger,
    signal,
  } = options;
  const stateFile = home === undefined ? undefined : join(home, "state.json");
  const snapshot = openSnapshot(stateFile, options, logger);
  const params: ChainParams = {
    chainId: snapshot.chainId,
    feeDenom: snapshot.feeDenom,
    minGasPrice: snapshot.minGasPrice,
  };
  let chain: DevnetChain | undefined = undefined;
  const app = new App(params, [
    authModule,
    bankModule,
    feemarketModule(params),
    emissionsModule(options.emissionsVersion ?? EMISSIONS_VERSION),
    txServiceModule((bytes) => chain!.simulate(bytes)),
  ], logger);
  chain = new DevnetChain(snapshot, app, logger);
  const save = () => {
    if (stateFile !== undefined) saveSnapshot(stateFile, snapshot);
  };
  if (chain.height === 0) {
    chain.produceBlock(new Date());
    save();
  }
  const server = await serveRpc(
    createMethods(chain, { comet: COMET_VERSION, app: "devnet" }, `tcp://${hostname}:${port}`),
    { hostname, port, logger },
  );
  const producer = startProducer(chain, blockTimeMs, save, logger);
  let stopping: Promise<void> | undefined;
  const devnet: Devnet = {
    url: server.url,
    port: server.port,
    chainId: chain.chainId,
    state: chain,
    produceBlock() {
      const block = chain.produceBlock(new Date());
      save();
      return block;
    },
    waitForHeight: (height, waitOptions) => waitForHeight(chain, height, waitOptions?.signal),
    stop() {
      stopping ??= (async () => {
        producer.stop();
        await server.close();
        save();
        logger.info("devnet stopped", { height: chain.height });
      })();
      return stopping;
    },
  };
  signal?.addEventListener("abort", () => void devnet.stop(), { once: true });
  logger.info("devnet started", { rpc: server.url, chain_id: chain.chainId, height: chain.height });
  return devnet;
}

function openSnapshot(stateFile: string | undefined, options: DevnetOptions, logger: Logger) {
  const { chainId = DEFAULT_CHAIN_ID } = options;
  const loaded = stateFile === undefined ? undefined : loadSnapshot(stateFile);
  if (loaded === undefined) {
    if (stateFile === undefined) {
      logger.info("state is kept in memory only; pass --home DIR to keep it across restarts");
    }
    const snapshot = createGenesis({
      chainId,
      time: new Date(),
      feeDenom: FEE_DENOM,
      minGasPrice: options.minGasPrice ?? DEFAULT_MIN_GAS_PRICE,
      fund: options.fund ?? [],
    });
    const epochLength = options.epochLength ?? DEFAULT_EPOCH_LENGTH;
    addGenesisTopics(snapshot.app.emissions, {
      topics: options.topics?.length ? options.topics : [1n],
      epochLength: BigInt(epochLength),
      workerSubmissionWindow: BigInt(
        options.workerSubmissionWindow ?? Math.min(DEFAULT_WORKER_SUBMISSION_WINDOW, epochLength),
      ),
      creator: moduleAddress("emissions"),
    });
    return snapshot;
  }
  if (options.chainId !== undefined && options.chainId !== loaded.chainId) {
    throw new DevnetError(
      `Cannot start devnet: ${stateFile} contains chain '${loaded.chainId}', not '${options.chainId}'`,
    );
  }
  logger.info("continuing the chain from its state file; genesis options are ignored", {
    file: stateFile,
    height: loaded.blocks.at(-1)?.height ?? 0,
  });
  return loaded;
}

function startProducer(chain: DevnetChain, blockTimeMs: number, save: () => void, logger: Logger) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      chain.produceBlock(new Date());
      save();
    } catch (error) {
      logger.error("block production failed", { height: chain.height + 1, error });
    }
    timer = setTimeout(tick, blockTimeMs);
  };
  if (blockTimeMs > 0) timer = setTimeout(tick, blockTimeMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function waitForHeight(chain: DevnetChain, height: number, signal?: AbortSignal): Promise<void> {
  if (chain.height >= height) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      remove();
      reject(signal!.reason);
    };
    const remove = chain.onBlock((block) => {
      if (block.height < height) return;
      remove();
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
