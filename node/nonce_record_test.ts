import assert from "node:assert/strict";
import { join } from "node:path";
import { createLogger } from "./log.ts";
import { NonceRecord } from "./nonce_record.ts";
import { tempDir } from "../testing/temp_dir.ts";

Deno.test("NonceRecord survives a reopen", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "state", "submissions.json");
  const record = await NonceRecord.open(path);
  await record.add({ topicId: 1n, nonce: 120n, outcome: "landed", txHash: "AB12" });
  await record.add({ topicId: 2n, nonce: 130n, outcome: "window-closed" });

  const reopened = await NonceRecord.open(path);
  assert.equal(reopened.size, 2);
  assert.ok(reopened.has(1n, 120n));
  assert.ok(!reopened.has(1n, 130n));
  assert.equal(reopened.get(1n, 120n)?.txHash, "AB12");
  assert.equal(reopened.get(2n, 130n)?.outcome, "window-closed");
});

Deno.test("NonceRecord drops the oldest entries beyond its limit", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "record.json");
  const record = await NonceRecord.open(path, { maxEntries: 3 });
  for (const nonce of [10n, 20n, 30n, 40n]) {
    await record.add({ topicId: 1n, nonce, outcome: "landed" });
  }
  assert.equal(record.size, 3);
  assert.ok(!record.has(1n, 10n));
  assert.ok(record.has(1n, 40n));

  const reopened = await NonceRecord.open(path, { maxEntries: 2 });
  assert.deepEqual([reopened.has(1n, 20n), reopened.has(1n, 30n), reopened.has(1n, 40n)], [
    false,
    true,
    true,
  ]);
});

Deno.test("NonceRecord.latest() returns the highest nonce per topic", async () => {
  const record = await NonceRecord.open(undefined);
  assert.equal(record.latest(1n), undefined);
  await record.add({ topicId: 1n, nonce: 30n, outcome: "scheduled" });
  await record.add({ topicId: 1n, nonce: 20n, outcome: "scheduled" });
  await record.add({ topicId: 2n, nonce: 99n, outcome: "scheduled" });
  assert.equal(record.latest(1n), 30n);
  assert.equal(record.latest(2n), 99n);
});

Deno.test("NonceRecord starts empty from an invalid file and warns", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "record.json");
  await Deno.writeTextFile(path, "{not json");
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line) });

  const record = await NonceRecord.open(path, { logger });
  assert.equal(record.size, 0);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /ignoring an invalid nonce record/);

  await record.add({ topicId: 1n, nonce: 5n, outcome: "landed" });
  assert.ok((await NonceRecord.open(path)).has(1n, 5n));
});

Deno.test("NonceRecord keeps entries in memory when the file cannot be written", async () => {
  await using dir = await tempDir();
  // A folder where the file should be makes the rename fail.
  const path = join(dir.path, "record.json");
  await Deno.mkdir(join(path, "blocker"), { recursive: true });
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line) });

  const record = await NonceRecord.open(path, { logger });
  await record.add({ topicId: 1n, nonce: 5n, outcome: "landed" });
  assert.ok(record.has(1n, 5n));
  assert.equal(lines.filter((line) => /cannot write the nonce record/.test(line)).length, 1);
});

Deno.test("NonceRecord.dropAbove() forgets nonces of a reset chain", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "record.json");
  const record = await NonceRecord.open(path);
  for (const nonce of [10n, 20n, 30n]) await record.add({ topicId: 1n, nonce, outcome: "landed" });

  assert.equal(await record.dropAbove(30n), 0);
  assert.equal(await record.dropAbove(15n), 2);
  assert.equal(record.latest(1n), 10n);
  const reopened = await NonceRecord.open(path);
  assert.deepEqual([reopened.has(1n, 10n), reopened.has(1n, 20n)], [true, false]);
});
