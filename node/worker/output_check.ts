/**
 * The output check for the worker role: an inference function must print one JSON object
 * `{"infererValue":"<decimal>","forecasterValue":[{"worker":"allo1…","value":"<decimal>"}]}`.
 * The original node passed JSON numbers through unsigned and panicked on a string that is not
 * a decimal. This check turns both into a "500" result that names the field and the value.
 *
 * @module
 */
import { ADDRESS_PREFIX, isAlloAddress } from "../wallet/account.ts";
import type { ExecutionResult } from "../p2p/messages.ts";
import { REJECTED_OUTPUT_KEPT_CHARS } from "./constants.ts";

/**
 * A decimal that the chain's `Dec` parses, minus the forms a model has no reason to print. It
 * has an optional minus sign, digits with an optional fraction, and an exponent of at most
 * three digits, because Python prints small floats as `1e-07`. NaN, infinities and huge
 * exponents fail.
 */
export const DECIMAL_REGEXP = /^-?\d+(\.\d+)?([eE][+-]?\d{1,3})?$/;
/** Maximum length of a decimal string. */
export const MAX_DECIMAL_LENGTH = 100;

/** Outcome of {@link checkInferenceOutput}. */
export type OutputVerdict =
  | { kind: "valid" }
  /** The function printed `{"error":…}` itself. */
  | { kind: "function-error"; message: string }
  | { kind: "invalid"; reason: string };

/** Returns whether `value` is a decimal string the chain accepts. */
export function isDecimalString(value: string): boolean {
  return value.length <= MAX_DECIMAL_LENGTH && DECIMAL_REGEXP.test(value);
}

/**
 * Checks the stdout of an inference function.
 *
 * @returns "valid", "function-error" for `{"error":…}`, or "invalid" with a reason that names
 *   the field and quotes the value
 */
export function checkInferenceOutput(stdout: string): OutputVerdict {
  const text = stdout.trim();
  if (text === "") return { kind: "invalid", reason: "stdout is empty" };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: `stdout is not one JSON object: ${quote(text)}` };
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return { kind: "invalid", reason: `stdout is not a JSON object: ${quote(text)}` };
  }
  const record = document as Record<string, unknown>;
  if ("error" in record) {
    const message = typeof record.error === "string" ? record.error : JSON.stringify(record.error);
    return { kind: "function-error", message };
  }

  const inferer = checkDecimal("infererValue", record.infererValue);
  if (inferer !== undefined) return { kind: "invalid", reason: inferer };
  const forecasts = checkForecasts(record.forecasterValue);
  if (forecasts !== undefined) return { kind: "invalid", reason: forecasts };
  return { kind: "valid" };
}

function checkDecimal(field: string, value: unknown): string | undefined {
  if (value === undefined) return `${field} is missing`;
  if (typeof value !== "string") {
    return `${field} must be a decimal string, found ${typeof value} ${quote(value)}`;
  }
  if (!isDecimalString(value)) return `${field} is not a decimal: ${quote(value)}`;
  return undefined;
}

function checkForecasts(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    return `forecasterValue must be a list, found ${typeof value} ${quote(value)}`;
  }
  for (const [index, entry] of value.entries()) {
    const field = `forecasterValue[${index}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return `${field} must be an object with worker and value, found ${quote(entry)}`;
    }
    const { worker, value: forecast } = entry as Record<string, unknown>;
    const address = checkAddress(`${field}.worker`, worker);
    if (address !== undefined) return address;
    const decimal = checkDecimal(`${field}.value`, forecast);
    if (decimal !== undefined) return decimal;
  }
  return undefined;
}

function checkAddress(field: string, value: unknown): string | undefined {
  if (typeof value !== "string") {
    return `${field} must be an ${ADDRESS_PREFIX}1… address string, found ${quote(value)}`;
  }
  // Accounts have 20 bytes of data; module-derived addresses have 32.
  if (isAlloAddress(value, [20, 32])) return undefined;
  return `${field} is not an ${ADDRESS_PREFIX}1… address: ${quote(value)}`;
}

// Quotes a value for a message, cut so a large output cannot flood the result.
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Returns whether a request's output goes through the worker output check: it carries
 * `TOPIC_ID` and is not a reputer request.
 */
export function isInferenceRequest(env: readonly [string, string][], topic?: string): boolean {
  const topicId = env.findLast(([name]) => name === "TOPIC_ID")?.[1];
  if (topicId === undefined || topicId === "") return false;
  if (topicId.endsWith("/reputer")) return false;
  return !(topic?.endsWith("-reputer") ?? false);
}

/**
 * Applies the output check to a successful result: a rejected output becomes code "500" with
 * stdout `{"error":"invalid inference output: …"}`, the exit code unchanged and the original
 * stdout appended to stderr. A function error keeps its stdout and becomes code "500".
 */
export function applyOutputCheck(result: ExecutionResult): {
  result: ExecutionResult;
  verdict: OutputVerdict;
} {
  const verdict = checkInferenceOutput(result.result.stdout);
  if (verdict.kind === "valid") return { result, verdict };
  if (verdict.kind === "function-error") return { result: { ...result, code: "500" }, verdict };
  const original = result.result.stdout.slice(0, REJECTED_OUTPUT_KEPT_CHARS);
  const separator = result.result.stderr === "" || result.result.stderr.endsWith("\n") ? "" : "\n";
  return {
    verdict,
    result: {
      ...result,
      code: "500",
      result: {
        stdout: JSON.stringify({ error: `invalid inference output: ${verdict.reason}` }),
        stderr: `${result.result.stderr}${separator}original stdout: ${original}`,
        exit_code: result.result.exit_code,
      },
    },
  };
}
