/**
 * Builds the command line that starts this same program again with other arguments, so
 * `allora dev` can start heads and workers as separate processes both from source
 * (`deno run main.ts`) and from the compiled binary.
 *
 * @module
 */
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN_MODULE = new URL("../../main.ts", import.meta.url);

/** Returns `[executable, ...args]` that runs `allora <args>`. */
export function selfCommand(args: string[]): [string, ...string[]] {
  const executable = Deno.execPath();
  // A compiled binary is the program itself; under `deno run` the module must be named.
  if (/^deno(\.exe)?$/.test(basename(executable))) {
    return [executable, "run", "--allow-all", fileURLToPath(MAIN_MODULE), ...args];
  }
  return [executable, ...args];
}
