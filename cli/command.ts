/**
 * The contract between the dispatcher and each command module.
 *
 * @module
 */
import type { Io } from "./io.ts";
import type { LogFormat, Logger, LogLevel } from "../node/log.ts";

/** Options accepted by every command. */
export interface GlobalOptions {
  /** Minimum level of log lines on stderr. @default "info" */
  logLevel: LogLevel;
  /** Log line format. @default "text" */
  logFormat: LogFormat;
  /** Print the machine-readable result on stdout and nothing else there. */
  json: boolean;
  /** Whether confirmations default to yes; also set when stdin is not a terminal. */
  yes: boolean;
}

/** The services a command receives besides its own arguments. */
export interface Context {
  io: Io;
  global: GlobalOptions;
  logger: Logger;
  /** Aborted on SIGINT/SIGTERM for long-running commands; never aborted for the others. */
  signal: AbortSignal;
}

/** One `allora <name>` command. */
export interface Command {
  name: string;
  /** One line for the root help. */
  summary: string;
  /** Full help text, printed for `allora <name> --help`. */
  help: string;
  /**
   * Returns the help for `allora <name> <argv…> --help`, e.g. a subcommand's own help.
   * Without it, {@link Command.help} is printed.
   */
  helpFor?(argv: string[]): string;
  /** Long-running commands get a {@link Context.signal} aborted by SIGINT/SIGTERM. */
  longRunning?: boolean;
  /** Runs the command; resolves to the exit code. */
  run(argv: string[], context: Context): Promise<number>;
}
