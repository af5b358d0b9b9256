/**
 * `allora demo`: run the whole flow once in a temporary folder.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora demo`. */
export const HELP = `Usage: allora demo [options]

run the whole flow once in a temporary folder.
`;

/** The `allora demo` command. */
export const command: Command = {
  name: "demo",
  summary: "run the whole flow once in a temporary folder",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora demo' is not implemented yet")),
};
