import assert from "node:assert/strict";
import { gunzipSync } from "fflate";
import { unpackTar } from "modern-tar";
import { assertRejects } from "../../testing/assert.ts";
import { computeDirectoryCid, computeFileCid } from "./cid.ts";
import { packFunction, sha256Hex } from "./package.ts";
import { EMPTY_MODULE } from "./testdata/modules.ts";

const spec = () => ({
  name: "demo-function",
  version: "1.2.3",
  wasm: new Map([["demo-function.wasm", EMPTY_MODULE], ["extra.wasm", EMPTY_MODULE]]),
});

Deno.test("packFunction() gives the same CID for the same input", async () => {
  const first = await packFunction(spec());
  const second = await packFunction(spec());
  assert.equal(first.cid, second.cid);
  assert.deepEqual(first.archive, second.archive);
  assert.deepEqual(first.manifestBytes, second.manifestBytes);
});

Deno.test("packFunction() changes the CID when a module changes", async () => {
  const first = await packFunction(spec());
  const changed = spec();
  changed.wasm.set("extra.wasm", new Uint8Array([...EMPTY_MODULE, 0x00, 0x01, 0x00]));
  assert.notEqual((await packFunction(changed)).cid, first.cid);
});

Deno.test("packFunction() writes the manifest b7s reads", async () => {
  const pkg = await packFunction(spec());
  const manifest = JSON.parse(new TextDecoder().decode(pkg.manifestBytes));
  assert.deepEqual(manifest, pkg.manifest);
  assert.equal(pkg.archiveName, "demo-function.tar.gz");
  assert.deepEqual(manifest.function, {
    id: await computeFileCid(pkg.archive),
    name: "demo-function",
    version: "1.2.3",
    runtime: "wasi",
  });
  assert.deepEqual(manifest.runtime, {
    url: "demo-function.tar.gz",
    checksum: await sha256Hex(pkg.archive),
  });
  assert.deepEqual(manifest.methods?.map((method) => method.entry), [
    "demo-function.wasm",
    "extra.wasm",
  ]);
});

Deno.test("packFunction() CID is the folder's CID", async () => {
  const pkg = await packFunction(spec());
  assert.deepEqual([...pkg.files.keys()], ["manifest.json", "demo-function.tar.gz"]);
  assert.equal(pkg.cid, await computeDirectoryCid(pkg.files));
  assert.match(pkg.cid, /^bafybei/);
});

Deno.test("packFunction() archive is reproducible tar.gz", async () => {
  const pkg = await packFunction(spec());
  // gzip header: magic, deflate, no flags, mtime 0.
  assert.deepEqual([...pkg.archive.subarray(0, 8)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);

  const entries = await unpackTar(gunzipSync(pkg.archive));
  assert.deepEqual(entries.map((entry) => entry.header.name), [
    "demo-function.wasm",
    "extra.wasm",
  ]);
  for (const entry of entries) {
    assert.equal(entry.header.type, "file");
    assert.equal(entry.header.mtime?.getTime(), 0);
    assert.equal(entry.header.uid, 0);
    assert.equal(entry.header.gid, 0);
    assert.equal(entry.header.mode, 0o644);
    assert.deepEqual(entry.data, EMPTY_MODULE);
  }
});

Deno.test("packFunction() rejects bad names and empty input", async () => {
  const cases = [
    { ...spec(), name: "../up" },
    { ...spec(), name: "" },
    { ...spec(), version: " " },
    { ...spec(), wasm: new Map() },
    { ...spec(), wasm: new Map([["sub/x.wasm", EMPTY_MODULE]]) },
    { ...spec(), wasm: new Map([["x.txt", EMPTY_MODULE]]) },
  ];
  for (const input of cases) await assertRejects(() => packFunction(input), RangeError);
});

// Pinned so that an upgrade of modern-tar or fflate that changes the bytes, and with them
// every published function_id, fails here first.
Deno.test("packFunction() output is pinned", async () => {
  const pkg = await packFunction({
    name: "pinned",
    version: "1.0.0",
    wasm: new Map([["pinned.wasm", EMPTY_MODULE]]),
  });
  assert.equal(pkg.cid, "bafybeic4h3hrxqthhuzann3kk3wa6mmgnxczvpb3jbn4ewzgoi7knptgl4");
});
