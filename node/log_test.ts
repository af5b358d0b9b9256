import assert from "node:assert/strict";
import { createLogger } from "./log.ts";

Deno.test("createLogger() writes JSON lines with bound fields", () => {
  const lines: string[] = [];
  const logger = createLogger({ format: "json", write: (line) => lines.push(line), now: () => 0 });
  logger.child({ request_id: "r1" }).info("request done", { peer: "12D3KooWX" });
  assert.deepEqual(JSON.parse(lines[0]), {
    time: "1970-01-01T00:00:00.000Z",
    level: "info",
    msg: "request done",
    request_id: "r1",
    peer: "12D3KooWX",
  });
});

Deno.test("createLogger() drops lines below the level", () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", write: (line) => lines.push(line) });
  logger.info("hidden");
  logger.warn("shown");
  assert.equal(lines.length, 1);
  assert(lines[0].includes("WARN  shown"));
});

Deno.test("createLogger() redacts secret fields", () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line) });
  logger.info("wallet loaded", { mnemonic: "abandon abandon", password: "pw" });
  assert(!lines[0].includes("abandon"));
  assert(!lines[0].includes("pw "));
  assert(lines[0].includes("mnemonic=[redacted]"));
});

Deno.test("createLogger() writes an error with its cause", () => {
  const lines: string[] = [];
  const logger = createLogger({ format: "json", write: (line) => lines.push(line) });
  logger.error("dial failed", { error: new Error("timed out", { cause: new Error("no route") }) });
  assert.equal(JSON.parse(lines[0]).error, "timed out: no route");
});
