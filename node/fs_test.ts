import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../testing/temp_dir.ts";
import { pathExists } from "./fs.ts";

Deno.test("pathExists() tells files from missing paths", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "file");
    await Deno.writeTextFile(file, "x");
    assert.equal(await pathExists(file), true);
    assert.equal(await pathExists(dir), true);
    assert.equal(await pathExists(join(dir, "missing")), false);
  });
});

Deno.test("pathExists() counts a dangling symbolic link", async () => {
  await withTempDir(async (dir) => {
    const link = join(dir, "link");
    await Deno.symlink(join(dir, "missing"), link);
    assert.equal(await pathExists(link), true);
  });
});
