/**
 * Subprocesses for multi-process tests: `allora head` and scripted workers started with
 * `deno run`, each read up to its JSON ready line. {@link withProcesses} stops every process
 * when the test ends and prints their output only when the test failed.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MAIN = `${ROOT}main.ts`;
const SCRIPTED_WORKER = `${ROOT}testing/scripted_worker.ts`;
/** How long a process may take to print its ready line; the machine may be busy. */
export const READY_TIMEOUT_MS = 60_000;
/** How long a process may take to exit after SIGTERM before it is killed. */
export const EXIT_TIMEOUT_MS = 15_000;

/** The ready line of `allora head --json`. */
export interface HeadReady {
  event: "ready";
  peer_id: string;
  multiaddrs: string[];
  rest: string;
}

/** A running subprocess with captured output. */
export class TestProcess {
  readonly name: string;
  readonly child: Deno.ChildProcess;
  stdout = "";
  stderr = "";
  readonly #lines: string[] = [];
  #lineWaiters: Array<() => void> = [];
  readonly #done: Promise<void>;
  status: Deno.CommandStatus | undefined;

  constructor(
    name: string,
    args: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ) {
    this.name = name;
    this.child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", ...options.env },
    }).spawn();
    this.#done = Promise.all([
      this.#pump(this.child.stdout, (text) => this.#onStdout(text)),
      this.#pump(this.child.stderr, (text) => this.stderr += text),
      this.child.status.then((status) => {
        this.status = status;
      }),
    ]).then(() => this.#wake());
  }

  /** Waits for the first stdout line that parses as JSON with `"event":"ready"`. */
  async ready<T>(timeoutMs = READY_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let index = 0;
    while (true) {
      for (; index < this.#lines.length; index++) {
        const parsed = tryParse(this.#lines[index]);
        if (parsed?.event === "ready") return parsed as T;
      }
      if (this.status !== undefined) {
        throw new Error(`${this.name} exited with code ${this.status.code} before it was ready`);
      }
      if (Date.now() >= deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms`);
      await this.#nextLine(deadline - Date.now());
    }
  }

  /** Sends `signal` and waits for the exit; kills the process when it takes too long. */
  async stop(
    signal: Deno.Signal = "SIGTERM",
    timeoutMs = EXIT_TIMEOUT_MS,
  ): Promise<Deno.CommandStatus> {
    if (this.status === undefined) {
      try {
        this.child.kill(signal);
      } catch {
        // The process exited between the check and the signal.
      }
      const timer = setTimeout(() => {
        try {
          this.child.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      await this.#done;
      clearTimeout(timer);
    } else {
      await this.#done;
    }
    return this.status!;
  }

  /** Waits for the process to exit by itself. */
  async exited(): Promise<Deno.CommandStatus> {
    await this.#done;
    return this.status!;
  }

  #onStdout(text: string): void {
    this.stdout += text;
    const lines = this.stdout.split("\n");
    this.#lines.splice(0, this.#lines.length, ...lines.slice(0, -1));
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#lineWaiters;
    this.#lineWaiters = [];
    for (const wake of waiters) wake();
  }

  #nextLine(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#lineWaiters.push(done);
    });
  }

  async #pump(stream: ReadableStream<Uint8Array>, sink: (text: string) => void): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
  }
}

function tryParse(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line);
    return value !== null && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Options of a scripted worker; see testing/scripted_worker.ts. */
export interface ScriptedWorkerOptions {
  topics: string[];
  mode?: "answer" | "slow" | "never" | "silent" | "disconnect";
  stdout?: string;
  exitCode?: number;
  delayMs?: number;
}

/** Tracks the processes of one test. */
export class Processes {
  readonly all: TestProcess[] = [];
  readonly tempDir: string = Deno.makeTempDirSync({ prefix: "allora-head-test-" });

  /** Starts `allora head --json` in a temp folder with free ports and waits until it is ready. */
  async head(
    args: string[] = [],
    name = "head",
  ): Promise<{ process: TestProcess; ready: HeadReady }> {
    const process = this.spawn(name, [
      "run",
      "-A",
      MAIN,
      "head",
      "--json",
      "--rest-api",
      "127.0.0.1:0",
      "--port",
      "0",
      "--log-level",
      "debug",
      ...args,
    ]);
    return { process, ready: await process.ready<HeadReady>() };
  }

  /** Starts a scripted worker that dials `headAddress` and waits until it is ready. */
  async worker(headAddress: string, options: ScriptedWorkerOptions): Promise<TestProcess> {
    const args = ["run", "-A", SCRIPTED_WORKER, "--head", headAddress];
    for (const topic of options.topics) args.push("--topic", topic);
    args.push("--mode", options.mode ?? "answer");
    if (options.stdout !== undefined) args.push("--stdout", options.stdout);
    if (options.exitCode !== undefined) args.push("--exit-code", String(options.exitCode));
    if (options.delayMs !== undefined) args.push("--delay-ms", String(options.delayMs));
    const process = this.spawn(`worker ${this.all.length} (${options.mode ?? "answer"})`, args);
    await process.ready();
    return process;
  }

  /**
   * Starts any `deno` subprocess, in the temp folder unless `options.cwd` names another, with
   * `options.env` added to the environment.
   */
  spawn(
    name: string,
    args: string[],
    options: { cwd?: string; env?: Record<string, string> } = {},
  ): TestProcess {
    const process = new TestProcess(name, args, {
      cwd: options.cwd ?? this.tempDir,
      env: options.env,
    });
    this.all.push(process);
    return process;
  }

  /** Stops every process, then removes the temp folder. */
  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((process) => process.stop()));
    await Deno.remove(this.tempDir, { recursive: true }).catch(() => {});
  }

  /** Prints each process's output to stderr. */
  dump(): void {
    for (const process of this.all) {
      console.error(`----- ${process.name} (exit ${process.status?.code ?? "running"})`);
      console.error(`stdout:\n${process.stdout}`);
      console.error(`stderr:\n${process.stderr}`);
    }
  }
}

/**
 * Runs `body` with a fresh {@link Processes}; prints their output if `body` throws and stops
 * them all in every case.
 */
export async function withProcesses(body: (processes: Processes) => Promise<void>): Promise<void> {
  const processes = new Processes();
  try {
    await body(processes);
  } catch (error) {
    processes.dump();
    throw error;
  } finally {
    await processes.stopAll();
  }
}

/** POSTs JSON to the head's REST API and returns the status and parsed body. */
export async function postJson(
  base: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Waits until `count` workers accept roll calls on `topic` (an Allora topic id such as "1"),
 * by sending execute requests with `number_of_nodes` = `count` until a roll call succeeds. A
 * worker's subscription can reach the head a moment after the worker prints its ready line,
 * and a roll call published before that misses the worker. The probe executes run on the
 * workers, so this does not suit workers that exit on their first execute.
 */
export async function awaitWorkers(
  rest: string,
  topic: string,
  count: number,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const { body } = await postJson(rest, "/api/v1/functions/execute", {
      function_id: "await-workers",
      method: "probe.wasm",
      topic,
      config: { number_of_nodes: count, timeout: 2 },
    });
    if (body.code !== "408") return;
    if (Date.now() > deadline) {
      throw new Error(`${count} workers on topic ${topic} not ready: ${JSON.stringify(body)}`);
    }
  }
}
