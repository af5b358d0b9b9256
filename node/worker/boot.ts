/**
 * Keeps the worker connected to its boot nodes (normally the head). Each boot node is dialed
 * at start, again after every disconnect (a head restart), and after a failed dial with an
 * exponential backoff: 1 s doubling to 30 s, ±20 % jitter, forever.
 *
 * `@libp2p/bootstrap` dials once and never retries, which left workers disconnected for good
 * after a head restart; this dialer replaces it.
 *
 * @module
 */
import { multiaddr } from "@multiformats/multiaddr";
import type { PeerId } from "@libp2p/interface";
import type { Host } from "../p2p/host.ts";
import { DIAL_TIMEOUT_MS } from "../p2p/host.ts";
import type { Logger } from "../log.ts";
import { DIAL_BACKOFF_INITIAL_MS, DIAL_BACKOFF_JITTER, DIAL_BACKOFF_MAX_MS } from "./constants.ts";

/** A boot node address that is not a multiaddr ending in `/p2p/<peer id>`. */
export class BootNodeError extends Error {
  override name = "BootNodeError";
  readonly address: string;
  readonly reason: string;

  constructor(address: string, reason: string, options?: ErrorOptions) {
    super(`Invalid boot node ${JSON.stringify(address)}: ${reason}`, options);
    this.address = address;
    this.reason = reason;
  }
}

/** A boot node: its full multiaddr and the peer ID at its end. */
export interface BootNode {
  address: string;
  peerId: string;
}

/**
 * Parses a boot node multiaddr such as `/ip4/127.0.0.1/tcp/9010/p2p/12D3KooW…`.
 *
 * @throws {BootNodeError} when it is not a multiaddr or has no `/p2p/` peer ID
 */
export function parseBootNode(address: string): BootNode {
  let peerId: string | undefined;
  try {
    peerId = multiaddr(address.trim()).getComponents().findLast((part) => part.name === "p2p")
      ?.value;
  } catch (error) {
    throw new BootNodeError(address, "not a multiaddr", { cause: error });
  }
  if (peerId === undefined) {
    throw new BootNodeError(address, "it must end in /p2p/<peer id>");
  }
  return { address: address.trim(), peerId };
}

/**
 * Returns the delay before dial attempt `attempt + 1` after `attempt` failures: 1 s doubling up
 * to 30 s, spread by ±20 %.
 *
 * @param random a number in [0, 1), as Math.random returns
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(DIAL_BACKOFF_INITIAL_MS * 2 ** Math.min(attempt, 30), DIAL_BACKOFF_MAX_MS);
  const spread = (random() * 2 - 1) * DIAL_BACKOFF_JITTER;
  return Math.round(base * (1 + spread));
}

/** Options of {@link startBootDialer}. */
export interface BootDialerOptions {
  host: Host;
  bootNodes: readonly BootNode[];
  logger: Logger;
  /** Jitter source. @default Math.random */
  random?: () => number;
}

/** A running boot dialer. */
export interface BootDialer {
  /** Stops every dial loop and waits for them to end. */
  stop(): Promise<void>;
}

/** Starts one dial loop per boot node. */
export function startBootDialer(options: BootDialerOptions): BootDialer {
  const controller = new AbortController();
  const loops = options.bootNodes.map((node) => keepConnected(node, options, controller.signal));
  return {
    async stop() {
      controller.abort(new Error("boot dialer stopped"));
      await Promise.allSettled(loops);
    },
  };
}

async function keepConnected(
  node: BootNode,
  { host, logger, random = Math.random }: BootDialerOptions,
  signal: AbortSignal,
): Promise<void> {
  const log = logger.child({ boot_node: node.address });
  let failures = 0;
  while (!signal.aborted) {
    if (host.isConnected(node.peerId)) {
      failures = 0;
      await waitForDisconnect(host, node.peerId, signal);
      if (!signal.aborted) log.warn("boot node disconnected; re-dialing");
      continue;
    }
    try {
      await dialOnce(host, node.address, signal);
      log.info("connected to boot node", { peer: node.peerId, attempts: failures + 1 });
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      const delayMs = backoffDelayMs(failures, random);
      failures += 1;
      log.warn("cannot dial boot node; retrying", {
        attempt: failures,
        retry_in_ms: delayMs,
        error,
      });
      await sleep(delayMs, signal);
    }
  }
}

async function dialOnce(host: Host, address: string, signal: AbortSignal): Promise<PeerId> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`dial timed out after ${DIAL_TIMEOUT_MS} ms`)),
    DIAL_TIMEOUT_MS,
  );
  try {
    return await host.dial(address, { signal: AbortSignal.any([signal, timeout.signal]) });
  } finally {
    clearTimeout(timer);
  }
}

function waitForDisconnect(host: Host, peerId: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const events = host.libp2p;
    const onDisconnect = (event: CustomEvent<PeerId>) => {
      if (event.detail.toString() === peerId && !host.isConnected(peerId)) finish();
    };
    const finish = () => {
      events.removeEventListener("peer:disconnect", onDisconnect);
      signal.removeEventListener("abort", finish);
      resolve();
    };
    events.addEventListener("peer:disconnect", onDisconnect);
    signal.addEventListener("abort", finish, { once: true });
    // The peer may have gone between the caller's check and the listener being added.
    if (!host.isConnected(peerId)) finish();
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
