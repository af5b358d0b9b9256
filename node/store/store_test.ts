import assert from "node:assert/strict";
import { assertRejects } from "../../testing/assert.ts";
import { startGateway } from "../../testing/gateway.ts";
import { InstallError } from "./errors.ts";
import { assemblePackage, buildManifest, sha256Hex } from "./package.ts";
import { createFunctionStore, type StoreOptions } from "./store.ts";
import { file, targz } from "./testdata/archives.ts";
import { demoPackage, listDir, servePackage, tempDir } from "./testdata/fixtures.ts";
import { BAD_VERSION_MODULE, EMPTY_MODULE, IMPORTING_MODULE } from "./testdata/modules.ts";

const storeFor = (workspace: string, gateway: string, options: Partial<StoreOptions> = {}) =>
  createFunctionStore({ workspace, gateway, ...options });

/** Creates a temporary workspace, a gateway serving the demo package, and a store using both. */
async function servedDemo(options: Partial<StoreOptions> = {}) {
  const workspace = await tempDir();
  const gateway = await startGateway();
  const pkg = await demoPackage();
  servePackage(gateway, pkg);
  return {
    workspace: workspace.path,
    gateway,
    pkg,
    store: storeFor(workspace.path, gateway.template, options),
    async [Symbol.asyncDispose]() {
      await gateway.close();
      await workspace[Symbol.asyncDispose]();
    },
  };
}

Deno.test("install() installs a function by CID from the gateway", async () => {
  await using demo = await servedDemo();
  const { workspace, gateway, pkg, store } = demo;

  const fn = await store.install({ cid: pkg.cid });

  assert.equal(fn.cid, pkg.cid);
  assert.deepEqual(fn.files, ["demo.wasm"]);
  assert.equal(fn.dir, `${workspace}/functions/${pkg.cid}/files`);
  assert.deepEqual(fn.manifest, pkg.manifest);
  assert.deepEqual(await Deno.readFile(`${fn.dir}/demo.wasm`), EMPTY_MODULE);
  assert.deepEqual(await listDir(`${workspace}/functions/${pkg.cid}`), [
    "archive",
    "files",
    "manifest.json",
    "record.json",
  ]);
  assert.deepEqual(gateway.requests, [`/${pkg.cid}/manifest.json`, "/demo.tar.gz"]);

  const record = JSON.parse(
    await Deno.readTextFile(`${workspace}/functions/${pkg.cid}/record.json`),
  );
  assert.equal(record.origin, `${gateway.origin}/${pkg.cid}/manifest.json`);
  assert.equal(record.archive_url, `${gateway.origin}/demo.tar.gz`);
  assert.equal(record.checksum, await sha256Hex(pkg.archive));
});

Deno.test("install() returns an installed function without downloading", async () => {
  await using demo = await servedDemo();
  const { gateway, pkg, store } = demo;

  const first = await store.install({ cid: pkg.cid });
  const again = await store.install({ cid: pkg.cid });
  const ensured = await store.ensure(pkg.cid);

  assert.deepEqual(again, first);
  assert.deepEqual(ensured, first);
  assert.equal(gateway.requests.length, 2);
});

Deno.test("install() rejects an archive with the wrong checksum", async () => {
  await using demo = await servedDemo();
  const { workspace, gateway, pkg, store } = demo;
  gateway.routes.set("/demo.tar.gz", await targz([file("demo.wasm", "tampered")]));
  const error = await assertRejects(() => store.install({ cid: pkg.cid }), InstallError);

  assert.equal(error.code, "checksum");
  assert.equal(error.cid, pkg.cid);
  assert.match(error.message, new RegExp(pkg.manifest.runtime!.checksum!));
  assert.equal(await store.get(pkg.cid), undefined);
  assert.deepEqual(await listDir(`${workspace}/functions`), []);
});

Deno.test("install() rejects a package whose CID differs", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const requested = await demoPackage("requested");
  const served = await demoPackage("served");
  // For `requested`, the gateway serves another package that is consistent in itself.
  servePackage(gateway, served, requested.cid);

  const store = storeFor(workspace.path, gateway.template);
  const error = await assertRejects(() => store.install({ cid: requested.cid }), InstallError);

  assert.equal(error.code, "cid-mismatch");
  assert.match(error.message, new RegExp(served.cid));
  assert.deepEqual(await listDir(`${workspace.path}/functions`), []);
});

Deno.test("install() checks CIDv0 ids with the CIDv0 layout", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const pkg = await demoPackage();
  const { computeDirectoryCid } = await import("./cid.ts");
  const v0 = await computeDirectoryCid(pkg.files, { version: 0 });
  assert.match(v0, /^Qm/);
  servePackage(gateway, pkg, v0);

  const fn = await storeFor(workspace.path, gateway.template).install({ cid: v0 });
  assert.equal(fn.cid, v0);
});

Deno.test("install() reports manifest HTTP errors with the status", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway({
    "/broken/manifest.json": () => new Response("boom", { status: 500 }),
  });
  const store = storeFor(workspace.path, gateway.template);

  const missing = await assertRejects(() => store.install({ cid: "missing" }), InstallError);
  assert.equal(missing.code, "manifest");
  assert.equal(missing.status, 404);
  assert.equal(missing.source, `${gateway.origin}/missing/manifest.json`);

  const broken = await assertRejects(() => store.install({ cid: "broken" }), InstallError);
  assert.equal(broken.code, "manifest");
  assert.equal(broken.status, 500);
});

Deno.test("install() reports an archive HTTP error as download", async () => {
  await using demo = await servedDemo();
  const { gateway, pkg, store } = demo;

  gateway.routes.set("/demo.tar.gz", () => new Response("gone", { status: 410 }));

  const error = await assertRejects(() => store.install({ cid: pkg.cid }), InstallError);
  assert.equal(error.code, "download");
  assert.equal(error.status, 410);
});

Deno.test("install() rejects a manifest that is not JSON", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway({
    "/html/manifest.json": new TextEncoder().encode("<html>error page</html>"),
    "/nochecksum/manifest.json": new TextEncoder().encode('{"runtime":{"url":"x.tar.gz"}}'),
  });
  const store = storeFor(workspace.path, gateway.template);

  const html = await assertRejects(() => store.install({ cid: "html" }), InstallError);
  assert.equal(html.code, "manifest");
  const noChecksum = await assertRejects(() => store.install({ cid: "nochecksum" }), InstallError);
  assert.equal(noChecksum.code, "manifest");
  assert.match(noChecksum.message, /checksum/);
});

Deno.test("install() rejects an oversized manifest", async () => {
  await using workspace = await tempDir();
  const big = new TextEncoder().encode(JSON.stringify({ pad: "x".repeat(5000) }));
  await using gateway = await startGateway({
    "/declared/manifest.json": big,
    // A streamed body has no Content-Length, so the size is only known while reading.
    "/streamed/manifest.json": () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 10; i++) controller.enqueue(big.subarray(0, 1000));
            controller.close();
          },
        }),
      ),
  });
  const store = storeFor(workspace.path, gateway.template, { limits: { maxManifestBytes: 4096 } });

  for (const cid of ["declared", "streamed"]) {
    const error = await assertRejects(() => store.install({ cid }), InstallError);
    assert.equal(error.code, "limit", cid);
    assert.match(error.message, /4096-byte limit/);
  }
});

Deno.test("install() rejects an oversized archive", async () => {
  await using demo = await servedDemo({ limits: { maxArchiveBytes: 50 } });
  const { gateway, pkg, store } = demo;

  const error = await assertRejects(() => store.install({ cid: pkg.cid }), InstallError);
  assert.equal(error.code, "limit");
  assert.equal(error.source, `${gateway.origin}/demo.tar.gz`);
});

Deno.test("install() times out a stalled manifest", async () => {
  await using workspace = await tempDir();
  const { promise: release, resolve: releaseManifest } = Promise.withResolvers<void>();
  await using gateway = await startGateway({
    "/stalled/manifest.json": async () => {
      await release;
      return new Response("late");
    },
  });
  const store = storeFor(workspace.path, gateway.template, { limits: { manifestTimeoutMs: 200 } });

  const error = await assertRejects(() => store.install({ cid: "stalled" }), InstallError);
  releaseManifest();
  assert.equal(error.code, "manifest");
  assert.match(error.message, /timed out after 200 ms/);
});

Deno.test("install() rejects a path-traversal archive", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const archive = await targz([file("demo.wasm", EMPTY_MODULE), file("../escaped.txt")]);
  const pkg = await hostilePackage(archive);
  servePackage(gateway, pkg);

  const store = storeFor(workspace.path, gateway.template);
  const error = await assertRejects(() => store.install({ cid: pkg.cid }), InstallError);
  assert.equal(error.code, "archive");
  assert.deepEqual(await listDir(`${workspace.path}/functions`), []);
  assert.deepEqual(await listDir(workspace.path), ["functions"]);
});

Deno.test("install() rejects a symlink archive", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const archive = await targz([
    file("demo.wasm", EMPTY_MODULE),
    { header: { name: "evil.wasm", type: "symlink", linkname: "/etc/passwd" } },
  ]);
  const pkg = await hostilePackage(archive);
  servePackage(gateway, pkg);

  const error = await assertRejects(
    () => storeFor(workspace.path, gateway.template).install({ cid: pkg.cid }),
    InstallError,
  );
  assert.equal(error.code, "archive");
  assert.deepEqual(await listDir(`${workspace.path}/functions`), []);
});

Deno.test("install() rejects a module the validator rejects", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const broken = await demoPackage("broken", BAD_VERSION_MODULE);
  const importing = await demoPackage("importing", IMPORTING_MODULE);
  servePackage(gateway, broken);
  servePackage(gateway, importing);

  // The default check is WebAssembly.validate.
  const plain = storeFor(workspace.path, gateway.template);
  const invalid = await assertRejects(() => plain.install({ cid: broken.cid }), InstallError);
  assert.equal(invalid.code, "invalid-module");
  assert.match(invalid.message, /broken\.wasm/);

  // A runtime's check receives the bytes of every module.
  const checked: number[] = [];
  const strict = storeFor(workspace.path, gateway.template, {
    validateModule(bytes) {
      checked.push(bytes.byteLength);
      const imports = WebAssembly.Module.imports(
        new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
      );
      const unknown = imports.find((entry) => entry.module === "env");
      return unknown
        ? { ok: false, reason: `unknown import module "${unknown.module}"` }
        : { ok: true };
    },
  });
  const rejected = await assertRejects(() => strict.install({ cid: importing.cid }), InstallError);
  assert.equal(rejected.code, "invalid-module");
  assert.match(rejected.message, /unknown import module "env"/);
  assert.deepEqual(checked, [IMPORTING_MODULE.byteLength]);
  assert.deepEqual(await listDir(`${workspace.path}/functions`), []);
});

Deno.test("get() finds an install after a restart without the gateway", async () => {
  await using workspace = await tempDir();
  const pkg = await demoPackage();
  let template: string;
  {
    await using gateway = await startGateway();
    servePackage(gateway, pkg);
    template = gateway.template;
    await storeFor(workspace.path, template).install({ cid: pkg.cid });
  }

  // The gateway is closed: any download would fail.
  const restarted = storeFor(workspace.path, template);
  const found = await restarted.get(pkg.cid);
  assert.ok(found);
  assert.deepEqual(found.files, ["demo.wasm"]);
  assert.deepEqual(await restarted.ensure(pkg.cid), found);
});

Deno.test("get() treats an install with a missing file as absent", async () => {
  await using demo = await servedDemo();
  const { gateway, pkg, store } = demo;

  const fn = await store.install({ cid: pkg.cid });

  await Deno.remove(`${fn.dir}/demo.wasm`);
  assert.equal(await store.get(pkg.cid), undefined);

  const reinstalled = await store.ensure(pkg.cid);
  assert.deepEqual(await Deno.readFile(`${reinstalled.dir}/demo.wasm`), EMPTY_MODULE);
  assert.equal(gateway.requests.length, 4);
});

Deno.test("install() shares one download among concurrent callers", async () => {
  await using demo = await servedDemo();
  const { gateway, pkg, store } = demo;

  const results = await Promise.all([
    store.install({ cid: pkg.cid }),
    store.ensure(pkg.cid),
    store.install({ cid: pkg.cid }),
    store.ensure(pkg.cid),
  ]);

  for (const result of results) assert.deepEqual(result, results[0]);
  assert.deepEqual(gateway.requests, [`/${pkg.cid}/manifest.json`, "/demo.tar.gz"]);
});

Deno.test("install() lets one caller stop waiting while another finishes", async () => {
  await using workspace = await tempDir();
  const pkg = await demoPackage();
  const { promise: release, resolve: releaseManifest } = Promise.withResolvers<void>();
  await using gateway = await startGateway({
    [`/${pkg.cid}/manifest.json`]: async () => {
      await release;
      return new Response(pkg.manifestBytes as Uint8Array<ArrayBuffer>);
    },
    "/demo.tar.gz": pkg.archive,
  });
  const store = storeFor(workspace.path, gateway.template);
  const controller = new AbortController();

  const impatient = store.install({ cid: pkg.cid }, { signal: controller.signal });
  const patient = store.install({ cid: pkg.cid });
  controller.abort(new Error("caller gave up"));
  releaseManifest();

  await assert.rejects(impatient, /caller gave up/);
  assert.deepEqual((await patient).files, ["demo.wasm"]);
});

Deno.test("install() falls back to the manifest folder for path gateways", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const pkg = await demoPackage();
  gateway.routes.set(`/ipfs/${pkg.cid}/manifest.json`, pkg.manifestBytes);
  gateway.routes.set(`/ipfs/${pkg.cid}/demo.tar.gz`, pkg.archive);

  const store = storeFor(workspace.path, `${gateway.origin}/ipfs/{cid}/manifest.json`);
  const fn = await store.install({ cid: pkg.cid });
  assert.deepEqual(fn.files, ["demo.wasm"]);
  assert.deepEqual(gateway.requests, [
    `/ipfs/${pkg.cid}/manifest.json`,
    "/demo.tar.gz",
    `/ipfs/${pkg.cid}/demo.tar.gz`,
  ]);
});

Deno.test("install() uses a given manifest URL and deployment.uri", async () => {
  await using workspace = await tempDir();
  await using gateway = await startGateway();
  const pkg = await demoPackage();
  const manifest = {
    function: { name: "demo" },
    runtime: { url: "" },
    deployment: {
      uri: `${gateway.origin}/files/archive-v1`,
      checksum: pkg.manifest.runtime!.checksum,
    },
  };
  gateway.routes.set("/custom/manifest.json", new TextEncoder().encode(JSON.stringify(manifest)));
  gateway.routes.set("/files/archive-v1", pkg.archive);

  // An id that is not a CID (here the SHA-256 of the URL, as the head computes it) addresses
  // no content, so only the checksum protects the archive.
  const url = `${gateway.origin}/custom/manifest.json`;
  const cid = await sha256Hex(new TextEncoder().encode(url));
  const fn = await storeFor(workspace.path, "").install({ cid, manifestUrl: url });
  assert.equal(fn.cid, cid);
  assert.deepEqual(fn.files, ["demo.wasm"]);
});

Deno.test("install() refuses archive URLs that are not http(s)", async () => {
  await using workspace = await tempDir();
  const manifest = { runtime: { url: "file:///etc/passwd", checksum: "0".repeat(64) } };
  await using gateway = await startGateway({
    "/local/manifest.json": new TextEncoder().encode(JSON.stringify(manifest)),
  });
  const error = await assertRejects(
    () => storeFor(workspace.path, gateway.template).install({ cid: "local" }),
    InstallError,
  );
  assert.equal(error.code, "manifest");
  assert.match(error.message, /only http and https/);
});

Deno.test("install() rejects ids that are not safe folder names", async () => {
  await using workspace = await tempDir();
  const store = storeFor(workspace.path, "");
  for (const cid of ["../x", "", "a/b", "x".repeat(129)]) {
    const error = await assertRejects(() => store.install({ cid }), InstallError);
    assert.equal(error.code, "invalid-cid");
    assert.equal(await store.get(cid), undefined);
  }
});

/** Packs `archive` as a package with a correct checksum and CID, however hostile it is. */
async function hostilePackage(archive: Uint8Array) {
  const manifest = buildManifest({
    name: "demo",
    version: "1.0.0",
    archiveCid: "unused",
    archiveName: "demo.tar.gz",
    checksum: await sha256Hex(archive),
    modules: ["demo.wasm"],
  });
  return await assemblePackage(manifest, "demo.tar.gz", archive);
}
