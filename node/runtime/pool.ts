/**
 * A fixed pool of sandbox workers, each running one execution at a time. A worker that times
 * out, is aborted or crashes is terminated and replaced, so the pool keeps its size.
 *
 * Workers run with `deno: { permissions: "none" }` (needs the `worker-options` unstable
 * feature, enabled in deno.json); host I/O reaches the main thread through the broker.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import { createBrokerBuffer, type HostRequest, writeReply } from "./broker.ts";
import type { ExecutionHost } from "./execution_host.ts";
import { createOutputBuffer, OutputRegions } from "./output_buffer.ts";
import type { FromSandbox, ResultMessage, RunMessage, ToSandbox } from "./protocol.ts";

const WORKER_URL = new URL("./sandbox_worker.ts", import.meta.url);

/** Options of {@link SandboxPool}. */
export interface PoolOptions {
  size: number;
  /** The `cgi_list_read` JSON given to every worker. */
  cgiList: string;
  /** Capacity of each worker's output buffer: the node's output limits. */
  outputBytes: { stdout: number; stderr: number };
  logger: Logger;
}

/** One execution handed to the pool. */
export interface PoolJob {
  message: Omit<RunMessage, "type" | "runId">;
  host: ExecutionHost;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Outcome of a pooled execution, with the guest output captured until it ended. */
export type PoolOutcome =
  & ({ type: "result"; result: ResultMessage } | { type: "timeout" } | {
    type: "crash";
    message: string;
  })
  & { wallClockNs: number; stdout: string; stderr: string };

/** Raised for runs queued or running when the pool closes. */
export class PoolClosedError extends Error {
  override name = "PoolClosedError";
  constructor() {
    super("Cannot run module: the runtime is closed");
  }
}

interface Running {
  runId: number;
  host: ExecutionHost;
  finish(outcome: Ending): void;
}

/** End of the worker side of a run, before the wall-clock time is added. */
type Ending =
  | ResultMessage
  | { type: "timeout" }
  | { type: "crash"; message: string }
  | { type: "reject"; reason: unknown };

interface Slot {
  worker: Worker;
  broker: SharedArrayBuffer;
  output: SharedArrayBuffer;
  ready: Promise<void>;
  running?: Running;
}

/** The sandbox worker pool. */
export class SandboxPool {
  readonly #cgiList: string;
  readonly #outputBytes: { stdout: number; stderr: number };
  readonly #logger: Logger;
  readonly #slots: Slot[] = [];
  readonly #idle: Slot[] = [];
  readonly #waiting: { resolve(slot: Slot): void; reject(error: unknown): void }[] = [];
  #nextRunId = 1;
  #closed = false;

  constructor(options: PoolOptions) {
    this.#cgiList = options.cgiList;
    this.#outputBytes = options.outputBytes;
    this.#logger = options.logger;
    for (let i = 0; i < options.size; i++) {
      const slot = {} as Slot;
      this.#startWorker(slot);
      this.#slots.push(slot);
      this.#idle.push(slot);
    }
  }

  /** Resolves when every worker has loaded. */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.ready));
  }

  /**
   * Runs `job` on the next free worker.
   *
   * @throws the signal's reason when `job.signal` aborts
   * @throws {PoolClosedError} when the pool closes first
   */
  async execute(job: PoolJob): Promise<PoolOutcome> {
    job.signal?.throwIfAborted();
    const slot = await this.#acquire(job.signal);
    try {
      await slot.ready;
      job.signal?.throwIfAborted();
      return await this.#runOn(slot, job);
    } finally {
      this.#release(slot);
    }
  }

  /** Terminates every worker and rejects queued and running executions. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new PoolClosedError());
    for (const slot of this.#slots) {
      slot.running?.finish({ type: "reject", reason: new PoolClosedError() });
      slot.worker.terminate();
    }
  }

  #runOn(slot: Slot, job: PoolJob): Promise<PoolOutcome> {
    const runId = this.#nextRunId++;
    const started = performance.now();
    // Kept here because a timeout replaces the slot's buffer before the output is read.
    const output = new OutputRegions(slot.output);
    output.reset();

    return new Promise<PoolOutcome>((resolve, reject) => {
      const onAbort = () => {
        this.#replace(slot, "aborted");
        finish({ type: "reject", reason: job.signal!.reason });
      };
      const timer = setTimeout(() => {
        this.#replace(slot, "timed out");
        finish({ type: "timeout" });
      }, job.timeoutMs);
      const finish = (ending: Ending) => {
        const wallClockNs = Math.round((performance.now() - started) * 1e6);
        clearTimeout(timer);
        job.signal?.removeEventListener("abort", onAbort);
        if (slot.running?.runId === runId) slot.running = undefined;
        if (ending.type === "reject") return reject(ending.reason);
        const captured = {
          wallClockNs,
          stdout: output.text("stdout"),
          stderr: output.text("stderr"),
        };
        if (ending.type === "result") resolve({ type: "result", result: ending, ...captured });
        else resolve({ ...ending, ...captured });
      };
      job.signal?.addEventListener("abort", onAbort, { once: true });

      slot.running = { runId, host: job.host, finish };
      const message: ToSandbox = { type: "run", runId, ...job.message };
      slot.worker.postMessage(message);
    });
  }

  /** Starts a fresh worker with a fresh broker buffer in `slot`. */
  #startWorker(slot: Slot): void {
    const worker = new Worker(WORKER_URL, { type: "module", deno: { permissions: "none" } });
    const broker = createBrokerBuffer();
    const output = createOutputBuffer(this.#outputBytes.stdout, this.#outputBytes.stderr);
    let started = false;
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    slot.worker = worker;
    slot.broker = broker;
    slot.output = output;
    slot.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // Marks the rejection as handled; ready() and queued runs still get it when they await.
    slot.ready.catch(() => {});

    worker.onmessage = (event: MessageEvent<FromSandbox>) => {
      if (slot.worker !== worker) return;
      const message = event.data;
      switch (message.type) {
        case "ready":
          started = true;
          return markReady();
        case "result":
          return slot.running?.finish(message);
        case "log":
          return (slot.running?.host ?? this.#logger).warn(message.message, message.fields);
        case "host":
          return this.#serveHostCall(slot, message.request);
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (slot.worker !== worker) return;
      if (!started) {
        // A worker that cannot load would crash again at once, so it is not replaced.
        worker.terminate();
        markFailed(new Error(`Cannot start sandbox worker: ${event.message}`));
        return;
      }
      this.#logger.error("sandbox worker crashed", { error: event.message });
      const running = slot.running;
      this.#replace(slot, "crashed");
      running?.finish({ type: "crash", message: event.message });
    };
    const init: ToSandbox = { type: "init", broker, output, cgiList: this.#cgiList };
    worker.postMessage(init);
  }

  #serveHostCall(slot: Slot, request: HostRequest): void {
    const running = slot.running;
    if (running === undefined) return;
    const broker = slot.broker;
    running.host.handle(request).then((reply) => {
      // The worker may have been replaced (timeout) while the call was in flight.
      if (slot.running?.runId === running.runId && slot.broker === broker) {
        writeReply(broker, reply);
      }
    });
  }

  /** Terminates the slot's worker and starts a fresh one in the same slot. */
  #replace(slot: Slot, reason: string): void {
    slot.worker.terminate();
    if (this.#closed) return;
    this.#logger.debug("replacing sandbox worker", { reason });
    this.#startWorker(slot);
  }

  #acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    const slot = this.#idle.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      // The listener goes away with the wait: a worker may pass one long-lived signal to every run.
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      const waiter = {
        resolve(slot: Slot) {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
        reject(error: unknown) {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #release(slot: Slot): void {
    if (this.#closed) return;
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve(slot);
    else this.#idle.push(slot);
  }
}
