/**
 * `allora devnet`: run a local Allora chain double on loopback.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora devnet`. */
export const HELP = `Usage: allora devnet [options]

run a local Allora chain double on loopback.
`;

/** The `allora devnet` command. */
export const command: Command = {
  name: "devnet",
  summary: "run a local Allora chain double on loopback",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora devnet' is not implemented yet")),
};
