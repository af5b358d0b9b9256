/**
 * The application of the chain double: it runs a transaction in one of the three ABCI modes
 * (CheckTx, FinalizeBlock delivery, Simulate) against a copy of the state, and routes queries.
 *
 * As in the SDK, CheckTx runs only the ante handler; delivery keeps the ante handler's changes
 * (fee, sequence) even when a message fails, and drops the messages' changes.
 *
 * @module
 */
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { describeError, type Logger } from "../log.ts";
import { runAnte } from "./ante.ts";
import { AbciError, grpcError, OutOfGasError, SDK_CODES, sdkError } from "./errors.ts";
import { GasMeter } from "./gas.ts";
import {
  type AbciEvent,
  type AppModule,
  type ChainParams,
  makeEvent,
  type MsgHandler,
  type MsgResponse,
  type QueryContext,
  type QueryHandler,
  type TxContext,
} from "./module.ts";
import type { AppState } from "./state.ts";
import { type DecodedTx, decodeTx } from "./tx.ts";

/** ABCI execution modes. */
export type ExecMode = "check" | "deliver" | "simulate";

/** The result of one transaction, as CometBFT stores and reports it. */
export interface TxResult {
  code: number;
  codespace: string;
  log: string;
  gasWanted: bigint;
  gasUsed: bigint;
  events: AbciEvent[];
  /** Encoded TxMsgData; empty on failure. */
  data: Uint8Array;
}

/** The outcome of running one transaction: its result, responses and decoded form. */
export interface TxOutcome extends TxResult {
  msgResponses: MsgResponse[];
  /** The decoded transaction, when decoding succeeded. */
  tx?: DecodedTx;
}

/** The block height and time a transaction runs at. */
export interface RunEnv {
  height: number;
  time: Date;
}

/** Message and query routing over a set of modules. */
export class App {
  readonly params: ChainParams;
  readonly #modules: readonly AppModule[];
  readonly #handlers = new Map<string, MsgHandler>();
  readonly #queries = new Map<string, QueryHandler>();
  readonly #logger: Logger;

  constructor(params: ChainParams, modules: readonly AppModule[], logger: Logger) {
    this.params = params;
    this.#modules = modules;
    this.#logger = logger;
    for (const module of modules) {
      for (const handler of module.messages ?? []) this.#handlers.set(handler.typeUrl, handler);
      for (const query of module.queries ?? []) this.#queries.set(query.path, query);
    }
  }

  /** Type URLs of the messages the application accepts. */
  get messageTypes(): string[] {
    return [...this.#handlers.keys()];
  }

  /**
   * Runs `bytes` in `mode` on a copy of `state`; returns the outcome and the state after it.
   * The returned state is `state` itself when the transaction changed nothing.
   */
  runTx(state: AppState, bytes: Uint8Array, mode: ExecMode, env: RunEnv): [TxOutcome, AppState] {
    let tx: DecodedTx;
    try {
      tx = decodeTx(bytes, this.#handlers);
    } catch (error) {
      return [this.#failure(error, 0n, 0n, []), state];
    }
    const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
    const gas = new GasMeter(mode === "simulate" ? undefined : gasWanted);
    const anteState = structuredClone(state);
    const context: TxContext = {
      state: anteState,
      height: env.height,
      time: env.time,
      params: this.params,
      gas,
      events: [],
      msgIndex: 0,
      simulate: mode === "simulate",
    };
    try {
      runAnte(context, tx);
    } catch (error) {
      return [{ ...this.#failure(error, gasWanted, gas.used, []), tx }, state];
    }
    const anteEvents = context.events;
    if (mode === "check") {
      return [this.#success(tx, gasWanted, gas.used, anteEvents, []), anteState];
    }
    const msgState = structuredClone(anteState);
    const msgContext: TxContext = { ...context, state: msgState, events: [...anteEvents] };
    const responses: MsgResponse[] = [];
    try {
      tx.msgs.forEach(({ typeUrl, handler, msg }, index) => {
        msgContext.msgIndex = index;
        const [signer] = handler.signers(msg);
        msgContext.events.push(makeEvent("message", {
          action: typeUrl,
          sender: signer,
          module: moduleOf(typeUrl),
          msg_index: String(index),
        }));
        responses.push(handler.execute(msgContext, msg));
      });
    } catch (error) {
      const failed = wrapMessageError(error, msgContext.msgIndex);
      return [{ ...this.#failure(failed, gasWanted, gas.used, anteEvents), tx }, anteState];
    }
    return [this.#success(tx, gasWanted, gas.used, msgContext.events, responses), msgState];
  }

  /**
   * Runs an ABCI query against committed state.
   *
   * @throws {AbciError} sdk code 6 for an unknown path, or the handler's error
   */
  query(context: QueryContext, path: string, data: Uint8Array): Uint8Array {
    const handler = this.#queries.get(path);
    if (handler === undefined) {
      throw sdkError(SDK_CODES.unknownRequest, `unknown query path: ${path}`);
    }
    try {
      return handler.handle(context, data);
    } catch (error) {
      if (error instanceof AbciError) throw error;
      // Protobuf decode failures of the request land here.
      throw grpcError("InvalidArgument", describeError(error));
    }
  }

  /** Runs every module's end-of-block hook on `state`. */
  endBlock(state: AppState, env: RunEnv, events: AbciEvent[]): void {
    for (const module of this.#modules) {
      module.endBlock?.({
        state,
        height: env.height,
        time: env.time,
        params: this.params,
        events,
        logger: this.#logger,
      });
    }
  }

  #success(
    tx: DecodedTx,
    gasWanted: bigint,
    gasUsed: bigint,
    events: AbciEvent[],
    msgResponses: MsgResponse[],
  ): TxOutcome {
    const data = msgResponses.length === 0
      ? new Uint8Array()
      : TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: "", log: "", gasWanted, gasUsed, events, data, msgResponses, tx };
  }

  #failure(error: unknown, gasWanted: bigint, gasUsed: bigint, events: AbciEvent[]): TxOutcome {
    const base = { gasWanted, gasUsed, events, data: new Uint8Array(), msgResponses: [] };
    if (error instanceof AbciError) {
      return { ...base, code: error.code, codespace: error.codespace, log: error.log };
    }
    // The SDK reports an unregistered error as codespace "undefined", code 1.
    this.#logger.error("transaction failed with an unexpected error", { error });
    return { ...base, code: 1, codespace: "undefined", log: `internal: ${describeError(error)}` };
  }
}

/** Prefixes a message's error with its index, as the SDK does; out-of-gas stays as it is. */
function wrapMessageError(error: unknown, index: number): unknown {
  if (!(error instanceof AbciError) || error instanceof OutOfGasError) return error;
  return new AbciError(
    error.codespace,
    error.code,
    `failed to execute message; message index: ${index}: ${error.log}`,
  );
}

/** Returns the module name of a type URL: "/cosmos.bank.v1beta1.MsgSend" gives "bank". */
function moduleOf(typeUrl: string): string {
  const parts = typeUrl.slice(1).split(".");
  return parts[0] === "cosmos" ? parts[1] : parts[0];
}
