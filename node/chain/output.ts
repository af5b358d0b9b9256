/**
 * Reads the inference a worker's model prints: `{"infererValue": …, "forecasterValue":
 * [{"worker": "allo1…", "value": …}]}`, or a bare decimal.
 *
 * JSON numbers are taken from their source text (JSON.parse source access), so a value such as
 * 0.1000000000000000055 keeps every digit instead of passing through a float64.
 *
 * @module
 */
import { canonicalBoundedDec, InvalidDecError } from "./dec.ts";

/** A worker's inference and forecasts for one nonce, values as decimal strings. */
export interface WorkerOutput {
  infererValue: string;
  /** Forecasts of other workers' inferences; empty when the model sends none. */
  forecasterValues: Array<{ worker: string; value: string }>;
}

/** Model output that is not an inference. */
export class InferenceOutputError extends Error {
  override name = "InferenceOutputError";
  /** The first 200 characters of the output. */
  readonly output: string;

  constructor(output: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.output = output.slice(0, 200);
  }
}

interface ReviverContext {
  source?: string;
}

/**
 * Parses main.py's standard output and checks every value is a decimal the chain accepts.
 *
 * @throws {InferenceOutputError} naming what is missing or invalid
 */
export function parseInferenceOutput(text: string): WorkerOutput {
  const trimmed = text.trim();
  if (trimmed === "") throw new InferenceOutputError(text, "Inference output is empty");
  let document: unknown;
  try {
    // The reviver's third argument carries a primitive's source text (V8, Deno 2).
    document = JSON.parse(
      trimmed,
      ((_key: string, value: unknown, context?: ReviverContext) =>
        typeof value === "number" && context?.source !== undefined ? context.source : value) as (
          key: string,
          value: unknown,
        ) => unknown,
    );
  } catch {
    document = trimmed;
  }
  if (typeof document === "string") {
    return { infererValue: checkValue(text, "infererValue", document), forecasterValues: [] };
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new InferenceOutputError(text, "Inference output must be a JSON object or a decimal");
  }
  const record = document as Record<string, unknown>;
  if (typeof record.infererValue !== "string") {
    throw new InferenceOutputError(text, "Inference output has no 'infererValue'");
  }
  return {
    infererValue: checkValue(text, "infererValue", record.infererValue),
    forecasterValues: readForecasts(text, record.forecasterValue),
  };
}

function readForecasts(text: string, value: unknown): WorkerOutput["forecasterValues"] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new InferenceOutputError(text, "Inference output 'forecasterValue' must be an array");
  }
  return value.map((entry, index) => {
    const field = `forecasterValue[${index}]`;
    const { worker, value: forecast } = (entry ?? {}) as Record<string, unknown>;
    if (typeof worker !== "string" || !worker.startsWith("allo1")) {
      throw new InferenceOutputError(
        text,
        `Inference output ${field}.worker is not an allo1 address`,
      );
    }
    if (typeof forecast !== "string") {
      throw new InferenceOutputError(text, `Inference output ${field}.value is missing`);
    }
    return { worker, value: checkValue(text, `${field}.value`, forecast) };
  });
}

function checkValue(text: string, field: string, value: string): string {
  try {
    canonicalBoundedDec(value.trim());
    return value.trim();
  } catch (error) {
    if (!(error instanceof InvalidDecError)) throw error;
    throw new InferenceOutputError(text, `Inference output ${field}: ${error.message}`, {
      cause: error,
    });
  }
}
