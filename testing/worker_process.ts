/**
 * Runs `allora worker` as a real subprocess for multi-process tests: starts it with `--json`,
 * waits for its ready line, keeps its stderr for failure messages, and stops it with a signal.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Path of the CLI entry point. */
export const MAIN_PATH = fileURLToPath(new URL("../main.ts", import.meta.url));

/** The ready line a worker prints with `--json`. */
export interface ReadyLine {
  event: "ready";
  peer_id: string;
  multiaddrs: string[];
  functions: string[];
}

/** A running worker process. */
export interface WorkerProcess {
  readonly ready: ReadyLine;
  readonly child: Deno.ChildProcess;
  /** Everything the worker wrote to stderr so far (its log). */
  stderr(): string;
  /** Sends `signal` and waits for the exit; returns the exit code and the time it took. */
  stop(signal?: Deno.Signal): Promise<{ code: number; elapsedMs: number }>;
}

/** Options of {@link spawnWorker}. */
export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** How long to wait for the ready line. @default 60_000 */
  readyTimeoutMs?: number;
}

/**
 * Starts `deno run -A main.ts --json worker --port 0 <args>` and resolves once it prints its
 * ready line.
 *
 * @throws {Error} with the worker's stderr when it exits or stays silent first
 */
export async function spawnWorker(
  args: string[],
  options: SpawnOptions = {},
): Promise<WorkerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN_PATH,
      "--json",
      "--log-level",
      "debug",
      "worker",
      "--port",
      "0",
      ...args,
    ],
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let log = "";
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (log += chunk) }),
  );
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let ready: ReadyLine;
  try {
    ready = await readReadyLine(lines, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    await stderrDone.catch(() => {});
    throw new Error(`${(error as Error).message}\nworker stderr:\n${log}`);
  }
  // Keep draining stdout so the worker never blocks on a full pipe.
  const stdoutDone = (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })();

  return {
    ready,
    child,
    stderr: () => log,
    async stop(signal: Deno.Signal = "SIGTERM") {
      const started = performance.now();
      try {
        child.kill(signal);
      } catch {
        // The process already exited.
      }
      const status = await child.status;
      await Promise.allSettled([stdoutDone, stderrDone]);
      return { code: status.code, elapsedMs: performance.now() - started };
    },
  };
}

async function readReadyLine(
  reader: ReadableStreamDefaultReader<string>,
  timeoutMs: number,
): Promise<ReadyLine> {
  let buffered = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`worker printed no ready line within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    while (true) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) throw new Error(`worker exited before its ready line; stdout: ${buffered}`);
      buffered += value;
      for (const line of buffered.split("\n").slice(0, -1)) {
        const parsed = parseJson(line);
        if (parsed?.event === "ready") return parsed as unknown as ReadyLine;
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line);
    return value !== null && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}
