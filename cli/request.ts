/**
 * `allora request`: send an execute request to a head and print the result.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora request`. */
export const HELP = `Usage: allora request [options]

send an execute request to a head and print the result.
`;

/** The `allora request` command. */
export const command: Command = {
  name: "request",
  summary: "send an execute request to a head and print the result",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora request' is not implemented yet")),
};
