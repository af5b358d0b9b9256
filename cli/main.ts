/**
 * The root of the CLI: global options, root help and dispatch to one module per command.
 *
 * @module
 */
import { createLogger, describeError, isLogLevel, LOG_LEVELS } from "../node/log.ts";
import { parseChoice } from "./args.ts";
import type { Command, Context, GlobalOptions } from "./command.ts";
import { CliError, EXIT_FAILURE, formatCauseChain, UsageError } from "./errors.ts";
import { type Io, processIo } from "./io.ts";
import { VERSION } from "./version.ts";
import { COMMANDS } from "./commands.ts";
import { EXIT_WITH_PARENT_ENV } from "../node/dev/supervisor.ts";

/** Root help text. */
export function rootHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`);
  return `allora ${VERSION}: turn a model into an Allora Network worker node

Usage: allora <command> [options]

Commands:
${lines.join("\n")}

Global options:
  --log-level LEVEL    minimum log level: ${LOG_LEVELS.join(", ")} (default: info)
  --log-format FORMAT  log lines as text or json (default: text)
  --json               print the result as JSON on stdout; logs stay on stderr
  -y, --yes            answer yes to confirmations (implied when stdin is not a terminal)
  -h, --help           show help; 'allora <command> --help' for a command
  -V, --version        print the version

Start here:
  allora init --name my-worker --topic 1 --env dev
  cd my-worker && allora dev
`;
}

/** Global options split out of argv, plus what is left for the command. */
export interface SplitArgs {
  global: GlobalOptions;
  help: boolean;
  version: boolean;
  rest: string[];
}

/**
 * Removes the global options from anywhere in `argv` (before a `--`).
 *
 * @throws {UsageError} on an invalid log level or format
 */
export function splitGlobalOptions(argv: string[], io: Io): SplitArgs {
  const global: GlobalOptions = {
    logLevel: "info",
    logFormat: "text",
    json: false,
    yes: !io.stdinIsTerminal,
  };
  const envLevel = io.env("ALLORA_LOG_LEVEL") ?? io.env("LOG_LEVEL");
  if (envLevel !== undefined && isLogLevel(envLevel)) global.logLevel = envLevel;
  let help = false;
  let version = false;
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--") {
      rest.push(...argv.slice(index));
      break;
    }
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const takeValue = () => {
      const value = inline ?? argv[++index];
      if (value === undefined) {
        throw new UsageError(`Missing value for option '${flag}'`, {
          hint: "run 'allora --help' for usage",
        });
      }
      return value;
    };
    switch (flag) {
      case "--log-level":
        global.logLevel = parseChoice("--log-level", takeValue(), LOG_LEVELS);
        break;
      case "--log-format":
        global.logFormat = parseChoice("--log-format", takeValue(), ["text", "json"] as const);
        break;
      case "--json":
        global.json = true;
        break;
      case "-y":
      case "--yes":
        global.yes = true;
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      case "-V":
      case "--version":
        version = true;
        break;
      default:
        rest.push(arg);
    }
  }
  return { global, help, version, rest };
}

/** Options of {@link main}, injectable for tests. */
export interface MainOptions {
  io?: Io;
  commands?: readonly Command[];
  signal?: AbortSignal;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 invalid usage.
 *
 * @example
 * ```ts
 * const code = await main(["keys", "generate", "--out", "keys/head"]);
 * ```
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const { io = processIo(), commands = COMMANDS } = options;
  let verbose = false;
  try {
    const split = splitGlobalOptions(argv, io);
    verbose = split.global.logLevel === "debug";
    const [name, ...rest] = split.rest;
    if (split.version && name === undefined) {
      io.out(
        split.global.json ? JSON.stringify({ version: VERSION }) + "\n" : `allora ${VERSION}\n`,
      );
      return 0;
    }
    if (name === undefined || name === "help") {
      const topic = name === "help"
        ? commands.find((command) => command.name === rest[0])
        : undefined;
      if (name === undefined && !split.help) {
        // No command is a usage error: the help goes to stderr so stdout stays empty.
        io.err(rootHelp(commands));
        io.err("error: missing command\n");
        return 2;
      }
      io.out(topic ? topic.helpFor?.(rest.slice(1)) ?? topic.help : rootHelp(commands));
      return 0;
    }
    const command = commands.find((candidate) => candidate.name === name);
    if (command === undefined) {
      throw new UsageError(`Unknown command '${name}'`, {
        hint: suggest(name, commands) ?? "run 'allora --help' to list the commands",
      });
    }
    if (split.help) {
      io.out(command.helpFor?.(rest) ?? command.help);
      return 0;
    }
    const logger = createLogger({
      level: split.global.logLevel,
      format: split.global.logFormat,
      write: (line) => io.err(line),
    });
    const context: Context = {
      io,
      global: split.global,
      logger,
      signal: options.signal ??
        (command.longRunning ? shutdownSignal() : new AbortController().signal),
    };
    return await command.run(rest, context);
  } catch (error) {
    return reportError(error, io, verbose);
  }
}

function suggest(name: string, commands: readonly Command[]): string | undefined {
  const close = commands.find((command) =>
    command.name.startsWith(name.slice(0, 3)) || name.startsWith(command.name)
  );
  return close ? `did you mean 'allora ${close.name}'?` : undefined;
}

/** Prints an error as "error: …" with its hint; returns the exit code. */
export function reportError(error: unknown, io: Io, verbose: boolean): number {
  if (error instanceof CliError) {
    io.err(`error: ${error.message}\n`);
    if (verbose) { for (const line of formatCauseChain(error)) io.err(`  ${line}\n`); }
    else if (error.cause !== undefined) {
      // Many errors already quote their cause's message; repeating it adds nothing.
      const cause = describeError(error.cause);
      if (!error.message.includes(cause)) io.err(`  caused by: ${cause}\n`);
    }
    if (error.hint) io.err(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  io.err(`error: ${describeError(error)}\n`);
  if (verbose && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  else io.err("hint: this is unexpected; rerun with --log-level debug and report the output\n");
  return EXIT_FAILURE;
}

/**
 * Creates an AbortSignal that the first SIGINT or SIGTERM aborts. When
 * {@link EXIT_WITH_PARENT_ENV} is "1", only SIGTERM or the end of standard input abort it.
 */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const supervised = Deno.env.get(EXIT_WITH_PARENT_ENV) === "1";
  const onSignal = () => controller.abort(new Error("interrupted"));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      // Ctrl-C reaches the whole process group. A supervised child waits for its parent's
      // SIGTERM instead, so the parent decides the order: `allora dev` stops the chain last.
      Deno.addSignalListener(signal, supervised && signal === "SIGINT" ? () => {} : onSignal);
    } catch {
      // Signals cannot be listened to on some platforms; Ctrl-C then ends the process directly.
    }
  }
  if (supervised) {
    // The supervising parent keeps our stdin open, so end of input means the parent is gone, even if it
    // died from SIGKILL and could not forward a signal.
    (async () => {
      try {
        for await (const _ of Deno.stdin.readable) {
          // Ignore input: only its end matters.
        }
      } catch {
        // A read error means the pipe is gone as well.
      }
      controller.abort(new Error("parent process exited"));
    })();
  }
  return controller.signal;
}
