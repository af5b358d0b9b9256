/**
 * Transaction decoding for the chain double: TxRaw → TxBody and AuthInfo → each message, with
 * the SDK's unknown-field rejection and basic validation.
 *
 * @module
 */
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SDK_CODES, sdkError } from "./errors.ts";
import type { MsgHandler } from "./module.ts";
import {
  AUTH_INFO_SCHEMA,
  SECP256K1_PUBKEY_SCHEMA,
  SECP256K1_PUBKEY_TYPE_URL,
  TX_BODY_SCHEMA,
  TX_RAW_SCHEMA,
} from "./tx_schema.ts";
import { checkKnownFields } from "./wire.ts";

/** One decoded message and the handler that runs it. */
export interface DecodedMsg {
  typeUrl: string;
  handler: MsgHandler;
  msg: unknown;
}

/** A decoded transaction; the byte fields are kept as sent because signatures cover them. */
export interface DecodedTx {
  bytes: Uint8Array;
  /** Uppercase hex SHA-256 of `bytes`, the CometBFT transaction hash. */
  hash: string;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
  body: TxBody;
  authInfo: AuthInfo;
  msgs: DecodedMsg[];
}

/** Returns the CometBFT hash of transaction bytes: uppercase hex SHA-256. */
export function txHash(bytes: Uint8Array): string {
  return toHex(sha256(bytes)).toUpperCase();
}

/**
 * Decodes and checks a transaction.
 *
 * @throws {AbciError} sdk code 2 for undecodable bytes, unknown fields or unknown type URLs,
 *   31 for extension options, 18 for an empty body
 */
export function decodeTx(bytes: Uint8Array, handlers: ReadonlyMap<string, MsgHandler>): DecodedTx {
  const resolve = (typeUrl: string) =>
    typeUrl === SECP256K1_PUBKEY_TYPE_URL ? SECP256K1_PUBKEY_SCHEMA : handlers.get(typeUrl)?.schema;
  checkKnownFields(bytes, TX_RAW_SCHEMA, resolve);
  const raw = TxRaw.decode(bytes);
  checkKnownFields(raw.bodyBytes, TX_BODY_SCHEMA, resolve);
  checkKnownFields(raw.authInfoBytes, AUTH_INFO_SCHEMA, resolve);
  const body = TxBody.decode(raw.bodyBytes);
  const authInfo = AuthInfo.decode(raw.authInfoBytes);
  if (body.extensionOptions.length > 0) {
    throw sdkError(SDK_CODES.unknownExtensionOptions, "unknown extension options");
  }
  if (body.messages.length === 0) {
    throw sdkError(SDK_CODES.invalidRequest, "must contain at least one message");
  }
  const msgs = body.messages.map((any) => {
    // checkKnownFields has resolved every message type URL already.
    const handler = handlers.get(any.typeUrl)!;
    return { typeUrl: any.typeUrl, handler, msg: decodeMsg(handler, any.value) };
  });
  return {
    bytes,
    hash: txHash(bytes),
    bodyBytes: raw.bodyBytes,
    authInfoBytes: raw.authInfoBytes,
    signatures: raw.signatures,
    body,
    authInfo,
    msgs,
  };
}

function decodeMsg(handler: MsgHandler, value: Uint8Array): unknown {
  try {
    return handler.decode(value);
  } catch (error) {
    throw sdkError(
      SDK_CODES.txDecode,
      `cannot decode ${handler.typeUrl}: ${error instanceof Error ? error.message : error}`,
    );
  }
}
