/**
 * `allora wallet`: create, import or show the chain wallet.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora wallet`. */
export const HELP = `Usage: allora wallet [options]

create, import or show the chain wallet.
`;

/** The `allora wallet` command. */
export const command: Command = {
  name: "wallet",
  summary: "create, import or show the chain wallet",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora wallet' is not implemented yet")),
};
