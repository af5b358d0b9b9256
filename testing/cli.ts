/**
 * Runs the real `allora` CLI for command tests: in-process with an in-memory terminal, or as a
 * `deno run` subprocess.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { main } from "../cli/main.ts";
import { memoryIo } from "../cli/io.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

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

/**
 * Runs `allora ARGV` as a `deno run` subprocess in `cwd`, standard input closed, with `env`
 * added to the environment.
 */
export async function runCliProcess(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...argv],
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
