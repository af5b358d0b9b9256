import assert from "node:assert/strict";
import { computeDirectoryCid } from "../store/cid.ts";
import { embeddedFunctionPackage } from "./package.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "./reference.ts";

Deno.test("embeddedFunctionPackage() has the CID new projects use", async () => {
  const pkg = await embeddedFunctionPackage();
  assert.equal(pkg.cid, FUNCTION_ID);
});

Deno.test("embeddedFunctionPackage() CID is the folder's content address", async () => {
  const pkg = await embeddedFunctionPackage();
  assert.equal(await computeDirectoryCid(pkg.files), pkg.cid);
  assert.deepEqual([...pkg.files.keys()].sort(), [
    "allora-inference-function.tar.gz",
    "manifest.json",
  ]);
});

Deno.test("embeddedFunctionPackage() manifest names the module and archive checksum", async () => {
  const pkg = await embeddedFunctionPackage();
  const manifest = JSON.parse(new TextDecoder().decode(pkg.files.get("manifest.json")));
  assert.equal(manifest.runtime.url, "allora-inference-function.tar.gz");
  assert.match(manifest.runtime.checksum, /^[0-9a-f]{64}$/);
  assert.ok(JSON.stringify(manifest.methods).includes(FUNCTION_METHOD));
});
