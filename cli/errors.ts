/**
 * Errors the CLI maps to exit codes: {@link UsageError} (exit 2) for bad arguments and
 * {@link CliError} (exit 1) for failures the user can act on. Anything else is a bug (exit 1,
 * with the stack under `--log-level debug`).
 *
 * @module
 */

/** Exit code for invalid commands, options and option values. */
export const EXIT_USAGE = 2;
/** Exit code for every other failure. */
export const EXIT_FAILURE = 1;

/** Options shared by the CLI error classes. */
export interface CliErrorOptions {
  /** The next step for the user, printed as "hint: …". */
  hint?: string;
  cause?: unknown;
}

/** A failure the user can act on; printed as "error: message" plus an optional hint. */
export class CliError extends Error {
  override name = "CliError";
  readonly hint?: string;
  readonly exitCode: number = EXIT_FAILURE;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
  }
}

/** An invalid command line: unknown command or option, or an invalid value. Exit code 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  override readonly exitCode: number = EXIT_USAGE;
}

/** Formats an error and its cause chain, one "caused by" line per cause. */
export function formatCauseChain(error: unknown): string[] {
  const lines: string[] = [];
  let current = error instanceof Error ? error.cause : undefined;
  while (current !== undefined && lines.length < 10) {
    lines.push(`caused by: ${current instanceof Error ? current.message : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
