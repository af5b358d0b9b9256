/**
 * The chain client: one connection to a CometBFT RPC endpoint with the emissions version
 * detected, typed queries, the live gas price, and one submission queue per account.
 *
 * Every call takes an AbortSignal and has a deadline (`timeoutMs`, per call or per client).
 *
 * @module
 */
import { DirectSecp256k1Wallet, type Registry } from "@cosmjs/proto-signing";
import {
  type AuthExtension,
  type BankExtension,
  type GasPrice,
  QueryClient,
  setupAuthExtension,
  setupBankExtension,
  SigningStargateClient,
} from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { type Logger, silentLogger } from "../log.ts";
import { ADDRESS_PREFIX, type ChainAccount, DENOM } from "./account.ts";
import {
  createEmissionsRegistry,
  type EmissionsExtension,
  type EmissionsVersion,
  setupEmissionsExtension,
} from "./emissions/mod.ts";
import { AbciQueryError, ChainError } from "./errors.ts";
import {
  DEFAULT_GAS_PRICE,
  GAS_PRICE_PATH,
  gasPriceFromDecCoin,
  GasPriceRequest,
  GasPriceResponse,
  MIN_GAS_MULTIPLIER,
  parseGasPrice,
} from "./fees.ts";
import {
  AbortableHttpClient,
  ChainTimeoutError,
  connectCometClient,
  REQUEST_TIMEOUT_MS,
  withCallSignal,
  withCodedQueries,
} from "./rpc.ts";
import { AccountSubmitter } from "./submit.ts";
import { resolveEmissionsVersion } from "./version.ts";

/** Options of {@link ChainClient.connect}. */
export interface ChainClientOptions {
  /** CometBFT RPC URL, e.g. http://127.0.0.1:26657. */
  rpc: string;
  /** "auto" probes the chain; "v9" or "v10" pins the package. @default "auto" */
  emissionsVersion?: string;
  /** "auto" or a fallback such as "10uallo" for when the feemarket query fails. @default "auto" */
  gasPrice?: string;
  /** Headroom on simulated gas; values below 1.5 are raised to 1.5. @default 1.5 */
  gasMultiplier?: number;
  /** Deadline of each call. @default 15_000 */
  timeoutMs?: number;
  /** How long to wait for a broadcast transaction to be in a block. @default 60_000 */
  broadcastTimeoutMs?: number;
  /** Interval of `tx_search` polls after broadcasting. @default 1_000 */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Closes the client when aborted. */
  signal?: AbortSignal;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
}

/** Chain status, as `allora chain status` prints it. */
export interface ChainStatus {
  chainId: string;
  height: number;
  time: string;
  nodeVersion: string;
  catchingUp: boolean;
  emissionsVersion: EmissionsVersion;
}

/** The query client with the auth, bank and emissions extensions. */
export type ChainQueryClient = QueryClient & AuthExtension & BankExtension & EmissionsExtension;

/** A connected chain client. Create it with {@link ChainClient.connect}; close it when done. */
export class ChainClient {
  readonly rpcUrl: string;
  readonly chainId: string;
  readonly emissionsVersion: EmissionsVersion;
  readonly registry: Registry;
  /** Typed queries; calls through it are not bound to a signal unless wrapped in `call()`. */
  readonly query: ChainQueryClient;
  readonly comet: CometClient;
  readonly logger: Logger;
  readonly #options: Required<Omit<ChainClientOptions, "logger" | "signal">>;
  readonly #submitters = new Map<string, Promise<AccountSubmitter>>();

  private constructor(
    options: ChainClientOptions,
    comet: CometClient,
    chainId: string,
    version: EmissionsVersion,
  ) {
    const {
      rpc,
      emissionsVersion = "auto",
      gasPrice = "auto",
      gasMultiplier = MIN_GAS_MULTIPLIER,
      timeoutMs = REQUEST_TIMEOUT_MS,
      broadcastTimeoutMs = 60_000,
      pollIntervalMs = 1_000,
      logger = silentLogger,
    } = options;
    this.#options = {
      rpc,
      emissionsVersion,
      gasPrice,
      gasMultiplier: Math.max(gasMultiplier, MIN_GAS_MULTIPLIER),
      timeoutMs,
      broadcastTimeoutMs,
      pollIntervalMs,
    };
    this.rpcUrl = rpc;
    this.comet = comet;
    this.chainId = chainId;
    this.emissionsVersion = version;
    this.logger = logger;
    this.registry = createEmissionsRegistry(version);
    this.query = QueryClient.withExtensions(
      withCodedQueries(comet),
      setupAuthExtension,
      setupBankExtension,
      setupEmissionsExtension(version),
    );
  }

  /**
   * Connects, reads the chain id from `status` and resolves the emissions version.
   *
   * @throws {ChainUnreachableError} when the RPC does not respond
   * @throws {UnsupportedChainError} when the chain serves no supported emissions version
   */
  static async connect(options: ChainClientOptions, call: CallOptions = {}): Promise<ChainClient> {
    const rpcClient = new AbortableHttpClient(options.rpc, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    try {
      const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? REQUEST_TIMEOUT_MS;
      return await runWithDeadline("connect to the chain", call.signal, timeoutMs, async () => {
        const comet = await connectCometClient(rpcClient);
        const status = await comet.status();
        const version = await resolveEmissionsVersion(options.emissionsVersion ?? "auto", comet);
        const client = new ChainClient(options, comet, status.nodeInfo.network, version);
        client.logger.debug("connected to chain", {
          rpc: options.rpc,
          chainId: client.chainId,
          emissionsVersion: version,
        });
        return client;
      });
    } catch (error) {
      rpcClient.disconnect();
      throw error;
    }
  }

  /**
   * Runs `fn` with the call's signal and deadline; ABCI query errors become {@link ChainError}s.
   *
   * @param operation what is being done, for messages: "read topic 3"
   */
  async call<T>(operation: string, options: CallOptions, fn: () => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    try {
      return await runWithDeadline(operation, options.signal, timeoutMs, fn);
    } catch (error) {
      if (!(error instanceof AbciQueryError)) throw error;
      throw new ChainError(operation, error, { cause: error });
    }
  }

  /** Returns chain id, height, node version and the emissions version. */
  async status(options: CallOptions = {}): Promise<ChainStatus> {
    const status = await this.call("read the chain status", options, () => this.comet.status());
    return {
      chainId: status.nodeInfo.network,
      height: status.syncInfo.latestBlockHeight,
      time: status.syncInfo.latestBlockTime.toISOString(),
      nodeVersion: status.nodeInfo.version,
      catchingUp: status.syncInfo.catchingUp,
      emissionsVersion: this.emissionsVersion,
    };
  }

  /** Returns the uallo balance of `address` (0 for accounts never funded). */
  async balance(address: string, options: CallOptions = {}): Promise<bigint> {
    const coin = await this.call(
      `read the balance of ${address}`,
      options,
      () => this.query.bank.balance(address, DENOM),
    );
    return BigInt(coin.amount || "0");
  }

  /** Returns the gas price: the feemarket's live price, else the configured or default one. */
  async gasPrice(options: CallOptions = {}): Promise<GasPrice> {
    try {
      const request = GasPriceRequest.toBytes({ denom: DENOM });
      const { value } = await this.call(
        "read the gas price",
        options,
        () => this.query.queryAbci(GAS_PRICE_PATH, request),
      );
      const amount = GasPriceResponse.decode(value).price?.amount;
      if (amount) return gasPriceFromDecCoin(amount);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      this.logger.warn("cannot read the feemarket gas price, using the fallback", { error });
    }
    const fallback = this.#options.gasPrice === "auto" ? DEFAULT_GAS_PRICE : this.#options.gasPrice;
    return parseGasPrice(fallback);
  }

  /** Returns the submission queue of `account`, the same one for every call with its address. */
  submitter(account: ChainAccount): Promise<AccountSubmitter> {
    let submitter = this.#submitters.get(account.address);
    if (submitter === undefined) {
      submitter = this.#createSubmitter(account);
      this.#submitters.set(account.address, submitter);
    }
    return submitter;
  }

  /** Aborts requests in flight and releases the connection. */
  close(): void {
    this.comet.disconnect();
  }

  async #createSubmitter(account: ChainAccount): Promise<AccountSubmitter> {
    const wallet = await DirectSecp256k1Wallet.fromKey(account.privateKey, ADDRESS_PREFIX);
    const [{ address }] = await wallet.getAccounts();
    if (address !== account.address) {
      throw new Error(`Cannot sign for ${account.address}: its private key belongs to ${address}`);
    }
    const signing = SigningStargateClient.createWithSigner(withCodedQueries(this.comet), wallet, {
      registry: this.registry,
    });
    const context = {
      comet: this.comet,
      registry: this.registry,
      chainId: this.chainId,
      logger: this.logger.child({ address }),
      gasMultiplier: this.#options.gasMultiplier,
      broadcastTimeoutMs: this.#options.broadcastTimeoutMs,
      pollIntervalMs: this.#options.pollIntervalMs,
      gasPrice: (signal: AbortSignal) => this.gasPrice({ signal }),
    };
    return new AccountSubmitter(context, account, signing);
  }
}

/** Runs `fn` with a signal aborted by `outer` or after `timeoutMs` (a cleared timer). */
async function runWithDeadline<T>(
  operation: string,
  outer: AbortSignal | undefined,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ChainTimeoutError(operation, timeoutMs)),
    timeoutMs,
  );
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  try {
    return await Promise.race([withCallSignal(signal, fn), aborted]);
  } finally {
    clearTimeout(timer);
  }
}
