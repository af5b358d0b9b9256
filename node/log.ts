/**
 * The one structured logger of the toolkit: levels, text or JSON lines on standard error, and
 * child loggers that carry ids (request, peer, cid) on every line.
 *
 * Written here instead of taken from npm because what the nodes need is small: four levels,
 * two formats, bound fields, redaction and rate limiting of repeats. Libraries receive a
 * {@link Logger} and never call `console`.
 *
 * @module
 */

/** Log levels from most to least verbose; `silent` turns logging off. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
/** A log level name. */
export type LogLevel = typeof LOG_LEVELS[number];
/** Output format of log lines. */
export type LogFormat = "text" | "json";
/** Values attached to a log line. Errors are written as their message and cause chain. */
export type LogFields = Record<string, unknown>;

/** A leveled logger with bound fields. */
export interface Logger {
  readonly level: LogLevel;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Returns a logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** @default "text" */
  format?: LogFormat;
  /** Receives each finished line, newline included. @default write to standard error */
  write?: (line: string) => void;
  /** Clock for timestamps, injectable for tests. @default Date.now */
  now?: () => number;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
// Field names whose values are secrets: they are replaced before a line is written.
const SECRET_KEY_REGEXP = /mnemonic|password|passphrase|secret|private_?key|privkey|seed/i;
const encoder = new TextEncoder();

/** Creates a logger writing text or JSON lines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const {
    level = "info",
    format = "text",
    write = (line: string) => Deno.stderr.writeSync(encoder.encode(line)),
    now = Date.now,
  } = options;
  return makeLogger({ level, format, write, now }, {});
}

/** A logger that drops everything, for tests and library defaults. */
export const silentLogger: Logger = createLogger({ level: "silent", write: () => {} });

/** Returns whether `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function makeLogger(
  config: Required<Pick<LoggerOptions, "level" | "format" | "write" | "now">>,
  bound: LogFields,
): Logger {
  const emit = (lineLevel: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[lineLevel] < RANK[config.level]) return;
    const all = { ...bound, ...fields };
    const time = new Date(config.now()).toISOString();
    config.write(
      config.format === "json"
        ? formatJson(time, lineLevel, message, all)
        : formatText(time, lineLevel, message, all),
    );
  };
  return {
    level: config.level,
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (fields) => makeLogger(config, { ...bound, ...fields }),
  };
}

function formatJson(time: string, level: LogLevel, message: string, fields: LogFields): string {
  const record: Record<string, unknown> = { time, level, msg: message };
  for (const [key, value] of Object.entries(fields)) record[key] = normalize(key, value);
  return JSON.stringify(record) + "\n";
}

function formatText(time: string, level: LogLevel, message: string, fields: LogFields): string {
  let line = `${time} ${level.toUpperCase().padEnd(5)} ${message}`;
  for (const [key, value] of Object.entries(fields)) {
    const normalized = normalize(key, value);
    if (normalized === undefined) continue;
    const text = typeof normalized === "string" ? normalized : JSON.stringify(normalized);
    line += ` ${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return line + "\n";
}

function normalize(key: string, value: unknown): unknown {
  if (SECRET_KEY_REGEXP.test(key)) return "[redacted]";
  if (value instanceof Error) return describeError(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value !== null && typeof value === "object" && "toString" in value) {
    // Peer ids, multiaddrs and CIDs print as their string form.
    const text = String(value);
    if (text !== "[object Object]") return text;
  }
  return value;
}

/** Renders an error as "message: cause: cause" for log fields. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 5) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}
