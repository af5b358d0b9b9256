/**
 * The streams and environment a command uses, injectable so tests can capture output and
 * answer prompts without a terminal.
 *
 * @module
 */

/** The input and output streams of a command. */
export interface Io {
  /** Writes text to standard output (results, `--json` documents). */
  out(text: string): void;
  /** Writes text to standard error (logs, errors, progress). */
  err(text: string): void;
  /** Reads all of standard input as text. */
  readStdin(): Promise<string>;
  /** Whether standard input is an interactive terminal, so prompts are allowed. */
  stdinIsTerminal: boolean;
  /** Reads one line from the terminal, without echo when `secret` is set. */
  prompt(question: string, options?: { secret?: boolean }): Promise<string | null>;
  /** Environment variable lookup. */
  env(name: string): string | undefined;
}

const encoder = new TextEncoder();

/** Returns the process's real standard streams and environment. */
export function processIo(): Io {
  return {
    out: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    readStdin: async () => await new Response(Deno.stdin.readable).text(),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    prompt: (question, options = {}) => promptLine(question, options.secret ?? false),
    env: (name) => Deno.env.get(name),
  };
}

async function promptLine(question: string, secret: boolean): Promise<string | null> {
  Deno.stderr.writeSync(encoder.encode(question));
  if (secret) Deno.stdin.setRaw(true);
  try {
    const buffer = new Uint8Array(1);
    const bytes: number[] = [];
    while (true) {
      const read = await Deno.stdin.read(buffer);
      if (read === null) {
        return bytes.length > 0 ? new TextDecoder().decode(new Uint8Array(bytes)) : null;
      }
      const byte = buffer[0];
      // Ctrl-C in raw mode arrives as a byte instead of a signal.
      if (byte === 3) return null;
      if (byte === 10 || byte === 13) break;
      if (byte === 127 || byte === 8) {
        bytes.pop();
        continue;
      }
      bytes.push(byte);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    if (secret) {
      Deno.stdin.setRaw(false);
      Deno.stderr.writeSync(encoder.encode("\n"));
    }
  }
}

/** Creates an in-memory {@link Io} for tests that captures output and serves fixed stdin and env. */
export function memoryIo(
  options: { stdin?: string; env?: Record<string, string>; answers?: string[] } = {},
): Io & { stdout: string; stderr: string } {
  const answers = [...(options.answers ?? [])];
  const io = {
    stdout: "",
    stderr: "",
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    stdinIsTerminal: options.answers !== undefined,
    prompt: (question: string) => {
      io.stderr += question;
      return Promise.resolve(answers.shift() ?? null);
    },
    env: (name: string) => options.env?.[name],
  };
  return io;
}
