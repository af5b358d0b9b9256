import assert from "node:assert/strict";
import { assertRejects, assertThrows } from "../../testing/assert.ts";
import { computeDirectoryCid } from "./cid.ts";
import { InstallError, MethodError } from "./errors.ts";
import { packFunction } from "./package.ts";
import { createFunctionStore } from "./store.ts";
import { file, targz } from "./testdata/archives.ts";
import { demoPackage, listDir, tempDir, writePackage } from "./testdata/fixtures.ts";
import { EMPTY_MODULE } from "./testdata/modules.ts";

// Every store here has the gateway turned off, so a test passes only without network.
const offlineStore = (workspace: string, options = {}) =>
  createFunctionStore({ workspace, gateway: "", ...options });

/** Installs the demo package into `workspace` from an in-memory source. */
async function installedDemo(workspace: string) {
  const pkg = await demoPackage();
  const store = offlineStore(workspace, {
    sources: [{ kind: "package", cid: pkg.cid, files: pkg.files }],
  });
  return { pkg, store, fn: await store.ensure(pkg.cid) };
}

Deno.test("install() installs a local package folder under its CID", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  const pkg = await demoPackage();
  await writePackage(`${packages.path}/demo`, pkg);

  const fn = await offlineStore(workspace.path).install({ path: `${packages.path}/demo` });
  assert.equal(fn.cid, pkg.cid);
  assert.deepEqual(fn.files, ["demo.wasm"]);
});

Deno.test("install() checks a local folder against a given CID", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  const pkg = await demoPackage();
  const other = await demoPackage("other");
  await writePackage(`${packages.path}/demo`, pkg);
  const store = offlineStore(workspace.path);

  const error = await assertRejects(
    () => store.install({ path: `${packages.path}/demo`, cid: other.cid }),
    InstallError,
  );
  assert.equal(error.code, "cid-mismatch");

  // A dev name is not a CID, so it is taken as given.
  const named = await store.install({ path: `${packages.path}/demo`, cid: "my-function" });
  assert.equal(named.cid, "my-function");
});

Deno.test("install() packs a bare .wasm file", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  await Deno.writeFile(`${packages.path}/model-fn.wasm`, EMPTY_MODULE);

  const fn = await offlineStore(workspace.path).install({ path: `${packages.path}/model-fn.wasm` });
  const expected = await packFunction({
    name: "model-fn",
    version: "0.0.0",
    wasm: new Map([["model-fn.wasm", EMPTY_MODULE]]),
  });
  assert.equal(fn.cid, expected.cid);
  assert.deepEqual(fn.files, ["model-fn.wasm"]);
  assert.deepEqual(fn.manifest, expected.manifest);
});

Deno.test("install() packs a bare archive", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  const archive = await targz([file("./a.wasm", EMPTY_MODULE), file("lib/b.wasm", EMPTY_MODULE)]);
  await Deno.writeFile(`${packages.path}/bundle.tar.gz`, archive);

  const fn = await offlineStore(workspace.path).install({ path: `${packages.path}/bundle.tar.gz` });
  assert.deepEqual(fn.files, ["a.wasm", "lib/b.wasm"]);
  assert.deepEqual(fn.manifest.runtime?.url, "bundle.tar.gz");
  // Only modules at the archive root can be called, so only they become methods.
  assert.deepEqual(fn.manifest.methods?.map((method) => method.entry), ["a.wasm"]);
  const manifestBytes = await Deno.readFile(`${workspace.path}/functions/${fn.cid}/manifest.json`);
  assert.equal(
    fn.cid,
    await computeDirectoryCid(
      new Map([["manifest.json", manifestBytes], ["bundle.tar.gz", archive]]),
    ),
  );
});

Deno.test("install() reports a missing local path", async () => {
  await using workspace = await tempDir();
  const error = await assertRejects(
    () => offlineStore(workspace.path).install({ path: `${workspace.path}/nope.wasm` }),
    InstallError,
  );
  assert.equal(error.code, "not-found");
});

Deno.test("ensure() installs from a directory source", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  const pkg = await demoPackage();
  await writePackage(`${packages.path}/${pkg.cid}`, pkg);

  const store = offlineStore(workspace.path, {
    sources: [{ kind: "directory", path: packages.path }],
  });
  const fn = await store.ensure(pkg.cid);
  assert.equal(fn.cid, pkg.cid);
  const record = JSON.parse(
    await Deno.readTextFile(`${workspace.path}/functions/${pkg.cid}/record.json`),
  );
  assert.equal(record.origin, `${packages.path}/${pkg.cid}`);
});

Deno.test("ensure() installs from an in-memory package source", async () => {
  await using workspace = await tempDir();
  const pkg = await demoPackage();
  const other = await demoPackage("other");
  const store = offlineStore(workspace.path, {
    sources: [
      { kind: "package", cid: other.cid, files: other.files },
      { kind: "package", cid: pkg.cid, files: pkg.files },
    ],
  });

  const fn = await store.ensure(pkg.cid);
  assert.equal(fn.cid, pkg.cid);
  assert.deepEqual(await listDir(`${workspace.path}/functions`), [pkg.cid]);
});

Deno.test("ensure() rejects a source package under the wrong CID", async () => {
  await using workspace = await tempDir();
  const pkg = await demoPackage();
  const other = await demoPackage("other");
  const store = offlineStore(workspace.path, {
    sources: [{ kind: "package", cid: other.cid, files: pkg.files }],
  });
  const error = await assertRejects(() => store.ensure(other.cid), InstallError);
  assert.equal(error.code, "cid-mismatch");
});

Deno.test("ensure() reports not-found without sources or gateway", async () => {
  await using workspace = await tempDir();
  const pkg = await demoPackage();
  const error = await assertRejects(
    () => offlineStore(workspace.path).ensure(pkg.cid),
    InstallError,
  );
  assert.equal(error.code, "not-found");
  assert.equal(error.cid, pkg.cid);
});

Deno.test("modulePath() returns the path of a module", async () => {
  await using workspace = await tempDir();
  const { store, fn } = await installedDemo(workspace.path);
  assert.equal(store.modulePath(fn, "demo.wasm"), `${fn.dir}/demo.wasm`);
});

Deno.test("modulePath() rejects traversal and missing files", async () => {
  await using workspace = await tempDir();
  const { store, fn, pkg } = await installedDemo(workspace.path);

  for (
    const method of ["../x", "..", ".", "", "a/b.wasm", "a\\b.wasm", "x\0.wasm", "x".repeat(256)]
  ) {
    const error = assertThrows(() => store.modulePath(fn, method), MethodError);
    assert.equal(error.reason, "invalid", JSON.stringify(method));
  }
  const missing = assertThrows(() => store.modulePath(fn, "other.wasm"), MethodError);
  assert.equal(missing.reason, "missing");
  assert.equal(missing.cid, pkg.cid);
  assert.match(missing.message, /demo\.wasm/);
});

Deno.test("modulePath() rejects nested files", async () => {
  await using workspace = await tempDir();
  await using packages = await tempDir();
  await Deno.writeFile(
    `${packages.path}/nested.tar.gz`,
    await targz([file("lib/inner.wasm", EMPTY_MODULE)]),
  );
  const store = offlineStore(workspace.path);
  const fn = await store.install({ path: `${packages.path}/nested.tar.gz` });
  assert.deepEqual(fn.files, ["lib/inner.wasm"]);
  assert.equal(
    assertThrows(() => store.modulePath(fn, "lib/inner.wasm"), MethodError).reason,
    "invalid",
  );
});
