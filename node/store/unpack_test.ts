import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { assertRejects } from "../../testing/assert.ts";
import { InstallError } from "./errors.ts";
import { file, targz } from "./testdata/archives.ts";
import { unpackArchive } from "./unpack.ts";

const LIMITS = { maxUnpackedBytes: 1024 * 1024, maxEntries: 50 };

async function withDirs(test: (dest: string, outside: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "allora-unpack-" });
  const dest = `${root}/a/b/dest`;
  await Deno.mkdir(dest, { recursive: true });
  try {
    await test(dest, root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = prefix + entry.name;
    names.push(name);
    if (entry.isDirectory) names.push(...await listTree(`${dir}/${entry.name}`, `${name}/`));
  }
  return names.sort();
}

async function rejectsWith(archive: Uint8Array, code: string, message?: RegExp) {
  await withDirs(async (dest, root) => {
    const error = await assertRejects(
      () => unpackArchive(archive, dest, LIMITS, "c1"),
      InstallError,
    );
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    assert.equal(error.cid, "c1");
    // Nothing may appear outside the destination, whatever was written inside it.
    assert.deepEqual(await listTree(root), [
      "a",
      "a/b",
      "a/b/dest",
      ...prefixed(await listTree(dest)),
    ]);
  });
}

function prefixed(names: string[]): string[] {
  return names.map((name) => `a/b/dest/${name}`);
}

Deno.test("unpackArchive() writes files and folders", async () => {
  const archive = await targz([
    { header: { name: "./", type: "directory" } },
    file("./main.wasm", "wasm"),
    { header: { name: "lib/", type: "directory" } },
    file("lib/data.bin", new Uint8Array([1, 2, 3])),
    file("deep/er/x.txt", "x"),
  ]);
  await withDirs(async (dest) => {
    const files = await unpackArchive(archive, dest, LIMITS, "c1");
    assert.deepEqual(files, ["deep/er/x.txt", "lib/data.bin", "main.wasm"]);
    assert.equal(await Deno.readTextFile(`${dest}/main.wasm`), "wasm");
    assert.deepEqual(await Deno.readFile(`${dest}/lib/data.bin`), new Uint8Array([1, 2, 3]));
  });
});

Deno.test("unpackArchive() rejects a path-traversal archive", async () => {
  await rejectsWith(await targz([file("ok.txt"), file("../x")]), "archive");
  await rejectsWith(await targz([file("lib/../../x")]), "archive");
  await rejectsWith(await targz([file("../../../../../../tmp/allora-escape")]), "archive");
});

Deno.test("unpackArchive() rejects absolute paths", async () => {
  await rejectsWith(await targz([file("/tmp/allora-absolute")]), "archive");
  await rejectsWith(await targz([file("C:/x")]), "archive");
  await rejectsWith(await targz([file("a\\..\\x")]), "archive");
});

Deno.test("unpackArchive() rejects symlinks", async () => {
  const archive = await targz([
    { header: { name: "link", type: "symlink", linkname: "/etc" } },
    file("link/passwd", "written through the link"),
  ]);
  await rejectsWith(archive, "archive", /"link" is a symlink/);
});

Deno.test("unpackArchive() rejects hard links", async () => {
  const archive = await targz([
    file("a.txt"),
    { header: { name: "b.txt", type: "link", linkname: "a.txt" } },
  ]);
  await rejectsWith(archive, "archive", /"b.txt" is a link/);
});

Deno.test("unpackArchive() rejects devices and FIFOs", async () => {
  for (const type of ["character-device", "block-device", "fifo"] as const) {
    await rejectsWith(await targz([{ header: { name: "dev", type } }]), "archive", /is a/);
  }
});

Deno.test("unpackArchive() rejects a repeated name", async () => {
  await rejectsWith(
    await targz([file("a.txt", "one"), file("./a.txt", "two")]),
    "archive",
    /appears twice/,
  );
});

Deno.test("unpackArchive() rejects too many entries", async () => {
  const entries = Array.from({ length: 51 }, (_, i) => file(`f${i}.txt`));
  await rejectsWith(await targz(entries), "limit");
  await withDirs(async (dest) => {
    const files = await unpackArchive(await targz(entries.slice(0, 50)), dest, LIMITS, "c1");
    assert.equal(files.length, 50);
  });
});

Deno.test("unpackArchive() rejects files over the size limit", async () => {
  const big = new Uint8Array(600 * 1024);
  await rejectsWith(await targz([file("a.bin", big), file("b.bin", big)]), "limit");
});

Deno.test("unpackArchive() stops a gzip bomb", async () => {
  // 64 MiB of zeros: a valid end-of-archive marker followed by endless zero blocks.
  const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  assert.ok(bomb.byteLength < 200 * 1024);
  await rejectsWith(bomb, "limit");
});

Deno.test("unpackArchive() rejects corrupt input", async () => {
  await rejectsWith(new TextEncoder().encode("not gzip at all"), "archive");
  const archive = await targz([file("a.txt", "x".repeat(5000))]);
  await rejectsWith(archive.subarray(0, archive.byteLength - 40), "archive");
  // gzip of bytes that are not a tar stream
  await rejectsWith(gzipSync(new TextEncoder().encode("x".repeat(2048))), "archive");
});
