/**
 * The running `allora head`: identity, libp2p host, head node and REST server, started in that
 * order and stopped in reverse on the context signal.
 *
 * @module
 */
import "../node/shim.ts";
import { join } from "node:path";
import type { PrivateKey } from "@libp2p/interface";
import { createHost, type Host } from "../node/p2p/host.ts";
import { IdentityError, loadOrCreateIdentity } from "../node/p2p/identity.ts";
import {
  INBOUND_CONNECTIONS_PER_SECOND,
  MAX_CONNECTIONS,
  MAX_PENDING_INBOUND_CONNECTIONS,
} from "../node/head/constants.ts";
import { HeadNode } from "../node/head/node.ts";
import { networkFromHost } from "../node/head/network.ts";
import { planExecution } from "../node/head/job.ts";
import { ClientScheduleChain } from "../node/head/schedule_chain.ts";
import { NonceScheduler } from "../node/head/scheduler.ts";
import type { ExecutionLimits } from "../node/head/types.ts";
import { NonceRecord } from "../node/nonce_record.ts";
import { createApi } from "../node/api/app.ts";
import { type ApiServer, serveApi } from "../node/api/server.ts";
import type { Context } from "./command.ts";
import { CliError } from "./errors.ts";
import type { HeadOptions } from "./head_options.ts";

/** File in the head workspace that records the worker nonces already scheduled. */
export const SCHEDULE_RECORD_FILE = "schedule.json";

/** Starts the head, serves until the context signal fires, then shuts down. */
export async function runHead(options: HeadOptions, context: Context): Promise<number> {
  const { logger, io, signal } = context;
  await Deno.mkdir(options.workspace, { recursive: true });
  const identity = await loadIdentityOrFail(options.privateKey);
  if (identity.created) {
    logger.info("created identity", { path: options.privateKey, peer_id: identity.peerId });
  }

  const host = await startHost(options, identity.privateKey, context);
  const network = networkFromHost(host);
  const head = new HeadNode({
    network,
    logger,
    executionTimeoutMs: options.executionTimeoutMs,
    resultTtlMs: options.resultTtlMs,
  });
  const limits = { maxNodes: options.maxNodes, maxRollCallTimeoutMs: options.maxRollCallTimeoutMs };
  const app = createApi(head, {
    limits,
    manifestUrlTemplate: options.gateway,
    logger,
  });
  let server: ApiServer;
  try {
    server = serveApi(app, { ...options.restApi, logger });
  } catch (error) {
    head.close();
    await host.stop();
    const address = `${options.restApi.hostname}:${options.restApi.port}`;
    throw new CliError(
      `Cannot listen on ${address} for the REST API: ${(error as Error).message}`,
      {
        hint: "pick another address with --rest-api, or port 0 for a free one",
        cause: error,
      },
    );
  }

  const multiaddrs = host.multiaddrs();
  logger.info("head node started", { peer_id: head.peerId, multiaddrs, rest: server.url });
  if (context.global.json) {
    io.out(
      JSON.stringify({ event: "ready", peer_id: head.peerId, multiaddrs, rest: server.url }) +
        "\n",
    );
  }

  const scheduler = await startScheduler(options, head, limits, context);

  await aborted(signal);
  logger.info("stopping head node", { reason: String(signal.reason?.message ?? signal.reason) });
  // The scheduler stops polling at once, and closing the head ends its requests in flight.
  const schedulerStopped = scheduler?.stop();
  head.close();
  await schedulerStopped;
  await server.shutdown();
  await host.stop();
  logger.info("head node stopped");
  return 0;
}

/** Starts the nonce scheduler when topics are scheduled; it stops itself on `stop()`. */
async function startScheduler(
  options: HeadOptions,
  head: HeadNode,
  limits: ExecutionLimits,
  { logger }: Context,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (options.schedule.length === 0) return undefined;
  const chain = new ClientScheduleChain({
    rpc: options.chain.rpc,
    emissionsVersion: options.chain.emissionsVersion,
    logger,
  });
  const scheduler = new NonceScheduler({
    topics: options.schedule,
    chain,
    // The REST execute path: the same validation, roll call, execution and aggregation.
    execute: (body) => head.execute(planExecution(body, limits)),
    record: await NonceRecord.open(join(options.workspace, SCHEDULE_RECORD_FILE), { logger }),
    functionId: options.function.id,
    method: options.function.method,
    intervalMs: options.scheduleIntervalMs,
    logger,
  });
  scheduler.start();
  return {
    async stop() {
      await scheduler.stop();
      chain.close();
    },
  };
}

async function loadIdentityOrFail(path: string) {
  try {
    return await loadOrCreateIdentity(path);
  } catch (error) {
    if (error instanceof IdentityError) {
      throw new CliError(error.message, {
        hint: "pass --private-key with a valid priv.bin, or a new path to create one",
        cause: error,
      });
    }
    throw error;
  }
}

async function startHost(
  options: HeadOptions,
  privateKey: PrivateKey,
  { logger }: Context,
): Promise<Host> {
  const family = options.address.includes(":") ? "ip6" : "ip4";
  const listen = `/${family}/${options.address}/tcp/${options.port}`;
  let host: Host;
  try {
    host = await createHost({
      privateKey,
      listen: [listen],
      announce: options.announce.length > 0 ? options.announce : undefined,
      connectionLimits: {
        maxConnections: MAX_CONNECTIONS,
        inboundConnectionsPerSecond: INBOUND_CONNECTIONS_PER_SECOND,
        maxPendingInbound: MAX_PENDING_INBOUND_CONNECTIONS,
      },
      logger,
    });
  } catch (error) {
    throw new CliError(`Cannot start libp2p on ${listen}: ${(error as Error).message}`, {
      hint: "pick another port with --port, or 0 for a free one",
      cause: error,
    });
  }
  for (const topic of options.topics) host.subscribe(topic);
  return host;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
