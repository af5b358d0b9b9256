/**
 * Commands made of subcommands (`allora keys generate`, `allora wallet show`): dispatch by the
 * first argument, with help per subcommand.
 *
 * @module
 */
import type { Context } from "./command.ts";
import { UsageError } from "./errors.ts";

/** One `allora <command> <name>` subcommand. */
export interface Subcommand {
  name: string;
  /** Full help text, printed for `allora <command> <name> --help`. */
  help: string;
  /** Runs the subcommand with the arguments after its name; resolves to the exit code. */
  run(argv: string[], context: Context): Promise<number>;
}

/**
 * Runs the subcommand named by `argv[0]`.
 *
 * @param command the command path for messages, e.g. "allora keys"
 * @throws {UsageError} when the subcommand is missing or unknown
 */
export function runSubcommand(
  command: string,
  subcommands: readonly Subcommand[],
  argv: string[],
  context: Context,
): Promise<number> {
  const [name, ...rest] = argv;
  const names = subcommands.map((subcommand) => subcommand.name).join(", ");
  const hint = `expected one of: ${names}; run '${command} --help' for usage`;
  if (name === undefined) {
    throw new UsageError(`Missing subcommand for '${command}'`, { hint });
  }
  const subcommand = subcommands.find((candidate) => candidate.name === name);
  if (subcommand === undefined) {
    throw new UsageError(`Unknown subcommand '${name}' for '${command}'`, { hint });
  }
  return subcommand.run(rest, context);
}

/** Returns the help of the subcommand named by `argv[0]`, or `fallback` when there is none. */
export function subcommandHelp(
  subcommands: readonly Subcommand[],
  argv: string[],
  fallback: string,
): string {
  return subcommands.find((subcommand) => subcommand.name === argv[0])?.help ?? fallback;
}
