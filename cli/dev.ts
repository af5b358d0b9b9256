/**
 * `allora dev`: runs the project's local network — a local chain (`allora devnet`), one head
 * and N workers as separate processes on loopback, without Docker — and prints the request to
 * try. The head schedules one request per worker nonce of the project topic, and the workers
 * submit their inferences to the local chain. `--no-chain` leaves the chain out.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseFlags, parseHostPort, parseInteger } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { loadProjectConfig } from "./project_config.ts";
import type { Config } from "../node/config/config.ts";
import { selfCommand } from "../node/dev/self.ts";
import { ChildStartError, type ReadyEvent, Supervisor } from "../node/dev/supervisor.ts";
import { describeError } from "../node/log.ts";
import { httpRequest } from "../node/api/client.ts";
import { devChainPort, headChainArgs, startDevChain } from "./dev_chain.ts";
import { readyBanner, readyLine } from "./dev_banner.ts";

/** Time a head or worker gets to print its ready line. */
export const READY_TIMEOUT_MS = 60_000;
/** Time the workers get to connect to the head after they are ready. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** Help text of `allora dev`. */
export const HELP = `Usage: allora dev [options]

Run the project in the current folder on this machine: a local chain, a head node and
workers as separate processes on loopback, no Docker needed. Waits until the workers are
connected, prints a request to try, and streams every process's log with a prefix. Ctrl-C
stops everything.

The local chain ('allora devnet', state in data/devnet) opens a worker nonce of the project
topic every 5 seconds. The head sends one request per nonce, and each worker registers and
submits its inference from a wallet that exists for this run only, funded by the devnet.

Options:
  --workers N            number of workers (default: 1)
  --rest-api ADDR:PORT   head REST address (default: config head.rest_api, 127.0.0.1:6000)
  --port PORT            head p2p port (default: config head.port, 9010); worker ports are
                         picked free automatically
  --chain-port PORT      RPC port of the local chain; 0 picks a free one (default: the port
                         of chain.rpc when it is on 127.0.0.1, else 26657)
  --no-chain             run the head and workers only: no chain, no payloads
  --config FILE          project config (default: ./config.yaml)

Example:
  allora init --name my-worker --topic 1 --env dev && cd my-worker && allora dev --workers 3
`;

/** Parsed options of `allora dev`. */
export interface DevOptions {
  workers: number;
  restApi?: { hostname: string; port: number };
  port?: number;
  chainPort?: number;
  noChain: boolean;
  config?: string;
}

/** Parses `allora dev` arguments. */
export function parseDevOptions(argv: string[]): DevOptions {
  const { values } = parseFlags("allora dev", argv, {
    workers: { type: "string" },
    "rest-api": { type: "string" },
    port: { type: "string" },
    "chain-port": { type: "string" },
    "no-chain": { type: "boolean" },
    config: { type: "string" },
  });
  const text = (name: string) => values[name] as string | undefined;
  return {
    workers: text("workers") === undefined
      ? 1
      : parseInteger("--workers", text("workers")!, { min: 1, max: 32 }),
    restApi: text("rest-api") === undefined
      ? undefined
      : parseHostPort("--rest-api", text("rest-api")!),
    port: text("port") === undefined
      ? undefined
      : parseInteger("--port", text("port")!, { min: 0, max: 65535 }),
    chainPort: text("chain-port") === undefined
      ? undefined
      : parseInteger("--chain-port", text("chain-port")!, { min: 0, max: 65535 }),
    noChain: values["no-chain"] === true,
    config: text("config"),
  };
}

/** Runs `allora dev` until the signal aborts or a process fails. */
export async function runDev(options: DevOptions, context: Context): Promise<number> {
  const project = await loadProjectConfig(options.config);
  if (project === undefined) {
    throw new CliError(`Cannot find config.yaml in ${Deno.cwd()}`, {
      hint: "run 'allora dev' inside a project made by 'allora init --env dev', or pass --config",
    });
  }
  const root = resolve(project.path, "..");
  const config = project.config;
  const restApi = options.restApi ?? parseHostPort("head.rest_api", config.head.rest_api);
  const headPort = options.port ?? config.head.port;
  const chainPort = options.chainPort ?? devChainPort(config);
  await checkProject(root, config);
  checkPortFree("--rest-api", restApi.hostname, restApi.port);
  checkPortFree("--port", "127.0.0.1", headPort);
  if (!options.noChain) checkPortFree("--chain-port", "127.0.0.1", chainPort);

  const { io, logger } = context;
  const supervisor = new Supervisor((line) => io.err(line), logger);
  const logArgs = [
    "--log-level",
    context.global.logLevel,
    "--log-format",
    context.global.logFormat,
  ];
  try {
    const chain = options.noChain ? undefined : await startDevChain(supervisor, {
      root,
      config,
      port: chainPort,
      workers: options.workers,
      logArgs,
      readyTimeoutMs: READY_TIMEOUT_MS,
      logger,
      signal: context.signal,
    });
    const headReady = await startHead(supervisor, {
      root,
      args: [
        ...logArgs,
        "--config",
        project.path,
        "--rest-api",
        `${restApi.hostname}:${restApi.port}`,
        "--port",
        String(headPort),
        ...(chain ? headChainArgs(chain, config) : []),
      ],
    });
    const bootNode = headReady.multiaddrs?.find((address) => address.includes("/127.0.0.1/")) ??
      headReady.multiaddrs?.[0];
    if (bootNode === undefined) throw new CliError("The head did not report a listen address");

    const workers = Array.from({ length: options.workers }, (_, index) =>
      supervisor.start({
        name: options.workers === 1 ? "worker" : `worker-${index + 1}`,
        command: selfCommand([
          ...workerArgs(config, project.path, index, bootNode, logArgs),
          ...(chain ? ["--chain-rpc", chain.rpc] : ["--no-chain"]),
        ]),
        cwd: root,
        env: chain?.wallets[index].env,
        readyTimeoutMs: READY_TIMEOUT_MS,
      }));
    const workersReady = await Promise.all(workers.map((worker) => worker.ready));
    const rest = headReady.rest ?? `http://${restApi.hostname}:${restApi.port}`;
    await waitForWorkers(rest, workersReady, context.signal);
    // A Ctrl-C during the start ends here, because an abort listener added now never fires.
    if (context.signal.aborted) {
      io.err("stopping the local network\n");
      return 0;
    }

    // With --json the ready line is for programs; the banner is for people.
    if (!context.global.json) io.err(readyBanner(rest, config, workersReady, chain));
    if (context.global.json) {
      io.out(JSON.stringify(readyLine(rest, headReady, workersReady, chain)) + "\n");
    }
    const failed = await Promise.race([
      new Promise<string | undefined>((resolve) =>
        context.signal.addEventListener("abort", () => resolve(undefined), { once: true })
      ),
      ...supervisor.children.map((child) =>
        child.exited.then((status) => `${child.name} exited with code ${status.code}`)
      ),
    ]);
    if (failed !== undefined) {
      logger.error("a process stopped; stopping the others", { reason: failed });
      return 1;
    }
    io.err("stopping the local network\n");
    return 0;
  } catch (error) {
    if (error instanceof ChildStartError) {
      throw new CliError(`Cannot start the local network: ${error.message}`, {
        hint: "see the log lines above; rerun with --log-level debug for more",
      });
    }
    throw error;
  } finally {
    await supervisor.stopAll();
  }
}

async function startHead(
  supervisor: Supervisor,
  { root, args }: { root: string; args: string[] },
): Promise<ReadyEvent> {
  const head = supervisor.start({
    name: "head",
    command: selfCommand(["head", "--json", ...args]),
    cwd: root,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return await head.ready;
}

function workerArgs(
  config: Config,
  configPath: string,
  index: number,
  bootNode: string,
  logArgs: string[],
): string[] {
  // The first worker uses the project's worker identity; more workers get their own under data/.
  const keyPath = index === 0
    ? config.worker.private_key
    : join("data", `worker-${index + 1}`, "key", "priv.bin");
  const workspace = index === 0
    ? config.worker.workspace
    : join("data", `worker-${index + 1}`, "workspace");
  return [
    "worker",
    "--json",
    ...logArgs,
    "--config",
    configPath,
    "--port",
    "0",
    "--boot-nodes",
    bootNode,
    "--private-key",
    keyPath,
    "--workspace",
    workspace,
  ];
}

async function checkProject(root: string, config: Config): Promise<void> {
  const [interpreter, script] = config.inference.command;
  try {
    const status = await new Deno.Command(interpreter, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!status.success) throw new Error(`exit code ${status.code}`);
  } catch (error) {
    throw new CliError(
      `Cannot run the inference command '${interpreter}': ${describeError(error)}`,
      {
        hint: interpreter === "python3"
          ? "install Python 3 (e.g. 'apt-get install python3') or set inference.command in config.yaml"
          : "check inference.command in config.yaml",
      },
    );
  }
  if (script !== undefined && /\.py$/.test(script)) {
    try {
      await Deno.stat(resolve(root, script));
    } catch {
      throw new CliError(`Cannot find the inference script ${resolve(root, script)}`, {
        hint: "restore main.py or set inference.command in config.yaml",
      });
    }
  }
}

function checkPortFree(option: string, hostname: string, port: number): void {
  if (port === 0) return;
  try {
    const listener = Deno.listen({ hostname, port });
    listener.close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new CliError(`Cannot use port ${port} on ${hostname}: it is already taken`, {
        hint: `stop the program using it, or pick another port with ${option}`,
      });
    }
    throw new CliError(`Cannot listen on ${hostname}:${port}: ${describeError(error)}`, {
      hint: `pick another address with ${option}`,
    });
  }
}

// The head's metrics expose how many workers are connected; wait until all are, or until the
// signal aborts.
async function waitForWorkers(
  rest: string,
  workers: ReadyEvent[],
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    try {
      const text = (await httpRequest(`${rest}/metrics`, { timeoutMs: 2_000 })).body;
      const match = /^allora_head_connected_workers\s+(\d+)/m.exec(text);
      if (match && Number(match[1]) >= workers.length) return;
    } catch {
      // Not serving yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (signal.aborted) return;
  throw new CliError(`The workers did not connect to the head within ${CONNECT_TIMEOUT_MS} ms`, {
    hint: "see the worker log lines above",
  });
}

/** The `allora dev` command. */
export const command: Command = {
  name: "dev",
  summary: "run a local head and workers for the project in this folder",
  help: HELP,
  longRunning: true,
  run: (argv: string[], context: Context) => runDev(parseDevOptions(argv), context),
};
