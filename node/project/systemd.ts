/**
 * Quoting for values written into systemd unit files (systemd.syntax(7), systemd.service(5)).
 *
 * @module
 */

/** A value that a unit file cannot hold, such as a path with a newline. */
export class UnitValueError extends Error {
  override name = "UnitValueError";
  readonly value: string;

  constructor(value: string, message: string) {
    super(message);
    this.value = value;
  }
}

// Control characters end a line or are rejected by systemd's parser.
// deno-lint-ignore no-control-regex
const CONTROL_REGEXP = /[\u0000-\u001f\u007f]/;

/**
 * Escapes `%` so that systemd does not expand it as a specifier, for settings that take the
 * rest of the line as one value (WorkingDirectory=, EnvironmentFile=).
 *
 * @throws {UnitValueError} on control characters
 */
export function unitValue(value: string): string {
  if (CONTROL_REGEXP.test(value)) {
    throw new UnitValueError(
      value,
      `Cannot write ${JSON.stringify(value)} into a systemd unit: it contains a control character`,
    );
  }
  return value.replaceAll("%", "%%");
}

/**
 * Quotes one word for settings that split on spaces, such as ReadWritePaths=: double quotes
 * when needed, with `\` and `"` escaped and `%` doubled.
 *
 * @throws {UnitValueError} on control characters
 */
export function unitWord(value: string): string {
  const escaped = unitValue(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? escaped : `"${escaped}"`;
}

/** Quotes one word of `ExecStart=`, which also expands `$NAME`, so `$` is doubled. */
export function unitExecWord(value: string): string {
  return unitWord(value).replaceAll("$", "$$$$");
}

/** Formats an `Environment=` value: `"NAME=value"`, quoted. */
export function unitEnvironment(name: string, value: string): string {
  const escaped = unitValue(`${name}=${value}`).replaceAll("\\", "\\\\").replaceAll('"', '\\"');
  return `"${escaped}"`;
}
