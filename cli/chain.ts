/**
 * `allora chain`: query the Allora chain and register the worker.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora chain`. */
export const HELP = `Usage: allora chain [options]

query the Allora chain and register the worker.
`;

/** The `allora chain` command. */
export const command: Command = {
  name: "chain",
  summary: "query the Allora chain and register the worker",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora chain' is not implemented yet")),
};
