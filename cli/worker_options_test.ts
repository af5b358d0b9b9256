import assert from "node:assert/strict";
import { join } from "node:path";
import { assertRejects, assertThrows } from "../testing/assert.ts";
import { tempDir } from "../testing/temp_dir.ts";
import { CliError, UsageError } from "./errors.ts";
import { parseConfig } from "../node/config/config.ts";
import {
  inferenceTimeoutMs,
  loadWorkerConfig,
  parseWorkerFlags,
  type ResolveSources,
  resolveWorkerSettings,
} from "./worker_options.ts";

const HEAD = "/ip4/127.0.0.1/tcp/9010/p2p/12D3KooWH9GerdSEroL2nqjpd2GuE5dwmqNi7uHX7FoywBdKcP4q";
const OTHER = "/ip4/127.0.0.2/tcp/9010/p2p/12D3KooWQrN5U3BApv4JYjE5HyKXFKkRF2U8c5FgK3zMPjzkZTpQ";

function sources(overrides: Partial<ResolveSources> = {}): ResolveSources {
  return { env: () => undefined, cwd: "/work/project", cpuCount: 4, ...overrides };
}

function fileWith(yaml: string) {
  return { config: parseConfig(`name: demo\ntopic: 7\n${yaml}`), path: "/srv/demo/config.yaml" };
}

Deno.test("resolveWorkerSettings() applies defaults without flags or file", () => {
  const settings = resolveWorkerSettings(parseWorkerFlags([]), sources());
  assert.deepEqual(settings.bootNodes, []);
  assert.equal(settings.address, "127.0.0.1");
  assert.equal(settings.port, 9011);
  assert.equal(settings.privateKeyPath, "/work/project/keys/worker/priv.bin");
  assert.equal(settings.workspace, "/work/project/data/worker");
  assert.equal(settings.concurrency, 4);
  assert.deepEqual(settings.topics, []);
  assert.equal(settings.gateway, "https://{cid}.ipfs.w3s.link/manifest.json");
  assert.deepEqual(settings.inference, {
    command: ["python3", "main.py"],
    cwd: "/work/project",
    // The configured 10 s, kept 1 s below the 10 s execution timeout.
    timeoutMs: 9_000,
  });
  assert.equal(settings.executionTimeoutMs, 10_000);
  assert.equal(settings.extensionsDir, undefined);
});

Deno.test("resolveWorkerSettings() reads the file relative to its folder", () => {
  const file = fileWith(
    "worker:\n  port: 9100\n  workspace: state\n  concurrency: 3\n  attributes: {gpu: a100}\n" +
      "  execution_timeout_ms: 5000\n  extensions: ext\n",
  );
  const settings = resolveWorkerSettings(parseWorkerFlags([]), sources({ file }));
  assert.equal(settings.port, 9100);
  assert.equal(settings.workspace, "/srv/demo/state");
  assert.equal(settings.privateKeyPath, "/srv/demo/keys/worker/priv.bin");
  assert.equal(settings.concurrency, 3);
  assert.deepEqual(settings.attributes, { gpu: "a100" });
  assert.equal(settings.executionTimeoutMs, 5000);
  assert.equal(settings.extensionsDir, "/srv/demo/ext");
  assert.equal(settings.inference.cwd, "/srv/demo");
  assert.deepEqual(settings.topics, ["allora-topic-7-worker"]);
  assert.equal(settings.configFile, "/srv/demo/config.yaml");
});

Deno.test("resolveWorkerSettings() prefers flags over env over file", () => {
  const file = fileWith(`worker:\n  boot_nodes: ["${OTHER}"]\n  port: 9100\n  topics: ["2"]\n`);
  const env = (name: string) => name === "BOOT_NODES" ? HEAD : undefined;
  const fromEnv = resolveWorkerSettings(parseWorkerFlags([]), sources({ file, env }));
  assert.deepEqual(fromEnv.bootNodes.map((node) => node.address), [HEAD]);
  assert.deepEqual(fromEnv.topics, ["allora-topic-2-worker"]);

  const flags = parseWorkerFlags([
    "--boot-nodes",
    `${OTHER},${HEAD}`,
    "--port",
    "0",
    "--topic",
    "3",
    "--topic",
    "allora-topic-4-worker",
    "--workspace",
    "ws",
  ]);
  const fromFlags = resolveWorkerSettings(flags, sources({ file, env }));
  assert.deepEqual(fromFlags.bootNodes.map((node) => node.address), [OTHER, HEAD]);
  assert.equal(fromFlags.port, 0);
  assert.deepEqual(fromFlags.topics, ["allora-topic-3-worker", "allora-topic-4-worker"]);
  assert.equal(fromFlags.workspace, "/work/project/ws");
});

Deno.test("resolveWorkerSettings() reads the runtime flags", () => {
  const flags = parseWorkerFlags([
    "--concurrency",
    "8",
    "--execution-timeout",
    "2500ms",
    "--inference-command",
    " python3   -u  model.py ",
    "--project",
    "../model",
    "--http-allow",
    "http://127.0.0.1:8000/,http://127.0.0.1:9000/",
    "--function",
    "fn",
    "--extensions",
    "ext",
  ]);
  const settings = resolveWorkerSettings(flags, sources());
  assert.equal(settings.concurrency, 8);
  assert.equal(settings.executionTimeoutMs, 2500);
  assert.deepEqual(settings.inference.command, ["python3", "-u", "model.py"]);
  assert.equal(settings.inference.cwd, "/work/model");
  assert.deepEqual(settings.httpAllow, ["http://127.0.0.1:8000/", "http://127.0.0.1:9000/"]);
  assert.deepEqual(settings.functionPaths, ["/work/project/fn"]);
  assert.equal(settings.extensionsDir, "/work/project/ext");
});

Deno.test("resolveWorkerSettings() rejects invalid values", () => {
  const cases: [argv: string[], message: RegExp][] = [
    [["--port", "70000"], /--port: 70000/],
    [["--concurrency", "0"], /--concurrency: 0/],
    [["--execution-timeout", "10"], /--execution-timeout: '10' \(expected a duration/],
    [["--boot-nodes", "/ip4/127.0.0.1/tcp/9010"], /--boot-nodes: '\/ip4\/127\.0\.0\.1\/tcp\/9010'/],
    [["--gateway", "ftp://x/{cid}"], /--gateway: 'ftp:\/\/x\/\{cid\}'/],
    [["--gateway", "http://127.0.0.1/manifest.json"], /expected an http\(s\) URL template/],
    [["--inference-command", "  "], /--inference-command: the command is empty/],
  ];
  for (const [argv, message] of cases) {
    const error = assertThrows(
      () => resolveWorkerSettings(parseWorkerFlags(argv), sources()),
      UsageError,
    );
    assert.match(error.message, message, argv.join(" "));
  }
});

Deno.test("parseWorkerFlags() rejects an unknown option", () => {
  const error = assertThrows(() => parseWorkerFlags(["--prot", "1"]), UsageError);
  assert.match(error.message, /Unknown option '--prot' for 'allora worker'/);
});

Deno.test("loadWorkerConfig() applies ALLORA_ variables over config.yaml", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(
    join(dir.path, "config.yaml"),
    "name: demo\ntopic: 3\nworker:\n  port: 9100\n",
  );
  const env = (name: string) =>
    ({ ALLORA_WORKER_PORT: "9200", ALLORA_WORKER_BOOT_NODES: `${HEAD},${OTHER}` })[name];
  const file = await loadWorkerConfig(parseWorkerFlags([]), dir.path, env);
  assert.equal(file.path, join(dir.path, "config.yaml"));
  const settings = resolveWorkerSettings(parseWorkerFlags([]), sources({ file, cwd: dir.path }));
  assert.equal(settings.port, 9200);
  assert.deepEqual(settings.bootNodes.map((node) => node.address), [HEAD, OTHER]);
  assert.deepEqual(settings.topics, ["allora-topic-3-worker"]);
});

Deno.test("loadWorkerConfig() applies ALLORA_ variables without a file", async () => {
  await using dir = await tempDir();
  const env = (name: string) => ({ ALLORA_WORKER_ADDRESS: "0.0.0.0" })[name];
  const file = await loadWorkerConfig(parseWorkerFlags([]), dir.path, env);
  assert.equal(file.path, undefined);
  const settings = resolveWorkerSettings(parseWorkerFlags([]), sources({ file, cwd: dir.path }));
  assert.equal(settings.address, "0.0.0.0");
  assert.deepEqual(settings.topics, []);
});

Deno.test("loadWorkerConfig() rejects a missing --config file", async () => {
  await using dir = await tempDir();
  const flags = parseWorkerFlags(["--config", "absent.yaml"]);
  const error = await assertRejects(
    () => loadWorkerConfig(flags, dir.path, () => undefined),
    CliError,
  );
  assert.match(error.message, /absent\.yaml/);
});

Deno.test("loadWorkerConfig() names an invalid variable", async () => {
  await using dir = await tempDir();
  const env = (name: string) => ({ ALLORA_WORKER_PORT: "high" })[name];
  const error = await assertRejects(
    () => loadWorkerConfig(parseWorkerFlags([]), dir.path, env),
    CliError,
  );
  assert.match(error.message, /ALLORA_WORKER_PORT/);
});

Deno.test("inferenceTimeoutMs() stays below the execution timeout", () => {
  assert.equal(inferenceTimeoutMs(10_000, 10_000), 9_000);
  assert.equal(inferenceTimeoutMs(3_000, 10_000), 3_000);
  assert.equal(inferenceTimeoutMs(10_000, 2_500), 1_500);
  assert.equal(inferenceTimeoutMs(10_000, 1_000), 500);
  assert.equal(inferenceTimeoutMs(10_000, 100), 50);
});

Deno.test("resolveWorkerSettings() lowers the inference timeout", () => {
  const file = fileWith("inference:\n  timeout_ms: 30000\n");
  const flags = parseWorkerFlags(["--execution-timeout", "4s"]);
  const settings = resolveWorkerSettings(flags, sources({ file }));
  assert.equal(settings.executionTimeoutMs, 4_000);
  assert.equal(settings.inference.timeoutMs, 3_000);
});

Deno.test("resolveWorkerSettings() reads the chain settings", () => {
  const defaults = resolveWorkerSettings(parseWorkerFlags([]), sources());
  assert.deepEqual(defaults.chain, {
    enabled: true,
    rpc: "http://127.0.0.1:26657",
    emissionsVersion: "auto",
    gasPrice: "auto",
    keystore: "/work/project/keys/wallet.json",
    keystoreGiven: false,
  });

  const file = fileWith("chain:\n  rpc: http://10.0.0.5:26657\n  wallet: secrets/w.json\n");
  const fromFile = resolveWorkerSettings(parseWorkerFlags([]), sources({ file }));
  assert.equal(fromFile.chain.rpc, "http://10.0.0.5:26657");
  assert.equal(fromFile.chain.keystore, "/srv/demo/secrets/w.json");

  const flags = parseWorkerFlags([
    "--no-chain",
    "--wallet",
    "w.json",
    "--chain-rpc",
    "http://127.0.0.1:4000",
  ]);
  const fromFlags = resolveWorkerSettings(flags, sources({ file }));
  assert.equal(fromFlags.chain.enabled, false);
  assert.equal(fromFlags.chain.rpc, "http://127.0.0.1:4000");
  assert.equal(fromFlags.chain.keystore, "/work/project/w.json");
  assert.equal(fromFlags.chain.keystoreGiven, true);
});

Deno.test("resolveWorkerSettings() rejects a chain RPC that is not a URL", () => {
  const error = assertThrows(
    () => resolveWorkerSettings(parseWorkerFlags(["--chain-rpc", "127.0.0.1:26657"]), sources()),
    UsageError,
  );
  assert.match(error.message, /^Invalid value for --chain-rpc: '127.0.0.1:26657'/);
});
