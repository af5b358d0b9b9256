/**
 * `allora demo`: the whole flow once, in a temporary folder: `allora init --env dev`, a local
 * network of a local chain, one head and three workers, one execute request for the chain's
 * open worker nonce, the response, the payloads read back from the chain, and a clean stop.
 *
 * @module
 */
import { join } from "node:path";
import { parseFlags, parseInteger } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { main } from "./main.ts";
import { runRequest } from "./request.ts";
import { selfCommand } from "../node/dev/self.ts";
import { ChildStartError, type ReadyEvent, Supervisor } from "../node/dev/supervisor.ts";
import { ChainClient } from "../node/chain/mod.ts";
import {
  type DevChainInfo,
  formatPayloads,
  LANDING_WAIT_MS,
  waitForOpenNonce,
  waitForPayloads,
} from "./demo_chain.ts";

/** Time the local network gets to start, workers included. */
export const DEMO_START_TIMEOUT_MS = 120_000;

/** Help text of `allora demo`. */
export const HELP = `Usage: allora demo [options]

Run the whole flow once on this machine, in a temporary folder: create a dev project
('allora init'), start a local chain, a head and workers ('allora dev'), send one inference
request for the chain's open worker nonce, print the response and the workers that agreed,
read each worker's payload back from the chain, then stop everything and remove the folder.
Needs python3; no Docker, no chain account, no network beyond loopback.

Options:
  --workers N   number of workers (default: 3)
  --no-chain    leave the local chain out: the request and its response only
  --keep        keep the temporary project folder and print its path

Exit code 0 when the request got code 200 and, with the chain, every worker's payload landed.
`;

/** Parsed options of `allora demo`. */
export interface DemoOptions {
  workers: number;
  noChain: boolean;
  keep: boolean;
}

/** Parses `allora demo` arguments. */
export function parseDemoOptions(argv: string[]): DemoOptions {
  const { values } = parseFlags("allora demo", argv, {
    workers: { type: "string" },
    "no-chain": { type: "boolean" },
    keep: { type: "boolean" },
  });
  return {
    workers: values.workers === undefined
      ? 3
      : parseInteger("--workers", values.workers as string, { min: 1, max: 16 }),
    noChain: values["no-chain"] === true,
    keep: values.keep === true,
  };
}

/**
 * Runs the demo; exit code 0 when the request got code 200 and, with the chain,
 * every worker's payload for the nonce landed.
 */
export async function runDemo(options: DemoOptions, context: Context): Promise<number> {
  const { io, logger } = context;
  const folder = await Deno.makeTempDir({ prefix: "allora-demo-" });
  const project = join(folder, "demo-worker");
  const supervisor = new Supervisor((line) => io.err(line), logger);
  const steps = options.noChain ? 4 : 6;
  let step = 0;
  const say = (text: string) => io.err(`${++step}/${steps} ${text}\n`);
  try {
    say(`creating a dev project in ${project}`);
    await createProject(project, context);

    const workers = `${options.workers} worker${options.workers === 1 ? "" : "s"}`;
    say(
      options.noChain
        ? `starting a head and ${workers}`
        : `starting a local chain, a head and ${workers}`,
    );
    const ready = await startNetwork(supervisor, project, options, context);
    const rest = String(ready.rest);
    const chain = ready.chain as DevChainInfo | undefined;
    const client = chain &&
      await ChainClient.connect({ rpc: chain.rpc }, { signal: context.signal });
    try {
      let nonce = 1n;
      if (client && chain) {
        say(`waiting for topic ${chain.topic} to open a worker nonce on ${chain.rpc}`);
        nonce = await waitForOpenNonce(client, BigInt(chain.topic), context.signal);
      }

      say(`sending an inference request for nonce ${nonce} to ${rest}`);
      const code = await runRequest({
        head: rest,
        config: join(project, "config.yaml"),
        nodes: options.workers,
        timeoutSeconds: 10,
        blockHeight: Number(nonce),
      }, context);

      let landed = true;
      if (client && chain) {
        say(`reading the workers' payloads for nonce ${nonce} back from the chain`);
        landed = await showPayloads(client, chain, nonce, context);
      }
      say("stopping the local network");
      return code === 0 && landed ? 0 : 1;
    } finally {
      client?.close();
    }
  } catch (error) {
    if (error instanceof ChildStartError) {
      throw new CliError(`Cannot run the demo: ${error.message}`, {
        hint: "see the log lines above; 'allora demo --keep' keeps the project to inspect",
      });
    }
    throw error;
  } finally {
    await supervisor.stopAll();
    if (options.keep) io.err(`project kept in ${project}\n`);
    else await Deno.remove(folder, { recursive: true }).catch(() => {});
  }
}

async function createProject(project: string, { io }: Context): Promise<void> {
  const initCode = await main(
    [
      "init",
      "--name",
      "demo-worker",
      "--topic",
      "1",
      "--env",
      "dev",
      "--dir",
      project,
      "--yes",
      "--log-level",
      "warn",
    ],
    { io: { ...io, out: () => {} } },
  );
  if (initCode !== 0) {
    throw new CliError(
      `Cannot create the demo project: 'allora init' exited with code ${initCode}`,
    );
  }
}

async function startNetwork(
  supervisor: Supervisor,
  project: string,
  options: DemoOptions,
  context: Context,
): Promise<ReadyEvent> {
  const dev = supervisor.start({
    name: "dev",
    command: selfCommand([
      "dev",
      "--json",
      "--log-level",
      context.global.logLevel === "info" ? "warn" : context.global.logLevel,
      "--workers",
      String(options.workers),
      "--rest-api",
      "127.0.0.1:0",
      "--port",
      "0",
      ...(options.noChain ? ["--no-chain"] : ["--chain-port", "0"]),
    ]),
    cwd: project,
    readyTimeoutMs: DEMO_START_TIMEOUT_MS,
  });
  return await dev.ready;
}

async function showPayloads(
  client: ChainClient,
  chain: DevChainInfo,
  nonce: bigint,
  { io, signal }: Context,
): Promise<boolean> {
  const inferences = await waitForPayloads(
    client,
    BigInt(chain.topic),
    chain.addresses,
    nonce,
    signal,
  );
  io.out(`payloads on chain ${chain.chain_id}, topic ${chain.topic}:\n`);
  io.out(formatPayloads(chain.addresses, inferences));
  const missing = inferences.filter((inference) => inference === undefined).length;
  if (missing > 0) {
    io.err(
      `${missing} of ${chain.addresses.length} payloads did not land within ${LANDING_WAIT_MS} ms; see the worker log lines above\n`,
    );
  }
  return missing === 0;
}

/** The `allora demo` command. */
export const command: Command = {
  name: "demo",
  summary: "run the whole flow once in a temporary folder",
  help: HELP,
  longRunning: true,
  run: (argv: string[], context: Context) => runDemo(parseDemoOptions(argv), context),
};
