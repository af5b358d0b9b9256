/**
 * Runs the real `allora` CLI in-process with an in-memory terminal, for command tests.
 *
 * @module
 */
import { main } from "../cli/main.ts";
import { memoryIo } from "../cli/io.ts";

/** Exit code and captured output of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Calls `main(argv)` with a {@link memoryIo} built from `options` (stdin, env, prompt answers;
 * giving `answers` makes stdin a terminal).
 */
export async function runCli(
  argv: string[],
  options: Parameters<typeof memoryIo>[0] = {},
): Promise<CliResult> {
  const io = memoryIo(options);
  const code = await main(argv, { io });
  return { code, stdout: io.stdout, stderr: io.stderr };
}
