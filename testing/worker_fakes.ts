/**
 * Test doubles for the worker's ports: an executor that returns what a function computes, an installer
 * backed by a map, and a handler context that records replies.
 *
 * @module
 */
import { peerIdFromString } from "@libp2p/peer-id";
import type { PeerId } from "@libp2p/interface";
import type { Message } from "../node/p2p/messages.ts";
import type { WorkerContext } from "../node/worker/context.ts";
import type {
  Executor,
  InstalledFunction,
  Installer,
  InstallSource,
  RunRequest,
  RunResult,
} from "../node/worker/ports.ts";
import { ExecutionSlots } from "../node/worker/slots.ts";
import { silentLogger } from "../node/log.ts";

/** Peer IDs for tests (the allora-inference-base key fixtures `ident1` and `ident2`). */
export const HEAD_PEER = "12D3KooWH9GerdSEroL2nqjpd2GuE5dwmqNi7uHX7FoywBdKcP4q";
export const WORKER_PEER = "12D3KooWQrN5U3BApv4JYjE5HyKXFKkRF2U8c5FgK3zMPjzkZTpQ";

/** Returns the PeerId object of a peer ID string. */
export function peer(id: string = HEAD_PEER): PeerId {
  return peerIdFromString(id);
}

/** Builds a run result with exit code 0 and the given stdout. */
export function okRun(stdout: string, overrides: Partial<RunResult> = {}): RunResult {
  return {
    exitCode: 0,
    stdout,
    stderr: "",
    usage: { wallClockNs: 1_500_000, memoryMaxKb: 2048 },
    ...overrides,
  };
}

/** An executor that records requests and returns what `respond` computes. */
export class FakeExecutor implements Executor {
  readonly requests: RunRequest[] = [];
  respond: (request: RunRequest, signal?: AbortSignal) => Promise<RunResult> | RunResult;

  constructor(respond: FakeExecutor["respond"] = () => okRun('{"infererValue":"1.5"}\n')) {
    this.respond = respond;
  }

  async run(request: RunRequest, options: { signal?: AbortSignal }): Promise<RunResult> {
    this.requests.push(request);
    return await this.respond(request, options.signal);
  }
}

/**
 * An executor whose runs wait until the signal aborts or {@link BlockingExecutor.finish} is
 * called, so tests can hold slots.
 */
export class BlockingExecutor implements Executor {
  readonly started: RunRequest[] = [];
  #finishers: (() => void)[] = [];

  run(request: RunRequest, { signal }: { signal?: AbortSignal }): Promise<RunResult> {
    this.started.push(request);
    return new Promise((resolve) => {
      const finish = () => resolve(okRun('{"infererValue":"2"}'));
      this.#finishers.push(finish);
      signal?.addEventListener("abort", () => {
        resolve({ ...okRun(""), exitCode: 15, error: { kind: "timeout", message: "aborted" } });
      }, { once: true });
    });
  }

  /** Lets every started run return. */
  finish(): void {
    for (const finish of this.#finishers.splice(0)) finish();
  }
}

/** An installer backed by a map; `failing` makes installs of that cid throw. */
export class FakeInstaller implements Installer {
  readonly installed = new Map<string, InstalledFunction>();
  readonly installs: InstallSource[] = [];
  failing = new Set<string>();

  constructor(cids: string[] = []) {
    for (const cid of cids) this.add(cid);
  }

  add(cid: string, files = ["function.wasm"]): InstalledFunction {
    const fn = { cid, dir: `/functions/${cid}`, files };
    this.installed.set(cid, fn);
    return fn;
  }

  get(cid: string): Promise<InstalledFunction | undefined> {
    return Promise.resolve(this.installed.get(cid));
  }

  async ensure(cid: string): Promise<InstalledFunction> {
    return this.installed.get(cid) ?? await this.install({ cid });
  }

  install(source: InstallSource): Promise<InstalledFunction> {
    this.installs.push(source);
    const cid = source.cid ?? "local";
    if (this.failing.has(cid)) {
      return Promise.reject(new Error(`manifest of ${cid} not found (HTTP 404)`));
    }
    return Promise.resolve(this.add(cid));
  }

  modulePath(fn: InstalledFunction, method: string): string {
    if (!fn.files.includes(method)) throw new Error(`no file ${method} in ${fn.cid}`);
    return `${fn.dir}/${method}`;
  }
}

/** A handler context whose replies are recorded instead of sent; disposing closes its slots. */
export interface RecordingContext extends WorkerContext, Disposable {
  replies: { peer: string; message: Message }[];
  stop: AbortController;
}

/** Builds a handler context from fakes; any field can be overridden. */
export function fakeContext(overrides: Partial<WorkerContext> = {}): RecordingContext {
  const replies: RecordingContext["replies"] = [];
  const stop = new AbortController();
  const context: RecordingContext = {
    peerId: WORKER_PEER,
    executor: new FakeExecutor(),
    installer: new FakeInstaller(["bafyfunction"]),
    slots: new ExecutionSlots({ capacity: 2, reservationMs: 60_000 }),
    attributes: {},
    limits: { timeoutMs: 10_000, maxMemoryPages: 4096, slotWaitMs: 50 },
    logger: silentLogger,
    signal: stop.signal,
    reply: (to, message) => {
      replies.push({ peer: to.toString(), message });
      return Promise.resolve();
    },
    ...overrides,
    replies,
    stop,
    [Symbol.dispose]: () => context.slots.close(),
  };
  return context;
}
