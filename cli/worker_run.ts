/**
 * The running `allora worker`: identity, chain session (with a wallet), services, local
 * functions, libp2p host and worker node, started in that order and stopped in reverse on the
 * context signal.
 *
 * @module
 */
import "../node/shim.ts";
import { isIP } from "node:net";
import type { PrivateKey } from "@libp2p/interface";
import type { Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { IdentityError, loadOrCreateIdentity } from "../node/p2p/identity.ts";
import { createHost, type Host } from "../node/p2p/host.ts";
import { startWorkerNode } from "../node/worker/node.ts";
import type { Installer } from "../node/worker/ports.ts";
import type { WorkerSettings } from "./worker_options.ts";
import { type CreateWorkerServices, createWorkerServices } from "./worker_services.ts";
import { startWorkerChain, type WorkerChain } from "./worker_chain.ts";

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

  const chain = await startWorkerChain(settings, context);
  try {
    await serve(settings, identity.privateKey, context, createServices, chain);
  } finally {
    await chain?.close();
  }
  return 0;
}

async function serve(
  settings: WorkerSettings,
  privateKey: PrivateKey,
  context: Context,
  createServices: CreateWorkerServices,
  chain: WorkerChain | undefined,
): Promise<void> {
  const services = await createServices(settings, context.logger);
  try {
    const functions = await installLocalFunctions(settings, services.installer, context);
    const host = await listen(settings, privateKey, context);
    const node = startWorkerNode({
      host,
      executor: services.executor,
      installer: services.installer,
      topics: settings.topics,
      bootNodes: settings.bootNodes,
      concurrency: settings.concurrency,
      attributes: settings.attributes,
      limits: { timeoutMs: settings.executionTimeoutMs },
      payloads: chain?.submitter,
      logger: context.logger,
    });
    printReady(context, {
      peerId: node.peerId,
      multiaddrs: node.multiaddrs(),
      functions,
      address: chain?.account.address,
    });

    await aborted(context.signal);
    // The node stops first, so the last results reach the submitter before it closes.
    await node.stop();
  } finally {
    await services.close();
  }
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
  ready: { peerId: string; multiaddrs: string[]; functions: string[]; address?: string },
): void {
  if (context.global.json) {
    context.io.out(
      JSON.stringify({
        event: "ready",
        peer_id: ready.peerId,
        multiaddrs: ready.multiaddrs,
        functions: ready.functions,
        ...(ready.address !== undefined && { address: ready.address }),
      }) + "\n",
    );
    return;
  }
  context.io.out(`worker ${ready.peerId} ready\n`);
  for (const address of ready.multiaddrs) context.io.out(`  listening on ${address}\n`);
  if (ready.address !== undefined) context.io.out(`  chain account ${ready.address}\n`);
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
