/**
 * Bounded, abortable waits. Timers are always cleared, because in Deno a pending timer or
 * `AbortSignal.timeout()` keeps the process alive.
 *
 * @module
 */

/** The value {@link withDeadline} resolves to when time runs out first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Waits for `promise`, at most `timeoutMs`. Resolves to its value, or to {@link TIMED_OUT}.
 *
 * @throws the rejection of `promise`, or the abort reason of `signal` when it fires first
 */
export function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T | typeof TIMED_OUT> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    const timer = setTimeout(() => finish(() => resolve(TIMED_OUT)), Math.max(0, timeoutMs));
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
  });
}

/**
 * Sleeps `ms` milliseconds.
 *
 * @throws the abort reason of `signal` when it fires first
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await withDeadline(new Promise(() => {}), ms, signal);
}

/** Formats a time like Go's RFC 3339 encoder: UTC, fraction without trailing zeros. */
export function goTimestamp(date: Date): string {
  return date.toISOString().replace(/\.?0+Z$/, "Z");
}
