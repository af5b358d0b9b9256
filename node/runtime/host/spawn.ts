/**
 * Child processes for CGI extensions: a clean environment, captured and capped stdout and
 * stderr, an optional deadline, and a kill that always reaps.
 *
 * @module
 */
import { StreamBuffer } from "./stream_buffer.ts";

/** Options of {@link spawnCaptured}. */
export interface SpawnOptions {
  args: string[];
  cwd: string;
  /** The whole environment of the child; nothing is inherited. */
  env: Record<string, string>;
  /** Pipe stdin for {@link CapturedProcess.write}; otherwise the child reads EOF. */
  stdin: boolean;
  /** Cap of each captured stream. */
  capBytes: number;
  /** Kills the child when this passes. */
  timeoutMs?: number;
}

/** Exit status of a captured process. */
export interface CapturedStatus {
  code: number;
  signal: string | null;
  timedOut: boolean;
  /** stdout or stderr went over the cap, so the process was killed. */
  truncated: boolean;
}

/** A running child with captured output. */
export interface CapturedProcess {
  stdout: StreamBuffer;
  stderr: StreamBuffer;
  /** Resolves when the child exited and both streams were drained. */
  status: Promise<CapturedStatus>;
  /** Writes to stdin; resolves with the bytes written. */
  write(data: Uint8Array): Promise<number>;
  /** Closes stdin, so the child reads EOF. */
  closeStdin(): Promise<void>;
  /** Kills the child (if it still runs) and waits for it. */
  kill(): Promise<CapturedStatus>;
}

/**
 * Starts `program` with captured output.
 *
 * @throws {Deno.errors.NotFound} and other spawn errors when the program cannot start
 */
export function spawnCaptured(program: string, options: SpawnOptions): CapturedProcess {
  const child = new Deno.Command(program, {
    args: options.args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let exited = false;
  let timedOut = false;
  const kill = () => {
    if (exited) return;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited between the check and the kill.
    }
  };
  const stdout = new StreamBuffer(options.capBytes);
  const stderr = new StreamBuffer(options.capBytes);
  const pumps = [pump(child.stdout, stdout, kill), pump(child.stderr, stderr, kill)];
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);

  const status = (async (): Promise<CapturedStatus> => {
    const result = await child.status;
    exited = true;
    clearTimeout(timer);
    await Promise.all(pumps);
    return {
      code: result.code,
      signal: result.signal,
      timedOut,
      truncated: stdout.truncated || stderr.truncated,
    };
  })();

  const writer = options.stdin ? child.stdin.getWriter() : undefined;
  let stdinOpen = options.stdin;
  return {
    stdout,
    stderr,
    status,
    async write(data) {
      if (writer === undefined || !stdinOpen) return 0;
      await writer.write(data);
      return data.length;
    },
    async closeStdin() {
      if (writer === undefined || !stdinOpen) return;
      stdinOpen = false;
      await writer.close().catch(() => {});
    },
    async kill() {
      stdinOpen = false;
      await writer?.abort().catch(() => {});
      kill();
      return await status;
    },
  };
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  buffer: StreamBuffer,
  onOverflow: () => void,
): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (!buffer.append(chunk)) {
        onOverflow();
        break;
      }
    }
  } catch {
    // The pipe closes with an error when the child is killed; what arrived is kept.
  } finally {
    buffer.end();
  }
}
