import assert from "node:assert/strict";
import { join } from "node:path";
import YAML from "yaml";
import { tempDir } from "../../testing/temp_dir.ts";
import { CONFIG_SCHEMA, parseConfig } from "../config/config.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../function/reference.ts";
import { generateIdentity, writeIdentity } from "../p2p/identity.ts";
import { checkKeptConfig, localHeadAddress, planDevProject, slug } from "./dev.ts";
import type { ProjectFile } from "./writer.ts";

const OPTIONS = { name: "demo.Worker_1", topic: 7, network: "local" as const, version: "9.9.9" };

function text(files: ProjectFile[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `${path} is planned`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
}

function schemaLeafPaths(node: SchemaNode, prefix: string[] = []): string[][] {
  return Object.entries(node.properties ?? {}).flatMap(([name, child]) =>
    name === "$schema"
      ? []
      : child.properties
      ? schemaLeafPaths(child, [...prefix, name])
      : [[...prefix, name]]
  );
}

Deno.test("planDevProject() plans a config that loads and names the head", async () => {
  await using tmp = await tempDir();
  const plan = await planDevProject({ dir: tmp.path, ...OPTIONS });
  const config = parseConfig(text(plan.files, "config.yaml"));
  const headId = plan.identities.head.identity.peerId.toString();
  assert.deepEqual(config, plan.config);
  assert.equal(config.name, "demo.Worker_1");
  assert.equal(config.topic, 7);
  assert.deepEqual(config.function, { id: FUNCTION_ID, method: FUNCTION_METHOD });
  assert.deepEqual(config.worker.boot_nodes, [localHeadAddress(9010, headId)]);
  assert.equal(plan.headAddress, `/ip4/127.0.0.1/tcp/9010/p2p/${headId}`);
  assert.deepEqual(config.worker.topics, ["allora-topic-7-worker"]);
});

Deno.test("planDevProject() explains every schema key in config.yaml", async () => {
  await using tmp = await tempDir();
  const plan = await planDevProject({ dir: tmp.path, ...OPTIONS });
  const yaml = text(plan.files, "config.yaml");
  assert.ok(yaml.startsWith("# yaml-language-server: $schema=./config.schema.json\n"));

  // Every key of the schema is written out, so users see each setting.
  const document = YAML.parse(yaml);
  for (const path of schemaLeafPaths(CONFIG_SCHEMA as SchemaNode)) {
    const value = path.reduce((node, key) => node?.[key], document);
    assert.notEqual(value, undefined, `config.yaml sets ${path.join(".")}`);
  }

  // Every key line with a value has a comment line right above it.
  const lines = yaml.split("\n");
  lines.forEach((line, index) => {
    if (!/^\s*[a-z_]+:\s*\S/.test(line)) return;
    assert.match(lines[index - 1], /^\s*#/, `line ${index + 1} '${line}' has a comment above it`);
  });
});

Deno.test("planDevProject() writes the schema beside the config", async () => {
  await using tmp = await tempDir();
  const plan = await planDevProject({ dir: tmp.path, ...OPTIONS });
  assert.deepEqual(JSON.parse(text(plan.files, "config.schema.json")), CONFIG_SCHEMA);
});

Deno.test("planDevProject() reuses identities found in the folder", async () => {
  await using tmp = await tempDir();
  const head = await generateIdentity();
  await writeIdentity(join(tmp.path, "keys/head"), head);
  const plan = await planDevProject({ dir: tmp.path, ...OPTIONS });
  assert.equal(plan.identities.head.existed, true);
  assert.equal(plan.identities.worker.existed, false);
  assert.ok(plan.identities.head.identity.peerId.equals(head.peerId));
  assert.match(text(plan.files, "dev-docker-compose.yaml"), new RegExp(`/p2p/${head.peerId}`));
});

Deno.test("slug() makes compose-safe names", () => {
  assert.equal(slug("demo.Worker_1"), "demo-worker-1");
  assert.equal(slug("a_.b-"), "a-b");
});

Deno.test("checkKeptConfig() warns when the head key changed", () => {
  const config =
    "name: demo\ntopic: 1\nworker:\n  boot_nodes: ['/ip4/127.0.0.1/tcp/9010/p2p/12D3KooWOld']\n";
  assert.equal(checkKeptConfig(config, "12D3KooWOld"), undefined);
  assert.match(checkKeptConfig(config, "12D3KooWNew") ?? "", /does not name .*12D3KooWNew/);
  assert.match(checkKeptConfig("name: [", "x") ?? "", /invalid/);
});
