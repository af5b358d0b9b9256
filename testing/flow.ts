/**
 * Helpers for tests and benchmarks of the local flow: `allora init --env dev` into a temp
 * folder, `allora dev` or `allora head` and `allora worker` as subprocesses of it, execute
 * requests to the head, and a scan of `/proc` for processes left running.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { runCli } from "./cli.ts";
import type { HeadReady, Processes, TestProcess } from "./processes.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";
import { httpRequest } from "../node/api/client.ts";
import type { ExecuteResponse } from "../cli/request.ts";
import { HELP as DEV_HELP } from "../cli/dev.ts";

/** The `allora` entry point, for `deno run -A MAIN …`. */
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
/** Time a request may take when the machine is busy, roll-call window included. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Arguments that keep `allora dev` to the head and workers. Once `allora dev` starts a local
 * chain by default it takes `--no-chain`; these tests and benchmarks leave the chain out.
 * TODO: pass `--no-chain` unconditionally once every branch has it.
 */
export const NO_CHAIN_ARGS: string[] = DEV_HELP.includes("--no-chain") ? ["--no-chain"] : [];

/** The ready line of `allora dev --json`. */
export interface DevReady {
  event: "ready";
  rest: string;
  head: string;
  workers: string[];
}

/**
 * Returns the execute body of the curl example in Allora's worker guide, with our function's CID:
 * all workers that answer within a 2 s window, topic 1, token ETH, block height 1.
 */
export function guideBody(functionId = FUNCTION_ID): Record<string, unknown> {
  return {
    function_id: functionId,
    method: FUNCTION_METHOD,
    parameters: [],
    topic: "1",
    config: {
      env_vars: [
        { name: "BLS_REQUEST_PATH", value: "/api" },
        { name: "ALLORA_ARG_PARAMS", value: "ETH" },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1" },
      ],
      number_of_nodes: -1,
      timeout: 2,
    },
  };
}

/** Returns an execute body for topic 1 with `arg` as ALLORA_ARG_PARAMS and `config` fields merged in. */
export function inferenceBody(
  arg: string,
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    function_id: FUNCTION_ID,
    method: FUNCTION_METHOD,
    topic: "1",
    config: {
      env_vars: [
        { name: "ALLORA_ARG_PARAMS", value: arg },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1" },
      ],
      number_of_nodes: 1,
      timeout: 5,
      ...config,
    },
  };
}

/** Returns the arguments of `allora init` for a dev project of topic 1 in `dir`. */
export function initArgs(dir: string, name = "flow"): string[] {
  return ["init", "--name", name, "--topic", "1", "--env", "dev", "--dir", dir, "--yes"];
}

/** Runs `allora init --env dev` in-process into `<parent>/<name>` and returns the folder. */
export async function createProject(parent: string, name = "flow"): Promise<string> {
  const dir = join(parent, name);
  const result = await runCli(initArgs(dir, name));
  assert.equal(result.code, 0, `allora init failed: ${result.stderr}`);
  return dir;
}

/** Sets keys of the project's config.yaml, keeping its comments; paths are key lists. */
export async function editConfig(
  project: string,
  changes: [path: string[], value: unknown][],
): Promise<void> {
  const file = join(project, "config.yaml");
  const document = parseDocument(await Deno.readTextFile(file));
  for (const [path, value] of changes) document.setIn(path, value);
  await Deno.writeTextFile(file, document.toString());
}

/**
 * Returns the arguments of `allora dev --json` with free ports and without the local chain,
 * then `args`, so a later `--rest-api` or `--port` wins.
 */
export function devArgs(args: string[] = []): string[] {
  return ["dev", "--json", "--rest-api", "127.0.0.1:0", "--port", "0", ...NO_CHAIN_ARGS, ...args];
}

/** Starts `allora dev` in `project` with {@link devArgs} and waits for its ready line. */
export async function startDev(
  processes: Processes,
  project: string,
  args: string[] = [],
): Promise<{ process: TestProcess; ready: DevReady }> {
  const process = runAllora(processes, project, devArgs(args));
  return { process, ready: await process.ready<DevReady>() };
}

/** Runs `allora <args>` as a subprocess in `cwd` until it exits. */
export function runAllora(processes: Processes, cwd: string, args: string[]): TestProcess {
  return processes.spawn(`allora ${args[0]}`, ["run", "-A", MAIN, ...args], { cwd });
}

/** Starts `allora head --json` for `project` and waits for its ready line. */
export async function startHead(
  processes: Processes,
  project: string,
  { restPort = 0, p2pPort = 0 }: { restPort?: number; p2pPort?: number } = {},
): Promise<{ process: TestProcess; ready: HeadReady }> {
  const process = runAllora(processes, project, [
    "head",
    "--json",
    "--config",
    join(project, "config.yaml"),
    "--rest-api",
    `127.0.0.1:${restPort}`,
    "--port",
    String(p2pPort),
  ]);
  return { process, ready: await process.ready<HeadReady>() };
}

/**
 * Starts worker number `index` (from 1) of `project` against `headAddress`. Each gets its own
 * key and workspace under `data/`, as `allora dev` gives them.
 */
export async function startWorker(
  processes: Processes,
  project: string,
  headAddress: string,
  index: number,
): Promise<{ process: TestProcess; peerId: string }> {
  const folder = join(project, "data", `test-worker-${index}`);
  const process = runAllora(processes, project, [
    "worker",
    "--json",
    "--config",
    join(project, "config.yaml"),
    "--port",
    "0",
    "--boot-nodes",
    headAddress,
    "--private-key",
    join(folder, "key", "priv.bin"),
    "--workspace",
    join(folder, "workspace"),
  ]);
  const ready = await process.ready<{ peer_id: string }>();
  return { process, peerId: ready.peer_id };
}

/** POSTs an execute request to the head and returns the HTTP status and parsed body. */
export async function execute(
  rest: string,
  body: unknown,
): Promise<{ status: number; body: ExecuteResponse }> {
  const response = await httpRequest(`${rest}/api/v1/functions/execute`, {
    json: body,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  return { status: response.status, body: JSON.parse(response.body) };
}

/**
 * Sends inference requests with `number_of_nodes` -1 until the cluster is exactly `peers`,
 * for workers that are still connecting or subscribing, and returns that response. With -1
 * every worker that accepts the roll call gets the execute. A roll call for N workers that
 * fails would instead leave a slot reserved for 35 s on each worker that accepted, and
 * retrying such requests can keep every slot reserved.
 */
export async function executeWhenServedBy(
  rest: string,
  peers: readonly string[],
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ExecuteResponse> {
  const body = inferenceBody("ETH", { number_of_nodes: -1, timeout: 2 });
  const expected = JSON.stringify([...peers].sort());
  const deadline = Date.now() + timeoutMs;
  while (true) {
    let response: ExecuteResponse | undefined;
    try {
      response = (await execute(rest, body)).body;
    } catch {
      // The head is not listening yet.
    }
    const cluster = JSON.stringify([...response?.cluster?.peers ?? []].sort());
    if (response?.code === "200" && cluster === expected) return response;
    if (Date.now() > deadline) {
      throw new Error(
        `Head ${rest} did not reach workers ${expected} within ${timeoutMs} ms; last response: ${
          JSON.stringify(response)
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Returns the `infererValue` of a result's stdout, failing the test when there is none. */
export function infererValue(stdout: string): string {
  const value = JSON.parse(stdout).infererValue;
  assert.equal(typeof value, "string", `no infererValue in ${stdout}`);
  return value;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Lists the processes, other than this one, whose command line contains `marker` or whose
 * working folder is under it, as `pid: command line`. Reads `/proc`, so it works on Linux
 * only; elsewhere it returns an empty list.
 */
export async function processesUsing(marker: string): Promise<string[]> {
  const found: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir("/proc"));
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    try {
      const commandLine = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`))
        .replaceAll("\0", " ").trim();
      const cwd = await Deno.readLink(`/proc/${entry.name}/cwd`).catch(() => "");
      if (commandLine.includes(marker) || cwd.startsWith(marker)) {
        found.push(`${entry.name}: ${commandLine}`);
      }
    } catch {
      // The process exited while being read.
    }
  }
  return found;
}

/** Lists the direct children of process `pid` with their command lines (Linux only). */
export async function childProcesses(pid: number): Promise<{ pid: number; command: string }[]> {
  const children: { pid: number; command: string }[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      // The parent pid is the second field after the command name, which is in parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent !== pid) continue;
      const command = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`))
        .replaceAll("\0", " ").trim();
      children.push({ pid: Number(entry.name), command });
    } catch {
      // The process exited while being read.
    }
  }
  return children;
}

/** Waits until no process uses `marker` (see {@link processesUsing}) and fails otherwise. */
export async function assertNoneRunning(marker: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let running = await processesUsing(marker);
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = await processesUsing(marker);
  }
  assert.deepEqual(running, [], `processes still running for ${marker}`);
}
