/**
 * `allora worker`: run a worker node that executes the node function.
 *
 * @module
 */
import "../node/shim.ts";
import { isIP } from "node:net";
import type { Command, Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { IdentityError, loadOrCreateIdentity } from "../node/p2p/identity.ts";
import { createHost, type Host } from "../node/p2p/host.ts";
import { startWorkerNode } from "../node/worker/node.ts";
import type { Installer } from "../node/worker/ports.ts";
import type { PrivateKey } from "@libp2p/interface";
import {
  BOOT_NODES_ENV,
  loadWorkerConfig,
  parseWorkerFlags,
  resolveWorkerSettings,
  type WorkerSettings,
} from "./worker_options.ts";
import { type CreateWorkerServices, createWorkerServices } from "./worker_services.ts";

/** Help text of `allora worker`. */
export const HELP = `Usage: allora worker [options]

Run a worker node: join the head's topics, answer roll calls while an execution slot is free,
run the node function for each execute request and send the result back.

Options:
  --boot-nodes LIST        boot node multiaddrs ending in /p2p/<peer id>, comma-separated or
                           repeated; re-dialed after every disconnect (env: ${BOOT_NODES_ENV})
  --topic TOPIC            topic to serve: N means allora-topic-N-worker, a full topic name is
                           used as is; comma-separated or repeated (default: the project topic)
  --address HOST           listen address of the libp2p TCP transport (default: 127.0.0.1)
  --port PORT              libp2p TCP port, 0 for any free port (default: 9011)
  --announce MULTIADDR     address to advertise instead of the listen address; repeatable
  --private-key FILE       libp2p key (priv.bin), created on first start
                           (default: keys/worker/priv.bin)
  --workspace DIR          where installed functions are kept (default: data/worker)
  --concurrency N          executions at once; roll calls go unanswered while all slots are
                           taken (default: the number of CPUs)
  --gateway URL-TEMPLATE   manifest URL with {cid}
                           (default: https://{cid}.ipfs.w3s.link/manifest.json)
  --function DIR|FILE      install a local function at start, registered under its CID
                           (development); repeatable
  --extensions DIR         folder of external CGI extensions
  --inference-command CMD  command of the built-in inference extension, split on spaces
                           (default: python3 main.py)
  --project DIR            working folder of the inference command (default: the folder of
                           the config file, or the current folder)
  --http-allow LIST        URL prefixes functions may reach over host HTTP; comma-separated
                           or repeated (default: none)
  --execution-timeout DUR  wall-clock limit of one execution, e.g. 10s or 500ms (default: 10s)
  --config FILE            project config (default: config.yaml in the current folder, if any)

With --json, a line {"event":"ready","peer_id":…,"multiaddrs":[…]} is printed on stdout once the
worker listens. SIGINT or SIGTERM fails running executions and stops the worker.

Example:
  allora worker --boot-nodes /ip4/127.0.0.1/tcp/9010/p2p/12D3KooW… --topic 1
`;

/** The `allora worker` command. */
export const command: Command = {
  name: "worker",
  summary: "run a worker node that executes the node function",
  help: HELP,
  longRunning: true,
  run: async (argv, context) => {
    const flags = parseWorkerFlags(argv);
    const cwd = Deno.cwd();
    const file = await loadWorkerConfig(flags, cwd);
    const settings = resolveWorkerSettings(flags, {
      env: context.io.env,
      file,
      cwd,
      cpuCount: navigator.hardwareConcurrency,
    });
    return await runWorker(settings, context);
  },
};

/**
 * Runs a worker until `context.signal` aborts, then stops it and returns exit code 0.
 *
 * @throws {CliError} when the identity cannot be loaded, a local function cannot be installed
 *   or the port cannot be opened
 */
export async function runWorker(
  settings: WorkerSettings,
  context: Context,
  createServices: CreateWorkerServices = createWorkerServices,
): Promise<number> {
  const { logger } = context;
  const identity = await loadIdentity(settings.privateKeyPath);
  if (identity.created) {
    logger.info("created worker identity", {
      path: settings.privateKeyPath,
      peer_id: identity.peerId,
    });
  }

  const services = await createServices(settings, logger);
  try {
    const functions = await installLocalFunctions(settings, services.installer, context);
    const host = await listen(settings, identity.privateKey, context);
    const node = startWorkerNode({
      host,
      executor: services.executor,
      installer: services.installer,
      topics: settings.topics,
      bootNodes: settings.bootNodes,
      concurrency: settings.concurrency,
      attributes: settings.attributes,
      limits: { timeoutMs: settings.executionTimeoutMs },
      logger,
    });
    printReady(context, { peerId: node.peerId, multiaddrs: node.multiaddrs(), functions });

    await aborted(context.signal);
    await node.stop();
  } finally {
    await services.close();
  }
  return 0;
}

async function loadIdentity(path: string) {
  try {
    return await loadOrCreateIdentity(path);
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    throw new CliError(error.message, {
      cause: error,
      hint: "point --private-key at a priv.bin written by 'allora keys' or allora-keys",
    });
  }
}

async function installLocalFunctions(
  settings: WorkerSettings,
  installer: Installer,
  context: Context,
): Promise<string[]> {
  const cids: string[] = [];
  for (const path of settings.functionPaths) {
    try {
      const installed = await installer.install({ path });
      context.logger.info("installed local function", { cid: installed.cid, path });
      cids.push(installed.cid);
    } catch (error) {
      throw new CliError(`Cannot install function from ${path}`, {
        cause: error,
        hint: "--function takes a folder with manifest.json or a function archive",
      });
    }
  }
  return cids;
}

async function listen(
  settings: WorkerSettings,
  privateKey: PrivateKey,
  context: Context,
): Promise<Host> {
  const family = isIP(settings.address) === 6 ? "ip6" : "ip4";
  const address = `/${family}/${settings.address}/tcp/${settings.port}`;
  try {
    return await createHost({
      privateKey,
      listen: [address],
      announce: settings.announce.length > 0 ? settings.announce : undefined,
      logger: context.logger,
    });
  } catch (error) {
    throw new CliError(`Cannot listen on ${address}`, {
      cause: error,
      hint: "choose a free port with --port, or --port 0 for any free port",
    });
  }
}

function printReady(
  context: Context,
  ready: { peerId: string; multiaddrs: string[]; functions: string[] },
): void {
  if (context.global.json) {
    context.io.out(
      JSON.stringify({
        event: "ready",
        peer_id: ready.peerId,
        multiaddrs: ready.multiaddrs,
        functions: ready.functions,
      }) + "\n",
    );
    return;
  }
  context.io.out(`worker ${ready.peerId} ready\n`);
  for (const address of ready.multiaddrs) context.io.out(`  listening on ${address}\n`);
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
