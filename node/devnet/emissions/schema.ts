/**
 * Unknown-field tables for the emissions messages, derived from the field lists of the
 * emissions codec in `node/chain/emissions`, so the double rejects what the chain's decoder
 * rejects without a second copy of the field numbers.
 *
 * @module
 */
import type { FieldSpec, MessageCodec } from "../../chain/proto/message.ts";
import type { FieldType, MessageSchema } from "../wire.ts";

/** Fields a version's proto does not have, by codec type name. */
export type FieldExclusions = Readonly<Record<string, readonly number[]>>;

/**
 * Fields of the shared codecs that `emissions.v9` lacks: InputInference.values (7) appeared in
 * v10, and a v9 chain rejects it as an unknown field.
 */
export const V9_EXCLUSIONS: FieldExclusions = { "emissions.InputInference": [7] };

/** Returns the wire schema of `codec`, leaving out `exclusions`. */
export function schemaOf(
  codec: MessageCodec<object>,
  exclusions: FieldExclusions = {},
): MessageSchema {
  const excluded = exclusions[codec.typeName] ?? [];
  const fields: Record<number, FieldType> = {};
  for (const spec of codec.fields) {
    if (!excluded.includes(spec.no)) fields[spec.no] = fieldType(spec, exclusions);
  }
  return { name: codec.typeName, fields };
}

function fieldType(spec: FieldSpec, exclusions: FieldExclusions): FieldType {
  switch (spec.kind) {
    case "uint64":
    case "int64":
    case "uint32":
    case "enum":
    case "bool":
      return spec.repeated ? "packed-varint" : "varint";
    case "string":
    case "dec":
    case "int":
      return "string";
    case "bytes":
      return "bytes";
    case "message":
      return () => schemaOf(spec.message!(), exclusions);
  }
}
