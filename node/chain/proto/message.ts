/**
 * A small table-driven protobuf codec on cosmjs-types' `BinaryWriter`/`BinaryReader`.
 *
 * No npm package ships Allora's emissions protos, and generating them needs the whole gogoproto,
 * cosmos_proto and google-api proto tree. A message here is a list of fields (number, name,
 * kind), and {@link defineMessage} turns it into an object with `encode`, `decode` and
 * `fromPartial`, the three members @cosmjs's `Registry` calls.
 *
 * Encoding follows what gogoproto's generated `Marshal` produces, because the chain re-marshals
 * signed worker bundles and compares bytes. Fields go in ascending number order, and proto3
 * scalars at their default value are left out. Non-nullable custom types (`math.Dec` and
 * `math.Int`, kinds `dec` and `int` here) are always written, an empty one as "0", and so are
 * non-nullable embedded messages (`always: true`).
 *
 * @module
 */
import { BinaryWriter } from "cosmjs-types/binary";
import type { DeepPartial, FieldSpec, MessageCodec } from "./schema.ts";
import { decodeWith, writeField } from "./wire.ts";

export * from "./schema.ts";

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
