/**
 * Assertions that `node:assert/strict` lacks: catching an error of a given class and returning
 * it, so a test can check its fields. Everything else comes from `node:assert/strict`.
 *
 * @module
 */
import assert from "node:assert/strict";

// deno-lint-ignore no-explicit-any
type ErrorClass<T> = new (...args: any[]) => T;

/** Calls `fn`, asserts it throws an instance of `errorClass`, and returns the error. */
export function assertThrows<T>(fn: () => unknown, errorClass: ErrorClass<T>): T {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${errorClass.name} to be thrown`);
}

/** Awaits `fn`, asserts it rejects with an instance of `errorClass`, and returns the error. */
export async function assertRejects<T>(
  fn: () => Promise<unknown>,
  errorClass: ErrorClass<T>,
): Promise<T> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${errorClass.name} to be rejected`);
}
