/**
 * Execution slots: at most `capacity` functions run at once. A roll call that the worker
 * accepts reserves a slot for its request id, so the execute that follows finds one free; a
 * reservation that no execute claims expires.
 *
 * @module
 */

/** A held slot; release it when the execution ends. */
export interface Lease {
  readonly requestId: string;
  /** Frees the slot; calling it again does nothing. */
  release(): void;
}

/** Reason {@link ExecutionSlots.claim} returned no lease. */
export type ClaimRejection =
  /** An execution with this request id is already running. */
  | "duplicate"
  /** The request id is reserved for a different peer. */
  | "conflict"
  /** No slot became free within the wait. */
  | "busy"
  /** The slots were closed (shutdown). */
  | "closed";

/** Outcome of {@link ExecutionSlots.claim}. */
export type ClaimResult = { lease: Lease } | { rejected: ClaimRejection };

/** Options of {@link ExecutionSlots}. */
export interface SlotsOptions {
  /** Executions allowed at once; at least 1. */
  capacity: number;
  /** Lifetime of a reservation in milliseconds. */
  reservationMs: number;
}

interface Reservation {
  origin: string;
  timer: ReturnType<typeof setTimeout>;
}

/** A bounded pool of execution slots with per-request reservations. */
export class ExecutionSlots implements Disposable {
  readonly capacity: number;
  readonly #reservationMs: number;
  readonly #reserved = new Map<string, Reservation>();
  readonly #running = new Set<string>();
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor({ capacity, reservationMs }: SlotsOptions) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create execution slots: capacity ${capacity} is below 1`);
    }
    this.capacity = capacity;
    this.#reservationMs = reservationMs;
  }

  /** Slots neither reserved nor running. */
  get free(): number {
    return this.capacity - this.#reserved.size - this.#running.size;
  }

  /** Reserved slots not yet claimed. */
  get reserved(): number {
    return this.#reserved.size;
  }

  /** Slots held by running executions. */
  get running(): number {
    return this.#running.size;
  }

  /** Returns whether `requestId` has a reservation. */
  isReserved(requestId: string): boolean {
    return this.#reserved.has(requestId);
  }

  /**
   * Reserves a slot for `requestId` on behalf of `origin` (the head that will send the
   * execute). Returns true when the slot is reserved, also when it already was.
   */
  reserve(requestId: string, origin: string): boolean {
    if (this.#closed || this.#running.has(requestId)) return false;
    const existing = this.#reserved.get(requestId);
    if (existing !== undefined) return existing.origin === origin;
    if (this.free < 1) return false;
    const timer = setTimeout(() => {
      this.#reserved.delete(requestId);
      this.#wakeOne();
    }, this.#reservationMs);
    this.#reserved.set(requestId, { origin, timer });
    return true;
  }

  /** Drops the reservation of `requestId`, e.g. when the roll-call response could not be sent. */
  cancel(requestId: string): void {
    const reservation = this.#reserved.get(requestId);
    if (reservation === undefined) return;
    clearTimeout(reservation.timer);
    this.#reserved.delete(requestId);
    this.#wakeOne();
  }

  /**
   * Drops the reservation of `requestId` when `origin` made it, so only the head that reserved
   * a slot can free it. Returns whether a reservation was dropped.
   */
  releaseReservation(requestId: string, origin: string): boolean {
    if (this.#reserved.get(requestId)?.origin !== origin) return false;
    this.cancel(requestId);
    return true;
  }

  /**
   * Takes the slot reserved for `requestId` when `peer` reserved it, or else a free slot,
   * waiting up to `waitMs` for one.
   */
  async claim(
    requestId: string,
    peer: string,
    { waitMs, signal }: { waitMs: number; signal?: AbortSignal },
  ): Promise<ClaimResult> {
    if (this.#closed) return { rejected: "closed" };
    if (this.#running.has(requestId)) return { rejected: "duplicate" };
    const reservation = this.#reserved.get(requestId);
    if (reservation !== undefined) {
      if (reservation.origin !== peer) return { rejected: "conflict" };
      clearTimeout(reservation.timer);
      this.#reserved.delete(requestId);
      return { lease: this.#start(requestId) };
    }

    const deadline = Date.now() + waitMs;
    while (this.free < 1) {
      const remaining = deadline - Date.now();
      if (this.#closed) return { rejected: "closed" };
      if (remaining <= 0 || signal?.aborted) {
        // This waiter may have been woken for a slot it now gives up; pass the wake-up on.
        if (this.free > 0) this.#wakeOne();
        return { rejected: "busy" };
      }
      await this.#waitForChange(remaining, signal);
    }
    if (this.#closed) return { rejected: "closed" };
    // Another execute with the same id may have started while this one waited.
    if (this.#running.has(requestId)) return { rejected: "duplicate" };
    return { lease: this.#start(requestId) };
  }

  /** Drops every reservation and wakes waiters; running leases stay valid until released. */
  close(): void {
    this.#closed = true;
    for (const reservation of this.#reserved.values()) clearTimeout(reservation.timer);
    this.#reserved.clear();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Closes the slots, so `using` scopes release their timers. */
  [Symbol.dispose](): void {
    this.close();
  }

  #start(requestId: string): Lease {
    this.#running.add(requestId);
    let released = false;
    return {
      requestId,
      release: () => {
        if (released) return;
        released = true;
        this.#running.delete(requestId);
        this.#wakeOne();
      },
    };
  }

  #wakeOne(): void {
    this.#waiters.shift()?.();
  }

  #waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener("abort", done, { once: true });
      this.#waiters.push(done);
    });
  }
}
