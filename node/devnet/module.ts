/**
 * The contract between the chain double's core and its modules (bank, auth, emissions): message
 * handlers by type URL, query handlers by ABCI path, and an end-of-block hook.
 *
 * @module
 */
import type { GasMeter } from "./gas.ts";
import type { Logger } from "../log.ts";
import type { AppState } from "./state.ts";
import type { MessageSchema } from "./wire.ts";

/** One ABCI event attribute, as CometBFT 0.38 renders it in JSON. */
export interface EventAttribute {
  key: string;
  value: string;
  index: boolean;
}

/** One ABCI event. */
export interface AbciEvent {
  type: string;
  attributes: EventAttribute[];
}

/** Settings fixed at genesis that every handler may read. */
export interface ChainParams {
  chainId: string;
  /** Denom fees are paid in. */
  feeDenom: string;
  /** Minimum gas price in `feeDenom` per unit of gas; 0 disables the fee check. */
  minGasPrice: bigint;
}

/** Context of a message handler. */
export interface TxContext {
  /** The cache-wrapped state: dropped if the transaction fails. */
  state: AppState;
  height: number;
  time: Date;
  params: ChainParams;
  gas: GasMeter;
  events: AbciEvent[];
  /** Index of the message being executed, added to its events as `msg_index`. */
  msgIndex: number;
  simulate: boolean;
}

/** A message response, packed into the transaction's TxMsgData. */
export interface MsgResponse {
  typeUrl: string;
  value: Uint8Array;
}

/** Decoding, signers and execution of one message type. */
export interface MsgHandler<T = unknown> {
  typeUrl: string;
  /** Declared fields, for unknown-field rejection before decoding. */
  schema: MessageSchema;
  decode(bytes: Uint8Array): T;
  /** Addresses that must sign, in order. */
  signers(msg: T): string[];
  /** Applies the message; throws an AbciError to fail the transaction. */
  execute(context: TxContext, msg: T): MsgResponse;
}

/** Context of a query handler: the last committed state. */
export interface QueryContext {
  state: AppState;
  height: number;
  time: Date;
  params: ChainParams;
}

/** One ABCI query path (a gRPC method of a module's query service). */
export interface QueryHandler {
  path: string;
  /** Decodes the request, returns the encoded response; throws an AbciError on failure. */
  handle(context: QueryContext, request: Uint8Array): Uint8Array;
}

/** Context of the end-of-block hook. */
export interface BlockContext {
  state: AppState;
  height: number;
  time: Date;
  params: ChainParams;
  /** Block events (CometBFT `finalize_block_events`). */
  events: AbciEvent[];
  logger: Logger;
}

/** One module of the application. */
export interface AppModule {
  name: string;
  // deno-lint-ignore no-explicit-any
  messages?: MsgHandler<any>[];
  queries?: QueryHandler[];
  endBlock?(context: BlockContext): void;
}

/** Builds an event; attributes keep their insertion order and are all indexed. */
export function makeEvent(type: string, attributes: Record<string, string>): AbciEvent {
  return {
    type,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })),
  };
}
