/**
 * Synchronous host calls from a sandbox worker to the main thread.
 *
 * A guest calls host imports synchronously, but fetch and child processes are asynchronous
 * and live on the main thread, because the sandbox has no permissions. The sandbox posts the
 * request and blocks in `Atomics.wait` on a SharedArrayBuffer. The main thread does the I/O,
 * writes the reply into the buffer and calls `Atomics.notify`. Only the sandbox thread blocks,
 * so the main event loop keeps serving other executions.
 *
 * Buffer layout: an Int32 header (state, errno, two values, data length), then a data window
 * of {@link BROKER_WINDOW_BYTES}. Each execution runs on its own worker, so one buffer per
 * worker has at most one call in flight.
 *
 * @module
 */
import { BROKER_WINDOW_BYTES } from "./constants.ts";

const STATE = 0;
const ERRNO = 1;
const VALUE0 = 2;
const VALUE1 = 3;
const LENGTH = 4;
const HEADER_BYTES = 32;

const IDLE = 0;
const PENDING = 1;
const DONE = 2;

/** A host call the sandbox sends to the main thread. */
export type HostRequest =
  | { op: "http_req"; url: string; options: string }
  | { op: "http_read_header"; handle: number; name: string }
  | { op: "http_read_body"; handle: number; max: number }
  | { op: "http_close"; handle: number }
  | { op: "cgi_open"; params: string }
  | { op: "cgi_stdin_write"; handle: number; data: Uint8Array }
  | { op: "cgi_read"; handle: number; stream: "stdout" | "stderr"; max: number }
  | { op: "cgi_close"; handle: number };

/** The main thread's reply: an errno, up to two integers, and at most one window of data. */
export interface HostReply {
  errno: number;
  values?: [number, number?];
  data?: Uint8Array;
}

/** Allocates the shared buffer of one sandbox worker. */
export function createBrokerBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + BROKER_WINDOW_BYTES);
}

/** The sandbox side: sends a request and blocks until the reply is written. */
export class BrokerClient {
  readonly #header: Int32Array;
  readonly #window: Uint8Array;
  readonly #post: (request: HostRequest) => void;

  constructor(buffer: SharedArrayBuffer, post: (request: HostRequest) => void) {
    this.#header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.#window = new Uint8Array(buffer, HEADER_BYTES);
    this.#post = post;
  }

  /** Sends `request` and waits for the reply; the returned data is a copy. */
  call(request: HostRequest): Required<HostReply> & { values: [number, number] } {
    Atomics.store(this.#header, STATE, PENDING);
    this.#post(request);
    while (Atomics.load(this.#header, STATE) === PENDING) {
      Atomics.wait(this.#header, STATE, PENDING);
    }
    const reply = {
      errno: this.#header[ERRNO],
      values: [this.#header[VALUE0] >>> 0, this.#header[VALUE1] >>> 0] as [number, number],
      data: this.#window.slice(0, this.#header[LENGTH]),
    };
    Atomics.store(this.#header, STATE, IDLE);
    return reply;
  }
}

/**
 * Writes `reply` into `buffer` and wakes the sandbox (the main-thread side).
 *
 * @throws {RangeError} when the data is larger than the window (a host bug)
 */
export function writeReply(buffer: SharedArrayBuffer, reply: HostReply): void {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  const data = reply.data ?? new Uint8Array();
  if (data.length > BROKER_WINDOW_BYTES) {
    throw new RangeError(`Cannot send host reply: ${data.length} bytes exceed the window`);
  }
  new Uint8Array(buffer, HEADER_BYTES).set(data);
  header[ERRNO] = reply.errno;
  header[VALUE0] = reply.values?.[0] ?? 0;
  header[VALUE1] = reply.values?.[1] ?? 0;
  header[LENGTH] = data.length;
  Atomics.store(header, STATE, DONE);
  Atomics.notify(header, STATE);
}
