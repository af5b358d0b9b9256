/**
 * Reading a JSON request body: content type, JSON syntax and schema, each failure a 400 that
 * names the problem. Go clients send `null` for empty fields, so nulls inside objects are
 * treated as absent, as Go's decoder does.
 *
 * @module
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

// deno-lint-ignore no-explicit-any
const ajv = new (Ajv as any)({ strict: false, useDefaults: true, allErrors: false });

/** A compiled body validator. */
export type BodyValidator<T> = ValidateFunction<T>;

/** Compiles a JSON Schema for {@link readJsonBody}. */
export function compileBodySchema<T>(schema: object): BodyValidator<T> {
  return ajv.compile(schema) as BodyValidator<T>;
}

/**
 * Reads and validates the JSON body of `c`. A missing Content-Type is accepted; any type but
 * `application/json` is not.
 *
 * @throws {HTTPException} 400 with a message naming the problem
 */
export async function readJsonBody<T>(c: Context, validate: BodyValidator<T>): Promise<T> {
  const contentType = c.req.header("content-type");
  if (contentType !== undefined) {
    const mediaType = contentType.split(";")[0].trim().toLowerCase();
    if (mediaType !== "application/json") {
      throw badRequest(
        `unsupported content type ${JSON.stringify(contentType)}: send application/json`,
      );
    }
  }

  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`invalid JSON body: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("invalid request body: expected a JSON object");
  }

  dropNulls(value);
  if (!validate(value)) throw badRequest(describeSchemaError(validate.errors![0]));
  return value;
}

function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}

// Removes null-valued object properties, recursively.
function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      if (item === null) delete record[key];
      else dropNulls(item);
    }
  }
}

function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath.split("/").slice(1);
  if (error.keyword === "required") {
    return `missing field '${[...path, error.params.missingProperty].join(".")}'`;
  }
  const field = path.join(".");
  const expected = error.keyword === "type" ? `expected ${error.params.type}` : error.message;
  return `invalid field '${field}': ${expected}`;
}
