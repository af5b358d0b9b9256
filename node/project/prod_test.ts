import assert from "node:assert/strict";
import YAML from "yaml";
import { assertThrows } from "../../testing/assert.ts";
import { parseConfig } from "../config/config.ts";
import { NETWORK_ENDPOINTS } from "../config/networks.ts";
import {
  BootNodeError,
  isLoopbackAddress,
  parseBootNodes,
  planProdFiles,
  type ProdPlanOptions,
} from "./prod.ts";
import type { ProjectFile } from "./writer.ts";

const HEAD_A =
  "/dns4/head-0.example/tcp/32130/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
const HEAD_B = "/ip4/10.1.2.3/tcp/9010/p2p/12D3KooWH9GerdSEroL2nqjpd2GuE5dwmqNi7uHX7FoywBdKcP4q";

const OPTIONS: ProdPlanOptions = {
  config: parseConfig("name: demo\ntopic: 3\n"),
  projectDir: "/srv/demo",
  network: "allora-testnet-1",
  bootNodes: [HEAD_A, HEAD_B],
  alloraPath: "/usr/local/bin/allora",
  user: "alice",
};

function text(files: ProjectFile[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `${path} is planned`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

Deno.test("parseBootNodes() accepts comma- and space-separated heads", () => {
  assert.deepEqual(parseBootNodes(`${HEAD_A}, ${HEAD_B}`), [HEAD_A, HEAD_B]);
  assert.deepEqual(parseBootNodes(`${HEAD_A} ${HEAD_B}`), [HEAD_A, HEAD_B]);
});

Deno.test("parseBootNodes() rejects an address without a peer ID", () => {
  const error = assertThrows(() => parseBootNodes("/ip4/10.1.2.3/tcp/9010"), BootNodeError);
  assert.equal(error.address, "/ip4/10.1.2.3/tcp/9010");
  assert.match(error.message, /ending in \/p2p\/<peer id>/);
});

Deno.test("parseBootNodes() rejects an invalid peer ID", () => {
  assertThrows(() => parseBootNodes("/ip4/10.1.2.3/tcp/9010/p2p/None"), BootNodeError);
});

Deno.test("parseBootNodes() rejects a bare peer ID", () => {
  assertThrows(
    () => parseBootNodes("/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"),
    BootNodeError,
  );
});

Deno.test("parseBootNodes() rejects text that is no multiaddr", () => {
  const error = assertThrows(() => parseBootNodes(HEAD_A + ",head.example:9010"), BootNodeError);
  assert.equal(error.address, "head.example:9010");
});

Deno.test("isLoopbackAddress() spots local heads", () => {
  assert.equal(isLoopbackAddress("/ip4/127.0.0.1/tcp/9010/p2p/x"), true);
  assert.equal(isLoopbackAddress("/ip6/::1/tcp/9010/p2p/x"), true);
  assert.equal(isLoopbackAddress("/dns4/localhost/tcp/9010/p2p/x"), true);
  assert.equal(isLoopbackAddress(HEAD_B), false);
});

Deno.test("planProdFiles() points compose at the network without secrets", async () => {
  const { files } = await planProdFiles({ ...OPTIONS, password: "hunter2-correct" });
  const compose = text(files, "prod-docker-compose.yaml");
  const document = YAML.parse(compose);
  assert.equal(document.version, undefined);
  const worker = document.services.worker;
  assert.deepEqual(worker.command, ["worker", "--config", "config.yaml"]);
  assert.equal(worker.environment.ALLORA_NETWORK, "allora-testnet-1");
  assert.equal(worker.environment.ALLORA_CHAIN_RPC, NETWORK_ENDPOINTS["allora-testnet-1"].rpc);
  assert.equal(worker.environment.ALLORA_WORKER_BOOT_NODES, `${HEAD_A},${HEAD_B}`);
  assert.deepEqual(worker.ports, ["9011:9011"]);
  assert.equal(worker.restart, "unless-stopped");
  assert.deepEqual(worker.env_file, [{ path: "secrets.env", required: false }]);
  assert.ok(!compose.includes("hunter2"));
});

Deno.test("planProdFiles() writes a systemd unit for the project", async () => {
  const { files } = await planProdFiles({ ...OPTIONS, password: "hunter2-correct" });
  const unit = text(files, "allora-worker.service");
  assert.match(unit, /^User=alice$/m);
  assert.match(unit, /^WorkingDirectory=\/srv\/demo$/m);
  assert.match(
    unit,
    /^ExecStart=\/usr\/local\/bin\/allora worker --config \/srv\/demo\/config.yaml$/m,
  );
  assert.match(unit, /^Environment="ALLORA_NETWORK=allora-testnet-1"$/m);
  assert.match(
    unit,
    new RegExp(`^Environment="ALLORA_WORKER_BOOT_NODES=${HEAD_A},${HEAD_B}"$`, "m"),
  );
  assert.match(unit, /^EnvironmentFile=-\/srv\/demo\/secrets.env$/m);
  assert.ok(!unit.includes("hunter2"));
});

Deno.test("planProdFiles() leaves the service account to the user when unknown", async () => {
  const { files } = await planProdFiles({ ...OPTIONS, user: undefined });
  assert.match(text(files, "allora-worker.service"), /^# User=/m);
});

Deno.test("planProdFiles() plans secrets.env only with a password", async () => {
  const without = await planProdFiles(OPTIONS);
  assert.equal(without.files.some((file) => file.path === "secrets.env"), false);
  const { files } = await planProdFiles({ ...OPTIONS, password: "p4ss word" });
  const secrets = files.find((file) => file.path === "secrets.env");
  assert.equal(secrets?.mode, 0o600);
  assert.match(text(files, "secrets.env"), /^ALLORA_WALLET_PASSWORD='p4ss word'$/m);
});

Deno.test("planProdFiles() skips secrets.env for a password with a quote", async () => {
  const plan = await planProdFiles({ ...OPTIONS, password: "it's" });
  assert.equal(plan.files.some((file) => file.path === "secrets.env"), false);
  assert.match(plan.secretsSkipped ?? "", /quote/);
});
