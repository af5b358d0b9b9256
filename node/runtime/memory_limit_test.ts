import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { capMemory, encodeLeb, MalformedModuleError, MemoryLimitError } from "./memory_limit.ts";

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Builds a module with one memory of the given limits, exported as "memory". */
function moduleWithMemory(min: number, max?: number): Uint8Array {
  const limits = max === undefined
    ? [0x00, ...encodeLeb(min)]
    : [0x01, ...encodeLeb(min), ...encodeLeb(max)];
  const memory = [0x01, ...limits];
  const exports = [0x01, 0x06, ...new TextEncoder().encode("memory"), 0x02, 0x00];
  return Uint8Array.from([
    ...HEADER,
    0x05,
    ...encodeLeb(memory.length),
    ...memory,
    0x07,
    ...encodeLeb(exports.length),
    ...exports,
  ]);
}

function instantiate(bytes: Uint8Array): WebAssembly.Memory {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(module).exports.memory as WebAssembly.Memory;
}

Deno.test("encodeLeb() writes unsigned LEB128", () => {
  assert.deepEqual([...encodeLeb(0)], [0x00]);
  assert.deepEqual([...encodeLeb(127)], [0x7f]);
  assert.deepEqual([...encodeLeb(128)], [0x80, 0x01]);
  assert.deepEqual([...encodeLeb(4096)], [0x80, 0x20]);
  assert.deepEqual([...encodeLeb(65_536)], [0x80, 0x80, 0x04]);
});

Deno.test("capMemory() sets a maximum on an unbounded memory", () => {
  const capped = capMemory(moduleWithMemory(1), 4);
  const memory = instantiate(capped);
  memory.grow(3);
  assert.equal(memory.buffer.byteLength, 4 * 65_536);
  assert.throws(() => memory.grow(1), RangeError);
});

Deno.test("capMemory() lowers a larger maximum", () => {
  const capped = capMemory(moduleWithMemory(2, 65_536), 300);
  const memory = instantiate(capped);
  memory.grow(298);
  assert.throws(() => memory.grow(1), RangeError);
});

Deno.test("capMemory() keeps a module that already fits", () => {
  const bytes = moduleWithMemory(1, 2);
  assert.equal(capMemory(bytes, 4096), bytes);
});

Deno.test("capMemory() keeps a module without memory", () => {
  const bytes = Uint8Array.from(HEADER);
  assert.equal(capMemory(bytes, 16), bytes);
});

Deno.test("capMemory() rejects an initial size above the cap", () => {
  const error = assertThrows(() => capMemory(moduleWithMemory(5000), 4096), MemoryLimitError);
  assert.equal(error.minPages, 5000);
  assert.equal(error.capPages, 4096);
});

Deno.test("capMemory() rejects bytes that are not WebAssembly", () => {
  assertThrows(
    () => capMemory(new TextEncoder().encode("not wasm at all"), 16),
    MalformedModuleError,
  );
  assertThrows(() => capMemory(new Uint8Array(3), 16), MalformedModuleError);
});

Deno.test("capMemory() rejects a section running past the end", () => {
  const truncated = moduleWithMemory(1).subarray(0, 11);
  assertThrows(() => capMemory(truncated, 16), MalformedModuleError);
});
