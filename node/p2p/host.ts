/**
 * The libp2p host shared by head and worker: TCP, noise, yamux, identify and gossipsub
 * (StrictSign, flood publishing), plus the b7s direct-message protocol with its raw framing:
 * one compact JSON object per stream, no length prefix, replies on a new stream.
 *
 * Import `../shim.ts` before this module in any entry point (see that module for why).
 *
 * @module
 */
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@libp2p/noise";
import { yamux } from "@libp2p/yamux";
import { identify } from "@libp2p/identify";
import { gossipsub } from "@libp2p/gossipsub";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Connection, PeerId, PrivateKey, Stream } from "@libp2p/interface";
import { multiaddr } from "@multiformats/multiaddr";
import { type Logger, silentLogger } from "../log.ts";
import {
  decodeMessage,
  encodeMessage,
  GENERAL_TOPIC,
  type Message,
  WORK_PROTOCOL,
} from "./messages.ts";

/** Largest direct message accepted; larger streams are reset. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Time allowed to read one direct message. */
export const READ_TIMEOUT_MS = 10_000;
/** Time allowed to dial a peer that is not connected. */
export const DIAL_TIMEOUT_MS = 5_000;

/** The sender and topic of a received message. */
export interface MessageSource {
  /** The authenticated remote peer (direct) or the signed author (pubsub). */
  peer: PeerId;
  /** The gossip topic, for pubsub messages. */
  topic?: string;
}

/** Receives every decoded message, direct or pubsub. */
export type MessageListener = (message: Message, source: MessageSource) => void;

/** Options of {@link createHost}. */
export interface HostOptions {
  privateKey: PrivateKey;
  /** Listen multiaddrs. @default ["/ip4/127.0.0.1/tcp/0"] */
  listen?: string[];
  /** Announce multiaddrs; replace the listen addresses in what peers learn. */
  announce?: string[];
  /**
   * Connection limits. The libp2p defaults accept 5 inbound connections per second per IP
   * and 10 pending upgrades, too few for a head that many local workers dial at once.
   */
  connectionLimits?: {
    maxConnections?: number;
    inboundConnectionsPerSecond?: number;
    maxPendingInbound?: number;
  };
  logger?: Logger;
}

/** A started libp2p node speaking the b7s protocol. */
export interface Host {
  readonly libp2p: Libp2p;
  readonly peerId: PeerId;
  /** Listen addresses with the `/p2p/<id>` suffix. */
  multiaddrs(): string[];
  /** Adds a listener for every incoming message; returns a function that removes it. */
  onMessage(listener: MessageListener): () => void;
  /** Sends one message to `peer` on a new `/b7s/work/1.0.0` stream. */
  send(peer: PeerId | string, message: Message, options?: { signal?: AbortSignal }): Promise<void>;
  /** Publishes a message on a gossip topic, whether or not this node subscribes to it. */
  publish(topic: string, message: Message): Promise<number>;
  subscribe(topic: string): void;
  /** Peers known to subscribe to `topic`. */
  subscribers(topic: string): PeerId[];
  /** Resolves once `topic` has at least one known subscriber; false when the wait ends first. */
  waitForSubscribers(
    topic: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<boolean>;
  /** Dials a full multiaddr ending in `/p2p/<id>`. */
  dial(address: string, options?: { signal?: AbortSignal }): Promise<PeerId>;
  isConnected(peer: PeerId | string): boolean;
  connectedPeers(): PeerId[];
  stop(): Promise<void>;
}

/** Creates, starts and subscribes a host to the general topic. */
export async function createHost(options: HostOptions): Promise<Host> {
  const {
    privateKey,
    listen = ["/ip4/127.0.0.1/tcp/0"],
    announce,
    connectionLimits = {},
    logger = silentLogger,
  } = options;
  const libp2p = await createLibp2p({
    start: false,
    privateKey,
    addresses: { listen, announce: announce ?? [] },
    connectionManager: {
      maxConnections: connectionLimits.maxConnections,
      inboundConnectionThreshold: connectionLimits.inboundConnectionsPerSecond,
      maxIncomingPendingConnections: connectionLimits.maxPendingInbound,
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false }),
    },
  });
  const listeners = new Set<MessageListener>();
  const dispatch = (message: Message, source: MessageSource) => {
    for (const listener of listeners) {
      try {
        listener(message, source);
      } catch (error) {
        logger.error("message handler failed", { type: message.type, peer: source.peer, error });
      }
    }
  };

  await libp2p.handle(WORK_PROTOCOL, (stream: Stream, connection: Connection) => {
    readMessage(stream).then(
      (message) => dispatch(message, { peer: connection.remotePeer }),
      (error) => {
        logger.warn("rejected direct message", { peer: connection.remotePeer, error });
        stream.abort(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

  const pubsub = libp2p.services.pubsub;
  pubsub.addEventListener("message", (event) => {
    const detail = event.detail;
    if (detail.type !== "signed" || detail.from.equals(libp2p.peerId)) return;
    let message: Message;
    try {
      message = decodeMessage(detail.data);
    } catch (error) {
      logger.debug("ignored pubsub message", { topic: detail.topic, peer: detail.from, error });
      return;
    }
    dispatch(message, { peer: detail.from, topic: detail.topic });
  });

  await libp2p.start();
  pubsub.subscribe(GENERAL_TOPIC);

  const toPeerId = (peer: PeerId | string) =>
    typeof peer === "string" ? peerIdFromString(peer) : peer;

  return {
    libp2p,
    peerId: libp2p.peerId,
    multiaddrs: () => libp2p.getMultiaddrs().map((address) => address.toString()),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async send(peer, message, sendOptions = {}) {
      const signal = withTimeout(DIAL_TIMEOUT_MS, sendOptions.signal);
      try {
        const stream = await libp2p.dialProtocol(toPeerId(peer), WORK_PROTOCOL, {
          signal: signal.signal,
        });
        if (!stream.send(encodeMessage(message))) await stream.onDrain({ signal: signal.signal });
        await stream.close({ signal: signal.signal });
      } finally {
        signal.clear();
      }
    },
    async publish(topic, message) {
      const result = await pubsub.publish(topic, encodeMessage(message));
      return result.recipients.length;
    },
    subscribe: (topic) => pubsub.subscribe(topic),
    subscribers: (topic) => pubsub.getSubscribers(topic),
    waitForSubscribers(topic, { timeoutMs, signal }) {
      if (pubsub.getSubscribers(topic).length > 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const started = Date.now();
        const timer = setInterval(() => {
          if (pubsub.getSubscribers(topic).length > 0) finish(true);
          else if (Date.now() - started >= timeoutMs || signal?.aborted) finish(false);
        }, 20);
        const finish = (value: boolean) => {
          clearInterval(timer);
          resolve(value);
        };
      });
    },
    async dial(address, dialOptions = {}) {
      const target = multiaddr(address);
      const connection = await libp2p.dial(target, { signal: dialOptions.signal });
      return connection.remotePeer;
    },
    isConnected: (peer) => libp2p.getConnections(toPeerId(peer)).length > 0,
    connectedPeers: () => libp2p.getPeers(),
    stop: async () => {
      await libp2p.stop();
    },
  };
}

/** Reads a whole stream (to the remote's close), enforcing the size cap and read deadline. */
async function readMessage(stream: Stream): Promise<Message> {
  const timer = setTimeout(() => stream.abort(new Error("read timed out")), READ_TIMEOUT_MS);
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
      size += bytes.length;
      if (size > MAX_MESSAGE_BYTES) {
        throw new Error(`message exceeds ${MAX_MESSAGE_BYTES} bytes`);
      }
      chunks.push(bytes);
    }
    const all = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    // Go readers stop at the first newline; compact JSON has none, so trim a trailing one.
    const end = all.indexOf(0x0a);
    const message = decodeMessage(end === -1 ? all : all.subarray(0, end));
    await stream.close().catch(() => {});
    return message;
  } finally {
    clearTimeout(timer);
  }
}

// A timeout signal that can be cleared, because in Deno a pending AbortSignal.timeout keeps the
// process alive until it fires.
function withTimeout(ms: number, parent?: AbortSignal): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${ms} ms`)), ms);
  const onAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
}
