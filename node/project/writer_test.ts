import assert from "node:assert/strict";
import { join } from "node:path";
import { assertRejects } from "../../testing/assert.ts";
import { tempDir } from "../../testing/temp_dir.ts";
import { type ProjectFile, ProjectWriteError, writeProject } from "./writer.ts";

const FILES: ProjectFile[] = [
  { path: "config.yaml", data: "name: demo\n" },
  { path: "keys/head/priv.bin", data: new Uint8Array([1, 2, 3]), mode: 0o600 },
  { path: "keys/head/identity", data: "12D3KooW\n" },
  { path: "data/prices.csv", data: "date,token,close\n" },
];

async function listTree(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, prefix: string) => {
    for await (const entry of Deno.readDir(folder)) {
      found.push(prefix + entry.name);
      if (entry.isDirectory) await walk(join(folder, entry.name), `${prefix}${entry.name}/`);
    }
  };
  await walk(root, "");
  return found.sort();
}

Deno.test("writeProject() creates a new project with private key modes", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  const results = await writeProject(dir, FILES);
  assert.deepEqual(results.map((result) => result.action), [
    "create",
    "create",
    "create",
    "create",
  ]);
  assert.equal(await Deno.readTextFile(join(dir, "config.yaml")), "name: demo\n");
  assert.equal((await Deno.stat(join(dir, "keys/head/priv.bin"))).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(join(dir, "keys"))).mode! & 0o777, 0o700);
  assert.equal((await Deno.stat(join(dir, "keys/head"))).mode! & 0o777, 0o700);
  // The staging folder was renamed, not left beside the project.
  const siblings = (await listTree(tmp.path)).filter((path) => !path.startsWith("demo/"));
  assert.deepEqual(siblings, ["demo"]);
});

Deno.test("writeProject() leaves no folder when a new project fails halfway", async () => {
  await using tmp = await tempDir();
  const dir = join(tmp.path, "demo");
  let written = 0;
  const error = await assertRejects(
    () =>
      writeProject(dir, FILES, {
        beforeWrite: () => {
          if (++written === 3) throw new Error("disk full");
        },
      }),
    ProjectWriteError,
  );
  assert.match(error.message, /disk full/);
  assert.deepEqual(await listTree(tmp.path), []);
});

Deno.test("writeProject() keeps changed files and skips identical ones", async () => {
  await using tmp = await tempDir();
  await writeProject(tmp.path, FILES.slice(0, 1));
  await Deno.writeTextFile(join(tmp.path, "config.yaml"), "name: edited\n");
  const results = await writeProject(tmp.path, FILES);
  assert.deepEqual(results.map((result) => result.action), ["keep", "create", "create", "create"]);
  assert.equal(await Deno.readTextFile(join(tmp.path, "config.yaml")), "name: edited\n");

  const again = await writeProject(tmp.path, FILES);
  assert.deepEqual(again.map((result) => result.action), [
    "keep",
    "unchanged",
    "unchanged",
    "unchanged",
  ]);
});

Deno.test("writeProject() overwrites changed files with force", async () => {
  await using tmp = await tempDir();
  await Deno.writeTextFile(join(tmp.path, "config.yaml"), "name: edited\n");
  const results = await writeProject(tmp.path, FILES.slice(0, 1), { force: true });
  assert.equal(results[0].action, "overwrite");
  assert.equal(await Deno.readTextFile(join(tmp.path, "config.yaml")), "name: demo\n");
});

Deno.test("writeProject() adds nothing when an existing folder fails halfway", async () => {
  await using tmp = await tempDir();
  await Deno.writeTextFile(join(tmp.path, "config.yaml"), "name: edited\n");
  let written = 0;
  await assertRejects(
    () =>
      writeProject(tmp.path, FILES, {
        force: true,
        beforeWrite: () => {
          if (++written === 3) throw new Error("disk full");
        },
      }),
    ProjectWriteError,
  );
  assert.deepEqual(await listTree(tmp.path), ["config.yaml"]);
  assert.equal(await Deno.readTextFile(join(tmp.path, "config.yaml")), "name: edited\n");
});

Deno.test("writeProject() writes nothing in a dry run", async () => {
  await using tmp = await tempDir();
  const fresh = await writeProject(join(tmp.path, "demo"), FILES, { dryRun: true });
  assert.equal(fresh[0].action, "create");
  await Deno.writeTextFile(join(tmp.path, "config.yaml"), "name: edited\n");
  const existing = await writeProject(tmp.path, FILES, { dryRun: true, force: true });
  assert.deepEqual(existing.map((result) => result.action), [
    "overwrite",
    "create",
    "create",
    "create",
  ]);
  assert.deepEqual(await listTree(tmp.path), ["config.yaml"]);
});

Deno.test("writeProject() rejects a target that is a file", async () => {
  await using tmp = await tempDir();
  const file = join(tmp.path, "demo");
  await Deno.writeTextFile(file, "");
  const error = await assertRejects(() => writeProject(file, FILES), ProjectWriteError);
  assert.match(error.message, /is a file/);
});
