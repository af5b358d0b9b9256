import assert from "node:assert/strict";
import { FakeNetwork } from "../../testing/fake_network.ts";
import { silentLogger } from "../log.ts";
import { InstallPublishError } from "./errors.ts";
import { Inbox } from "./inbox.ts";
import { installFunction } from "./install.ts";
import type { InstallPlan } from "./types.ts";

const PLAN: InstallPlan = {
  cid: "bafy",
  manifestUrl: "https://bafy.ipfs.w3s.link/manifest.json",
  topic: "blockless/b7s/general",
  waitMs: 0,
};

Deno.test("installFunction() publishes MsgInstallFunction", async () => {
  const network = new FakeNetwork();
  const components = { network, inbox: new Inbox(), logger: silentLogger };
  const body = await installFunction(components, PLAN, new AbortController().signal);
  assert.deepEqual(body, { code: "200" });
  assert.deepEqual(network.published, [{
    topic: "blockless/b7s/general",
    message: { type: "MsgInstallFunction", manifest_url: PLAN.manifestUrl, cid: "bafy" },
  }]);
});

Deno.test("installFunction() lists peers that acknowledge within wait_ms", async () => {
  const network = new FakeNetwork();
  const inbox = new Inbox();
  network.onMessage((message, origin) => inbox.deliver(message, origin.peer));
  network.publish = (_topic, _message) => {
    setTimeout(() => {
      network.deliver({ type: "MsgInstallFunctionResponse", code: "202", cid: "bafy" }, "w1");
      network.deliver({ type: "MsgInstallFunctionResponse", code: "202", cid: "other" }, "w2");
      network.deliver({ type: "MsgInstallFunctionResponse", code: "500", cid: "bafy" }, "w3");
    }, 0);
    return Promise.resolve(1);
  };
  const body = await installFunction(
    { network, inbox, logger: silentLogger },
    { ...PLAN, waitMs: 50 },
    new AbortController().signal,
  );
  assert.deepEqual(body, { code: "200", installed: ["w1"] });
  assert.equal(inbox.size, 0);
});

Deno.test("installFunction() wraps a publish failure", async () => {
  const network = new FakeNetwork();
  network.publish = () => Promise.reject(new Error("boom"));
  const components = { network, inbox: new Inbox(), logger: silentLogger };
  await assert.rejects(
    installFunction(components, PLAN, new AbortController().signal),
    (error) => error instanceof InstallPublishError && error.topic === PLAN.topic,
  );
});
