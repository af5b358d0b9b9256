/**
 * The list of commands, in the order the root help shows them.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { command as init } from "./init.ts";
import { command as keys } from "./keys.ts";
import { command as wallet } from "./wallet.ts";
import { command as head } from "./head.ts";
import { command as worker } from "./worker.ts";
import { command as dev } from "./dev.ts";
import { command as request } from "./request.ts";
import { command as demo } from "./demo.ts";
import { command as chain } from "./chain.ts";
import { command as devnet } from "./devnet.ts";

/** Every `allora` command. */
export const COMMANDS: readonly Command[] = [
  init,
  dev,
  request,
  demo,
  head,
  worker,
  keys,
  wallet,
  chain,
  devnet,
];
