/**
 * Reading and writing protobuf fields by their {@link FieldSpec} as gogoproto does: default
 * scalars left out, non-nullable custom types and embedded messages always written, wire
 * types checked on read.
 *
 * @module
 */
import { BinaryReader, type BinaryWriter } from "cosmjs-types/binary";
import {
  type DeepPartial,
  type FieldSpec,
  MalformedMessageError,
  type MessageCodec,
  UnknownFieldError,
} from "./schema.ts";

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;

export function writeField(writer: BinaryWriter, field: FieldSpec, value: unknown): void {
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

export function decodeWith<T extends object>(
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
