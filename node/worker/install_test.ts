import assert from "node:assert/strict";
import type { MsgInstallFunction } from "../p2p/messages.ts";
import { handleInstallFunction } from "./install.ts";
import { fakeContext, FakeInstaller, HEAD_PEER, peer } from "../../testing/worker_fakes.ts";

function install(cid: string): MsgInstallFunction {
  return {
    type: "MsgInstallFunction",
    manifest_url: `http://127.0.0.1:8080/${cid}/manifest.json`,
    cid,
  };
}

Deno.test("handleInstallFunction() installs and responds 202 installed", async () => {
  const installer = new FakeInstaller();
  using context = fakeContext({ installer });
  await handleInstallFunction(context, install("bafynew"), { peer: peer() });
  assert.deepEqual(installer.installs, [{
    cid: "bafynew",
    manifestUrl: "http://127.0.0.1:8080/bafynew/manifest.json",
  }]);
  assert.equal(context.replies[0].peer, HEAD_PEER);
  assert.deepEqual(context.replies[0].message, {
    type: "MsgInstallFunctionResponse",
    code: "202",
    message: "installed",
    cid: "bafynew",
  });
});

Deno.test("handleInstallFunction() responds 500 with the reason on failure", async () => {
  const installer = new FakeInstaller();
  installer.failing.add("bafybroken");
  using context = fakeContext({ installer });
  await handleInstallFunction(context, install("bafybroken"), { peer: peer() });
  const message = context.replies[0].message as { code: string; message: string };
  assert.equal(message.code, "500");
  assert.match(
    message.message,
    /Cannot install function "bafybroken": manifest of bafybroken not found/,
  );
});

Deno.test("handleInstallFunction() rejects a cid that is not a file name", async () => {
  const installer = new FakeInstaller();
  using context = fakeContext({ installer });
  await handleInstallFunction(context, install("../../etc"), { peer: peer() });
  assert.equal((context.replies[0].message as { code: string }).code, "500");
  assert.equal(installer.installs.length, 0);
});
