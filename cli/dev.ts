/**
 * `allora dev`: run a local head and workers for the project in this folder.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora dev`. */
export const HELP = `Usage: allora dev [options]

run a local head and workers for the project in this folder.
`;

/** The `allora dev` command. */
export const command: Command = {
  name: "dev",
  summary: "run a local head and workers for the project in this folder",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora dev' is not implemented yet")),
};
