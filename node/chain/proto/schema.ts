/**
 * Types of the table-driven protobuf codec: field kinds, field specs, the codec interface and
 * its decoding errors.
 *
 * @module
 */
import type { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

/** Wire form of a field and the TypeScript type of its value. */
export type FieldKind =
  | "uint64"
  | "int64"
  | "uint32"
  | "enum"
  | "bool"
  | "string"
  | "bytes"
  | "dec"
  | "int"
  | "message";

/** One field of a message schema. */
export interface FieldSpec {
  /** Field number from the .proto file. */
  no: number;
  /** camelCase property name. */
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  /** Codec of a `message` field, as a thunk so schemas may refer to each other. */
  message?: () => MessageCodec<object>;
  /** Writes an embedded message even when absent (gogoproto `nullable=false`). */
  always?: boolean;
}

/** Encoder, decoder and defaults of one protobuf message, shaped for @cosmjs's `Registry`. */
export interface MessageCodec<T extends object> {
  /** Fully qualified protobuf name, e.g. `emissions.v9.RegisterRequest`. */
  readonly typeName: string;
  readonly fields: readonly FieldSpec[];
  /** Writes `message` (defaults filled in) into `writer` and returns the writer. */
  encode(message: Partial<T>, writer?: BinaryWriter): BinaryWriter;
  /** Reads a message, skipping fields the schema does not list. */
  decode(input: Uint8Array | BinaryReader, length?: number): T;
  /**
   * Reads a message and rejects fields the schema does not list, as the Cosmos SDK does for
   * transaction bodies.
   *
   * @throws {UnknownFieldError} naming the message and the field number
   */
  decodeStrict(input: Uint8Array | BinaryReader, length?: number): T;
  /** Fills in defaults and converts integers given as number or string to bigint. */
  fromPartial(object: DeepPartial<T>): T;
  /** Returns the encoded bytes of `message`. */
  toBytes(message: Partial<T>): Uint8Array;
}

/** A recursive Partial, as ts-proto's `fromPartial` accepts. */
export type DeepPartial<T> = T extends Uint8Array | bigint | string | number | boolean ? T
  : T extends readonly (infer U)[] ? DeepPartial<U>[]
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | IntegerInput }
  : T;

/** Integer inputs accepted by `fromPartial` for 64-bit fields. */
export type IntegerInput = bigint | number | string;

/** A field number the schema does not know, met by a strict decoder. */
export class UnknownFieldError extends Error {
  override name = "UnknownFieldError";
  readonly typeName: string;
  readonly fieldNo: number;

  constructor(typeName: string, fieldNo: number) {
    super(`Cannot decode ${typeName}: unknown field ${fieldNo}`);
    this.typeName = typeName;
    this.fieldNo = fieldNo;
  }
}

/** Bytes that do not parse as the expected message. */
export class MalformedMessageError extends Error {
  override name = "MalformedMessageError";
  readonly typeName: string;

  constructor(typeName: string, detail: string, options?: ErrorOptions) {
    super(`Cannot decode ${typeName}: ${detail}`, options);
    this.typeName = typeName;
  }
}
