/**
 * Field tables of the Cosmos SDK transaction envelope and bank messages, for the unknown-field
 * walk in `wire.ts` (field numbers from cosmos-sdk v0.50 proto/cosmos/tx/v1beta1/tx.proto).
 *
 * @module
 */
import type { MessageSchema } from "./wire.ts";

/** cosmos.base.v1beta1.Coin */
export const COIN_SCHEMA: MessageSchema = {
  name: "cosmos.base.v1beta1.Coin",
  fields: { 1: "string", 2: "string" },
};

const MODE_INFO_SCHEMA: MessageSchema = {
  name: "cosmos.tx.v1beta1.ModeInfo",
  fields: {
    1: { name: "cosmos.tx.v1beta1.ModeInfo.Single", fields: { 1: "varint" } },
    2: {
      name: "cosmos.tx.v1beta1.ModeInfo.Multi",
      fields: {
        1: {
          name: "cosmos.crypto.multisig.v1beta1.CompactBitArray",
          fields: { 1: "varint", 2: "bytes" },
        },
        2: () => MODE_INFO_SCHEMA,
      },
    },
  },
};

/** cosmos.tx.v1beta1.TxRaw; the body and auth info are checked separately. */
export const TX_RAW_SCHEMA: MessageSchema = {
  name: "cosmos.tx.v1beta1.TxRaw",
  fields: { 1: "bytes", 2: "bytes", 3: "bytes" },
};

/** cosmos.tx.v1beta1.TxBody, with its non-critical extension range. */
export const TX_BODY_SCHEMA: MessageSchema = {
  name: "cosmos.tx.v1beta1.TxBody",
  fields: { 1: "any", 2: "string", 3: "varint", 4: "varint", 1023: "any", 2047: "any" },
  nonCriticalAllowed: true,
};

/** cosmos.tx.v1beta1.AuthInfo */
export const AUTH_INFO_SCHEMA: MessageSchema = {
  name: "cosmos.tx.v1beta1.AuthInfo",
  fields: {
    1: {
      name: "cosmos.tx.v1beta1.SignerInfo",
      fields: { 1: "any", 2: MODE_INFO_SCHEMA, 3: "varint" },
    },
    2: {
      name: "cosmos.tx.v1beta1.Fee",
      fields: { 1: COIN_SCHEMA, 2: "varint", 3: "string", 4: "string" },
    },
    3: { name: "cosmos.tx.v1beta1.Tip", fields: { 1: COIN_SCHEMA, 2: "string" } },
  },
};

/** Type URL of a secp256k1 account public key. */
export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";

/** cosmos.crypto.secp256k1.PubKey */
export const SECP256K1_PUBKEY_SCHEMA: MessageSchema = {
  name: "cosmos.crypto.secp256k1.PubKey",
  fields: { 1: "bytes" },
};

/** cosmos.bank.v1beta1.MsgSend */
export const MSG_SEND_SCHEMA: MessageSchema = {
  name: "cosmos.bank.v1beta1.MsgSend",
  fields: { 1: "string", 2: "string", 3: COIN_SCHEMA },
};
