/**
 * A small table-driven protobuf codec on cosmjs-types' `BinaryWriter`/`BinaryReader`.
 *
 * No npm package ships Allora's emissions protos, and generating them needs the whole gogoproto,
 * cosmos_proto and google-api proto tree. A message here is a list of fields (number, name,
 * kind), and {@link defineMessage} turns it into an object with `encode`, `decode` and
 * `fromPartial`, the three members @cosmjs's `Registry` calls.
 *
 * Encoding follows what gogoproto's generated `Marshal` produces, because the chain re-marshals
 * signed worker bundles and compares bytes: fields in ascending number order, proto3 scalars
 * left out at their default value, and non-nullable custom types (`math.Dec`, `math.Int`, kinds
 * `dec` and `int` here, an empty one written as "0") and non-nullable embedded messages
 * (`always: true`) written even when empty.
 *
 * @module
 */
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

/** How a field travels on the wire and which TypeScript value holds it. */
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

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Builds the codec of a message from its field list.
 *
 * @example
 * ```ts
 * const Nonce = defineMessage<{ blockHeight: bigint }>("emissions.v3.Nonce", [
 *   { no: 1, name: "blockHeight", kind: "int64" },
 * ]);
 * Nonce.toBytes({ blockHeight: 5n }); // Uint8Array [0x08, 0x05]
 * ```
 */
export function defineMessage<T extends object>(
  typeName: string,
  fieldList: readonly FieldSpec[],
): MessageCodec<T> {
  const fields = [...fieldList].sort((a, b) => a.no - b.no);
  const byNumber = new Map(fields.map((field) => [field.no, field]));
  const codec: MessageCodec<T> = {
    typeName,
    fields,
    encode(message, writer = BinaryWriter.create()) {
      const full = codec.fromPartial(message as DeepPartial<T>) as Record<string, unknown>;
      for (const field of fields) writeField(writer, field, full[field.name]);
      return writer;
    },
    decode: (input, length) => decodeWith(codec, byNumber, input, length, false),
    decodeStrict: (input, length) => decodeWith(codec, byNumber, input, length, true),
    fromPartial(object) {
      const source = (object ?? {}) as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const field of fields) {
        result[field.name] = normalizeField(typeName, field, source[field.name]);
      }
      return result as T;
    },
    toBytes: (message) => codec.encode(message).finish(),
  };
  return codec;
}

function defaultValue(field: FieldSpec): unknown {
  if (field.repeated) return [];
  switch (field.kind) {
    case "uint64":
    case "int64":
      return 0n;
    case "uint32":
    case "enum":
      return 0;
    case "bool":
      return false;
    case "bytes":
      return new Uint8Array();
    case "message":
      return undefined;
    default:
      return "";
  }
}

function normalizeField(typeName: string, field: FieldSpec, value: unknown): unknown {
  if (value === undefined || value === null) return defaultValue(field);
  if (field.repeated) {
    if (!Array.isArray(value)) {
      throw new TypeError(`Cannot build ${typeName}: field '${field.name}' must be an array`);
    }
    return value.map((item) => normalizeScalar(typeName, field, item));
  }
  return normalizeScalar(typeName, field, value);
}

function normalizeScalar(typeName: string, field: FieldSpec, value: unknown): unknown {
  switch (field.kind) {
    case "uint64":
      return toInteger(typeName, field, value, 0n, UINT64_MAX);
    case "int64":
      return toInteger(typeName, field, value, INT64_MIN, INT64_MAX);
    case "uint32":
    case "enum":
      return Number(toInteger(typeName, field, value, 0n, 0xffff_ffffn));
    case "bool":
      return Boolean(value);
    case "bytes":
      if (value instanceof Uint8Array) return value;
      throw new TypeError(`Cannot build ${typeName}: field '${field.name}' must be a Uint8Array`);
    case "message":
      return field.message!().fromPartial(value as DeepPartial<object>);
    default:
      if (typeof value === "string") return value;
      throw new TypeError(`Cannot build ${typeName}: field '${field.name}' must be a string`);
  }
}

function toInteger(
  typeName: string,
  field: FieldSpec,
  value: unknown,
  min: bigint,
  max: bigint,
): bigint {
  let result: bigint;
  try {
    if (typeof value === "number" && !Number.isSafeInteger(value)) throw new RangeError();
    result = BigInt(value as bigint | number | string);
  } catch {
    throw new TypeError(
      `Cannot build ${typeName}: field '${field.name}' must be an integer, got ${String(value)}`,
    );
  }
  if (result < min || result > max) {
    throw new RangeError(`Cannot build ${typeName}: field '${field.name}' out of range: ${result}`);
  }
  return result;
}

function writeField(writer: BinaryWriter, field: FieldSpec, value: unknown): void {
  if (field.repeated) {
    for (const item of value as unknown[]) writeValue(writer, field, item, true);
    return;
  }
  writeValue(writer, field, value, false);
}

function writeValue(writer: BinaryWriter, field: FieldSpec, value: unknown, force: boolean): void {
  const tag = (wire: number) => writer.uint32((field.no << 3) | wire);
  switch (field.kind) {
    case "uint64":
      if (force || value !== 0n) tag(WIRE_VARINT).uint64(value as bigint);
      return;
    case "int64":
      if (force || value !== 0n) tag(WIRE_VARINT).int64(value as bigint);
      return;
    case "uint32":
    case "enum":
      if (force || value !== 0) tag(WIRE_VARINT).uint32(value as number);
      return;
    case "bool":
      if (force || value === true) tag(WIRE_VARINT).bool(value as boolean);
      return;
    case "bytes":
      if (force || (value as Uint8Array).length > 0) tag(WIRE_LENGTH).bytes(value as Uint8Array);
      return;
    case "string":
      if (force || value !== "") tag(WIRE_LENGTH).string(value as string);
      return;
    case "dec":
    case "int":
      // gogoproto writes non-nullable custom types unconditionally, and an unset math.Dec or
      // math.Int marshals as "0".
      tag(WIRE_LENGTH).string(value === "" ? "0" : value as string);
      return;
    case "message": {
      const codec = field.message!();
      if (value === undefined && !field.always) return;
      tag(WIRE_LENGTH).fork();
      codec.encode((value ?? {}) as Partial<object>, writer);
      writer.ldelim();
      return;
    }
  }
}

function decodeWith<T extends object>(
  codec: MessageCodec<T>,
  byNumber: Map<number, FieldSpec>,
  input: Uint8Array | BinaryReader,
  length: number | undefined,
  strict: boolean,
): T {
  const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
  const end = length === undefined ? reader.len : reader.pos + length;
  const message = codec.fromPartial({} as DeepPartial<T>) as Record<string, unknown>;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      const field = byNumber.get(tag >>> 3);
      if (field === undefined) {
        if (strict) throw new UnknownFieldError(codec.typeName, tag >>> 3);
        reader.skipType(tag & 7);
        continue;
      }
      readField(reader, field, tag & 7, message, strict, codec.typeName);
    }
  } catch (error) {
    if (error instanceof UnknownFieldError || error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(codec.typeName, (error as Error).message, { cause: error });
  }
  if (reader.pos !== end) {
    throw new MalformedMessageError(codec.typeName, "message length overruns its bytes");
  }
  return message as T;
}

function readField(
  reader: BinaryReader,
  field: FieldSpec,
  wireType: number,
  message: Record<string, unknown>,
  strict: boolean,
  typeName: string,
): void {
  const expected = ["bytes", "string", "dec", "int", "message"].includes(field.kind)
    ? WIRE_LENGTH
    : WIRE_VARINT;
  if (wireType !== expected) {
    throw new MalformedMessageError(
      typeName,
      `field ${field.no} has wire type ${wireType}, expected ${expected}`,
    );
  }
  const value = readValue(reader, field, strict);
  if (field.repeated) (message[field.name] as unknown[]).push(value);
  else message[field.name] = value;
}

function readValue(reader: BinaryReader, field: FieldSpec, strict: boolean): unknown {
  switch (field.kind) {
    case "uint64":
      return reader.uint64();
    case "int64":
      return reader.int64();
    case "uint32":
    case "enum":
      return reader.uint32();
    case "bool":
      return reader.bool();
    case "bytes":
      return reader.bytes();
    case "message": {
      const codec = field.message!();
      const length = reader.uint32();
      return strict ? codec.decodeStrict(reader, length) : codec.decode(reader, length);
    }
    default:
      return reader.string();
  }
}
