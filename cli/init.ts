/**
 * `allora init`: write a worker project: config, main.py, identities, compose files.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora init`. */
export const HELP = `Usage: allora init [options]

write a worker project: config, main.py, identities, compose files.
`;

/** The `allora init` command. */
export const command: Command = {
  name: "init",
  summary: "write a worker project: config, main.py, identities, compose files",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora init' is not implemented yet")),
};
