/**
 * `allora keys`: generate or show a libp2p identity (priv.bin, pub.bin, identity).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";

/** Help text of `allora keys`. */
export const HELP = `Usage: allora keys [options]

generate or show a libp2p identity (priv.bin, pub.bin, identity).
`;

/** The `allora keys` command. */
export const command: Command = {
  name: "keys",
  summary: "generate or show a libp2p identity (priv.bin, pub.bin, identity)",
  help: HELP,
  run: () => Promise.reject(new CliError("'allora keys' is not implemented yet")),
};
