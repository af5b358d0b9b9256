/**
 * `allora worker`: run a worker node that executes the node function.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora worker`. */
export const HELP = `Usage: allora worker [options]

run a worker node that executes the node function.
`;

/** The `allora worker` command. */
export const command: Command = {
  name: "worker",
  summary: "run a worker node that executes the node function",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora worker' is not implemented yet")),
};
