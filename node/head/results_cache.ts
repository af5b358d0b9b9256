/**
 * Final execute responses kept for the result endpoint, each for a fixed time, with a bound on
 * how many are kept.
 *
 * @module
 */
import type { ExecuteResponseBody } from "./types.ts";

/** Options of {@link ResultsCache}. */
export interface ResultsCacheOptions {
  /** How long an entry stays readable. */
  ttlMs: number;
  /** Most entries kept; adding one more drops the oldest. */
  maxEntries: number;
  /** Clock, injectable for tests. @default Date.now */
  now?: () => number;
}

/** A time-limited, size-bounded map from request id to its final response. */
export class ResultsCache {
  readonly #entries = new Map<string, { body: ExecuteResponseBody; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor({ ttlMs, maxEntries, now = Date.now }: ResultsCacheOptions) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** Number of entries held, expired ones included until the next write. */
  get size(): number {
    return this.#entries.size;
  }

  /** Stores the response of `requestId`. */
  set(requestId: string, body: ExecuteResponseBody): void {
    if (this.#ttlMs <= 0 || this.#maxEntries <= 0) return;
    this.#evictExpired();
    this.#entries.delete(requestId);
    // Map iteration follows insertion order, so the first key is the oldest entry.
    while (this.#entries.size >= this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(requestId, { body, expiresAt: this.#now() + this.#ttlMs });
  }

  /** Returns the response of `requestId`, or undefined when it is unknown or expired. */
  get(requestId: string): ExecuteResponseBody | undefined {
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(requestId);
      return undefined;
    }
    return entry.body;
  }

  #evictExpired(): void {
    const now = this.#now();
    // Entries share one TTL, so expiry follows insertion order and the scan stops early.
    for (const [requestId, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(requestId);
    }
  }
}
