/**
 * The slice of the libp2p host the head uses, with peers as base58 strings, so the head can be
 * driven by a real {@link Host} or by a stub in tests.
 *
 * @module
 */
import type { Host } from "../p2p/host.ts";
import type { Message } from "../p2p/messages.ts";

/** Where a received message came from. */
export interface Origin {
  /** The authenticated remote peer (direct) or the signed author (pubsub). */
  peer: string;
  /** The gossip topic, for pubsub messages. */
  topic?: string;
}

/** What the head needs from the p2p layer. */
export interface HeadNetwork {
  readonly peerId: string;
  multiaddrs(): string[];
  /** Sends one message on a new `/b7s/work/1.0.0` stream. */
  send(peer: string, message: Message, options?: { signal?: AbortSignal }): Promise<void>;
  /** Publishes on a gossip topic; resolves to the number of peers it was sent to. */
  publish(topic: string, message: Message): Promise<number>;
  subscribe(topic: string): void;
  /** Resolves true once `topic` has a known subscriber, false when the wait ends first. */
  waitForSubscribers(
    topic: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<boolean>;
  isConnected(peer: string): boolean;
  connectedPeerCount(): number;
  /** Adds a listener for every incoming message; returns a function that removes it. */
  onMessage(listener: (message: Message, origin: Origin) => void): () => void;
  /** Adds a listener called when the last connection to a peer closes. */
  onPeerDisconnect(listener: (peer: string) => void): () => void;
  stop(): Promise<void>;
}

/** Adapts a started {@link Host} to {@link HeadNetwork}. */
export function networkFromHost(host: Host): HeadNetwork {
  return {
    peerId: host.peerId.toString(),
    multiaddrs: () => host.multiaddrs(),
    send: (peer, message, options) => host.send(peer, message, options),
    publish: (topic, message) => host.publish(topic, message),
    subscribe: (topic) => host.subscribe(topic),
    waitForSubscribers: (topic, options) => host.waitForSubscribers(topic, options),
    isConnected: (peer) => host.isConnected(peer),
    connectedPeerCount: () => host.connectedPeers().length,
    onMessage(listener) {
      return host.onMessage((message, source) =>
        listener(message, { peer: source.peer.toString(), topic: source.topic })
      );
    },
    onPeerDisconnect(listener) {
      const handler = (event: CustomEvent<{ toString(): string }>) =>
        listener(event.detail.toString());
      host.libp2p.addEventListener("peer:disconnect", handler);
      return () => host.libp2p.removeEventListener("peer:disconnect", handler);
    },
    stop: () => host.stop(),
  };
}
