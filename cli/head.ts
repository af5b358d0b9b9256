/**
 * `allora head`: run a head node: REST API and libp2p dispatch.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora head`. */
export const HELP = `Usage: allora head [options]

run a head node: REST API and libp2p dispatch.
`;

/** The `allora head` command. */
export const command: Command = {
  name: "head",
  summary: "run a head node: REST API and libp2p dispatch",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora head' is not implemented yet")),
};
