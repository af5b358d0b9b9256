/**
 * Entry point of the `allora` executable: hands the process arguments to the CLI and exits
 * with the code it returns.
 *
 * @module
 */
// The shim must run before any libp2p module is evaluated.
import "./node/shim.ts";
import { main } from "./cli/main.ts";

if (import.meta.main) {
  const code = await main(Deno.args);
  // Deno.exit because libp2p and timers may keep the event loop alive after a command finishes.
  Deno.exit(code);
}
