/**
 * Argument parsing shared by the commands: a strict wrapper around `node:util` parseArgs that
 * turns its errors into {@link UsageError}s, and validators that name the option, the value
 * and the expected form.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";

/** Option declarations, as `node:util` parseArgs takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals of one command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `options`, rejecting unknown options and missing values.
 *
 * @param command the command path for messages, e.g. "allora init"
 * @throws {UsageError} on an unknown option, a missing value or unexpected positionals
 */
export function parseFlags(
  command: string,
  argv: string[],
  options: OptionSpec,
  { positionals = 0 }: { positionals?: number } = {},
): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw toUsageError(command, error);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(
      `Unexpected argument '${parsed.positionals[positionals]}' for '${command}'`,
      { hint: `run '${command} --help' for usage` },
    );
  }
  return parsed as ParsedArgs;
}

function toUsageError(command: string, error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const hint = `run '${command} --help' for usage`;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return new UsageError(`Unknown option '${unknown[1]}' for '${command}'`, { hint });
  // node:util writes "Option '-k, --keystore <value>' argument missing"; keep "--keystore".
  const missing = /Option '(?:[^']*, )?(--?[^' ]+)[^']*' argument missing/.exec(message);
  if (missing) return new UsageError(`Missing value for option '${missing[1]}'`, { hint });
  // node:util rejects "--topic -1" because the value looks like an option.
  const ambiguous = /Option '(--?[^' ]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) {
    return new UsageError(`Ambiguous value for option '${ambiguous[1]}': it starts with '-'`, {
      hint: `write it as ${ambiguous[1]}=VALUE`,
    });
  }
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) {
    return new UsageError(`Unexpected argument '${positional[1]}' for '${command}'`, { hint });
  }
  return new UsageError(`Invalid arguments for '${command}': ${message}`, { hint });
}

/**
 * Parses a whole number within bounds.
 *
 * @throws {UsageError} naming the option and the value when it is not an integer in range
 */
export function parseInteger(
  option: string,
  value: string,
  { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed)) {
    throw new UsageError(`Invalid value for ${option}: '${value}' is not a whole number`);
  }
  const number = Number(trimmed);
  if (number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`Invalid value for ${option}: ${value} (expected ${range})`);
  }
  return number;
}

/**
 * Checks that `value` is one of `choices`.
 *
 * @throws {UsageError} listing the valid choices
 */
export function parseChoice<T extends string>(
  option: string,
  value: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `Invalid value for ${option}: '${value}' (expected one of: ${choices.join(", ")})`,
  );
}

/**
 * Parses a `HOST:PORT` listen address; `:PORT` means 127.0.0.1, and IPv6 hosts are bracketed.
 *
 * @throws {UsageError} when the port is missing or out of range
 */
export function parseHostPort(
  option: string,
  value: string,
  defaultHost = "127.0.0.1",
): { hostname: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]*):(\d+)$/.exec(value.trim());
  if (!match) {
    throw new UsageError(
      `Invalid value for ${option}: '${value}' (expected HOST:PORT, e.g. 127.0.0.1:6000)`,
    );
  }
  const port = parseInteger(option, match[2], { min: 0, max: 65535 });
  const host = match[1].replace(/^\[|\]$/g, "");
  return { hostname: host === "" ? defaultHost : host, port };
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `500ms`, `20s`, `10m` or `1m30s` into milliseconds.
 *
 * @throws {UsageError} when the value has no unit or lies outside `min`..`max` milliseconds
 */
export function parseDuration(
  option: string,
  value: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  const trimmed = value.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    throw new UsageError(
      `Invalid value for ${option}: '${value}' (expected a duration such as 500ms, 20s or 10m)`,
    );
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * DURATION_UNITS_MS[unit];
  }
  total = Math.round(total);
  if (total < min || total > max) {
    throw new UsageError(
      `Invalid value for ${option}: ${value} (expected ${min} ms to ${max} ms)`,
    );
  }
  return total;
}

/** Splits repeated flag values and comma lists alike: `--topic a --topic b,c` gives [a, b, c]. */
export function splitList(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(",")).map((value) => value.trim())
    .filter((value) => value !== "");
}

/**
 * Checks that `value` is an http:// or https:// URL with a host, such as a chain RPC endpoint.
 *
 * @throws {UsageError} naming the option and the value otherwise
 */
export function parseHttpUrl(option: string, value: string): string {
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new UsageError(
      `Invalid value for ${option}: '${value}' (expected an http:// or https:// URL)`,
    );
  }
  return value;
}
