/**
 * The HTTP JSON-RPC transport under @cosmjs's Comet clients, with cancellation.
 *
 * @cosmjs's own `HttpClient` takes no AbortSignal and times out with `AbortSignal.timeout()`,
 * which keeps a Deno process alive until it fires. This client aborts each request when the
 * caller's signal (carried through @cosmjs's promise chains by AsyncLocalStorage), the client's
 * lifetime signal or a cleared per-request timer fires.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  Comet1Client,
  Comet38Client,
  type CometClient,
  type RpcClient,
  Tendermint37Client,
} from "@cosmjs/tendermint-rpc";
import { AbciQueryError } from "./errors.ts";
import { httpRequest } from "../api/client.ts";

/** Default deadline of one JSON-RPC request. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** A chain RPC that cannot be reached or returns something that is not JSON-RPC. */
export class ChainUnreachableError extends Error {
  override name = "ChainUnreachableError";
  readonly url: string;

  constructor(url: string, detail: string, options?: ErrorOptions) {
    super(`Cannot reach the chain RPC at ${url}: ${detail}`, options);
    this.url = url;
  }
}

/** A chain call that did not finish within its deadline. */
export class ChainTimeoutError extends Error {
  override name = "ChainTimeoutError";
  readonly operation: string;
  readonly timeoutMs: number;
  /** Hash of a broadcast transaction that was not seen in a block in time. */
  readonly txHash?: string;

  constructor(operation: string, timeoutMs: number, txHash?: string) {
    super(
      txHash === undefined
        ? `Cannot ${operation}: no response from the chain within ${timeoutMs} ms`
        : `Cannot ${operation}: transaction ${txHash} not in a block after ${timeoutMs} ms`,
    );
    this.operation = operation;
    this.timeoutMs = timeoutMs;
    this.txHash = txHash;
  }
}

const callSignals = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `fn` so that every JSON-RPC request it makes is aborted when `signal` aborts.
 *
 * @example
 * ```ts
 * const status = await withCallSignal(signal, () => comet.status());
 * ```
 */
export function withCallSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return callSignals.run(signal, fn);
}

/** Options of {@link AbortableHttpClient}. */
export interface HttpClientOptions {
  /** @default REQUEST_TIMEOUT_MS */
  timeoutMs?: number;
  /** Aborts every request, e.g. on shutdown. */
  signal?: AbortSignal;
}

/** A JSON-RPC over HTTP POST client for CometBFT whose requests can be aborted. */
export class AbortableHttpClient implements RpcClient {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #lifetime = new AbortController();

  constructor(url: string, options: HttpClientOptions = {}) {
    const { timeoutMs = REQUEST_TIMEOUT_MS, signal } = options;
    this.url = url;
    this.#timeoutMs = timeoutMs;
    if (signal?.aborted) this.#lifetime.abort(signal.reason);
    signal?.addEventListener("abort", () => this.#lifetime.abort(signal.reason), { once: true });
  }

  /** Aborts requests still in flight. */
  disconnect = (): void => {
    this.#lifetime.abort(new Error("chain client closed"));
  };

  /** Sends one JSON-RPC request; rejects on transport errors and JSON-RPC errors. */
  execute = async (request: { id: unknown; method: string }) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new ChainTimeoutError(`call '${request.method}'`, this.#timeoutMs)),
      this.#timeoutMs,
    );
    const signals = [controller.signal, this.#lifetime.signal];
    const callSignal = callSignals.getStore();
    if (callSignal !== undefined) signals.push(callSignal);
    const signal = AbortSignal.any(signals);
    try {
      // node:http, not fetch: fetch refuses some ports a local chain may use (e.g. 6000).
      const response = await httpRequest(this.url, {
        json: request,
        signal,
        timeoutMs: this.#timeoutMs,
      });
      return this.#parse(request.method, response.status, response.body);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof ChainUnreachableError) throw error;
      throw new ChainUnreachableError(this.url, (error as Error).message, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };

  #parse(method: string, status: number, body: string) {
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(body);
    } catch (error) {
      throw new ChainUnreachableError(
        this.url,
        `'${method}' returned HTTP ${status} with a body that is not JSON`,
        { cause: error },
      );
    }
    if (document.error !== undefined) {
      throw new Error(`JSON-RPC '${method}' failed: ${JSON.stringify(document.error)}`);
    }
    if (status >= 400 || document.result === undefined) {
      throw new ChainUnreachableError(this.url, `'${method}' returned HTTP ${status}`);
    }
    // deno-lint-ignore no-explicit-any
    return document as any;
  }
}

/**
 * Picks the Comet client matching the node's CometBFT version, as @cosmjs's `connectComet`
 * does, but over `rpcClient`.
 */
export async function connectCometClient(rpcClient: RpcClient): Promise<CometClient> {
  const probe = Tendermint37Client.create(rpcClient);
  const version = (await probe.status()).nodeInfo.version;
  if (version.startsWith("0.38.")) return Comet38Client.create(rpcClient);
  if (version.startsWith("1.")) return Comet1Client.create(rpcClient);
  return probe;
}

/**
 * Returns a view of `comet` whose `abciQuery` rejects non-zero codes with an
 * {@link AbciQueryError} that keeps the codespace, which @cosmjs's `QueryClient` drops.
 */
export function withCodedQueries(comet: CometClient): CometClient {
  const abciQuery: CometClient["abciQuery"] = async (params) => {
    const response = await comet.abciQuery(params);
    if (response.code) {
      throw new AbciQueryError(
        params.path,
        response.code,
        response.codespace ?? "",
        response.log ?? "",
      );
    }
    return response;
  };
  return new Proxy(comet, {
    get: (target, property, receiver) =>
      property === "abciQuery" ? abciQuery : Reflect.get(target, property, receiver),
  });
}
