/**
 * Starts and stops the child processes of a local network (`allora dev`): streams each
 * child's log lines with a name prefix, waits for its `{"event":"ready",…}` line on stdout,
 * and stops every child on shutdown (SIGTERM, then SIGKILL after a grace period).
 *
 * @module
 */
import type { Logger } from "../log.ts";

/**
 * Environment variable set for every child: when "1", a long-running command also stops when
 * its standard input closes, so children never outlive a parent that died without signalling.
 */
export const EXIT_WITH_PARENT_ENV = "ALLORA_EXIT_WITH_PARENT";

/** Time a child gets to exit after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 5_000;

/** The JSON line a head or worker prints on stdout once it is serving. */
export interface ReadyEvent {
  event: "ready";
  peer_id?: string;
  multiaddrs?: string[];
  rest?: string;
  [key: string]: unknown;
}

/** A running child process. */
export interface Child {
  name: string;
  process: Deno.ChildProcess;
  /** Resolves with the ready line, rejects if the child exits or times out first. */
  ready: Promise<ReadyEvent>;
  /** Resolves with the exit status. */
  exited: Promise<Deno.CommandStatus>;
}

/** A child that exited or timed out before it was ready. */
export class ChildStartError extends Error {
  override name = "ChildStartError";
  readonly child: string;
  /** The child's last output lines, for the user. */
  readonly output: string[];

  constructor(child: string, message: string, output: string[]) {
    super(message);
    this.child = child;
    this.output = output;
  }
}

/** Options of {@link Supervisor.start}. */
export interface StartOptions {
  name: string;
  command: [string, ...string[]];
  cwd?: string;
  env?: Record<string, string>;
  readyTimeoutMs: number;
  /**
   * Stop this child only after the others have exited, e.g. a chain the others still send
   * transactions to while they stop. @default false
   */
  stopLast?: boolean;
}

/** Keeps the children of one local network. */
export class Supervisor {
  readonly #children: Child[] = [];
  readonly #stopLast = new Set<Child>();
  readonly #write: (line: string) => void;
  readonly #logger: Logger;

  /** @param write receives each prefixed output line of every child, newline included */
  constructor(write: (line: string) => void, logger: Logger) {
    this.#write = write;
    this.#logger = logger;
  }

  get children(): readonly Child[] {
    return this.#children;
  }

  /** Spawns a child and returns at once; await `child.ready` to know it serves. */
  start(options: StartOptions): Child {
    const [executable, ...args] = options.command;
    const process = new Deno.Command(executable, {
      args,
      cwd: options.cwd,
      // An open stdin pipe signals the child that its parent is alive (see EXIT_WITH_PARENT_ENV).
      env: { ...options.env, [EXIT_WITH_PARENT_ENV]: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const recent: string[] = [];
    const remember = (line: string) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
    };
    const prefix = `[${options.name}] `;
    let resolveReady!: (event: ReadyEvent) => void;
    let rejectReady!: (error: Error) => void;
    const ready = new Promise<ReadyEvent>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => {});
    const timer = setTimeout(
      () =>
        rejectReady(
          new ChildStartError(
            options.name,
            `${options.name} did not become ready within ${options.readyTimeoutMs} ms`,
            recent,
          ),
        ),
      options.readyTimeoutMs,
    );

    const stdoutDone = forEachLine(process.stdout, (line) => {
      const event = parseReady(line);
      if (event) {
        clearTimeout(timer);
        resolveReady(event);
        return;
      }
      remember(line);
      this.#write(prefix + line + "\n");
    });
    const stderrDone = forEachLine(process.stderr, (line) => {
      remember(line);
      this.#write(prefix + line + "\n");
    });
    const exited = (async () => {
      const status = await process.status;
      await Promise.allSettled([stdoutDone, stderrDone]);
      clearTimeout(timer);
      rejectReady(
        new ChildStartError(
          options.name,
          `${options.name} exited with code ${status.code}`,
          recent,
        ),
      );
      return status;
    })();
    const child = { name: options.name, process, ready, exited };
    this.#children.push(child);
    if (options.stopLast) this.#stopLast.add(child);
    return child;
  }

  /**
   * Stops every child: SIGTERM, then SIGKILL after {@link STOP_GRACE_MS}. Children started
   * with `stopLast` get their SIGTERM once the others have exited.
   */
  async stopAll(): Promise<void> {
    const children = [...this.#children].reverse();
    await this.#stop(children.filter((child) => !this.#stopLast.has(child)));
    await this.#stop(children.filter((child) => this.#stopLast.has(child)));
  }

  async #stop(running: Child[]): Promise<void> {
    for (const child of running) {
      try {
        child.process.kill("SIGTERM");
      } catch {
        // Already exited.
      }
    }
    await Promise.all(running.map(async (child) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.#logger.warn("child did not stop in time; killing it", { child: child.name });
          try {
            child.process.kill("SIGKILL");
          } catch {
            // Exited in the meantime.
          }
          resolve();
        }, STOP_GRACE_MS);
      });
      await Promise.race([child.exited, killed]);
      await child.exited;
      clearTimeout(timer);
    }));
  }
}

function parseReady(line: string): ReadyEvent | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line);
    return value?.event === "ready" ? value as ReadyEvent : undefined;
  } catch {
    return undefined;
  }
}

async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ""));
      buffered = buffered.slice(newline + 1);
    }
  }
  if (buffered !== "") onLine(buffered);
}
