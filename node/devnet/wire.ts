/**
 * Unknown-field rejection for protobuf messages, as the Cosmos SDK applies it when it decodes a
 * transaction: every field of TxRaw, TxBody, AuthInfo and each message packed in an Any must be
 * declared, with the declared wire type, and strings must be valid UTF-8. TxBody also accepts
 * non-critical extension fields (field numbers with bit 11 set).
 *
 * The generated decoders of cosmjs-types skip unknown fields silently, so this walk runs on the
 * raw bytes before they decode.
 *
 * @module
 */
import { BinaryReader } from "cosmjs-types/binary";
import { AbciError, SDK_CODES, sdkError } from "./errors.ts";

/** Wire form of a declared field; a message schema (or a thunk of one) is a nested message. */
export type FieldType =
  | "varint"
  | "packed-varint"
  | "fixed64"
  | "fixed32"
  | "bytes"
  | "string"
  | "any"
  | MessageSchema
  | (() => MessageSchema);

/** The declared fields of one protobuf message, by field number. */
export interface MessageSchema {
  /** Full protobuf name, for error messages, e.g. "cosmos.tx.v1beta1.TxBody". */
  readonly name: string;
  readonly fields: Readonly<Record<number, FieldType>>;
  /** Whether undeclared fields numbered with bit 11 set (non-critical) are skipped. */
  readonly nonCriticalAllowed?: boolean;
}

/** Finds the schema of the message an Any's type URL names. */
export type SchemaResolver = (typeUrl: string) => MessageSchema | undefined;

const WIRE_NAMES = ["varint", "fixed64", "bytes", "group start", "group end", "fixed32"];
const NON_CRITICAL_BIT = 1024;
const MAX_DEPTH = 32;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Walks `bytes` as a `schema` message and rejects what the SDK would reject.
 *
 * @throws {AbciError} sdk code 2 (tx parse error) naming the message and the field
 */
export function checkKnownFields(
  bytes: Uint8Array,
  schema: MessageSchema,
  resolve: SchemaResolver,
): void {
  walk(bytes, schema, resolve, 0);
}

function walk(bytes: Uint8Array, schema: MessageSchema, resolve: SchemaResolver, depth: number) {
  if (depth > MAX_DEPTH) throw parseError(`message nesting deeper than ${MAX_DEPTH} levels`);
  const reader = new BinaryReader(bytes);
  try {
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      const declared = schema.fields[field];
      if (declared === undefined) {
        if (schema.nonCriticalAllowed && (field & NON_CRITICAL_BIT) !== 0) {
          reader.skipType(wireType);
          continue;
        }
        throw parseError(
          `unknown field ${field} (wire type ${WIRE_NAMES[wireType]}) in ${schema.name}`,
        );
      }
      readField(reader, wireType, declared, { schema, field, resolve, depth });
    }
  } catch (error) {
    if (error instanceof AbciError) throw error;
    throw parseError(`cannot decode ${schema.name}: ${(error as Error).message}`);
  }
}

interface FieldContext {
  schema: MessageSchema;
  field: number;
  resolve: SchemaResolver;
  depth: number;
}

function readField(reader: BinaryReader, wireType: number, type: FieldType, at: FieldContext) {
  // A repeated scalar may come packed (one length-delimited run) or one varint per element.
  if (type === "packed-varint" && wireType === 2) {
    reader.skipType(wireType);
    return;
  }
  const expected = expectedWireType(type);
  if (wireType !== expected) {
    throw parseError(
      `field ${at.field} of ${at.schema.name} has wire type ${WIRE_NAMES[wireType]}, ` +
        `expected ${WIRE_NAMES[expected]}`,
    );
  }
  if (expected !== 2) {
    reader.skipType(wireType);
    return;
  }
  const value = reader.bytes();
  if (type === "string") {
    try {
      utf8.decode(value);
    } catch {
      throw parseError(`field ${at.field} of ${at.schema.name} is not valid UTF-8`);
    }
  } else if (type === "any") {
    walkAny(value, at.resolve, at.depth + 1);
  } else if (typeof type === "function") {
    walk(value, type(), at.resolve, at.depth + 1);
  } else if (typeof type === "object") {
    walk(value, type, at.resolve, at.depth + 1);
  }
}

function expectedWireType(type: FieldType): number {
  if (type === "varint" || type === "packed-varint") return 0;
  if (type === "fixed64") return 1;
  if (type === "fixed32") return 5;
  return 2;
}

/** The schema of google.protobuf.Any; its value is checked against the resolved type. */
export const ANY_SCHEMA: MessageSchema = {
  name: "google.protobuf.Any",
  fields: { 1: "string", 2: "bytes" },
};

function walkAny(bytes: Uint8Array, resolve: SchemaResolver, depth: number) {
  walk(bytes, ANY_SCHEMA, resolve, depth);
  const { typeUrl, value } = readAny(bytes);
  const schema = resolve(typeUrl);
  if (schema === undefined) throw parseError(`unable to resolve type URL ${typeUrl}`);
  walk(value, schema, resolve, depth);
}

/** Splits an encoded Any into its type URL and value. */
export function readAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array } {
  const reader = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) typeUrl = reader.string();
    else if (field === 2 && wireType === 2) value = reader.bytes();
    else reader.skipType(wireType);
  }
  return { typeUrl, value };
}

function parseError(detail: string) {
  return sdkError(SDK_CODES.txDecode, detail);
}
