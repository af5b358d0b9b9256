/**
 * An in-memory {@link HeadNetwork} for head unit tests: it records publications and sends,
 * and lets a test script workers that reply, stay silent, fail or disconnect.
 *
 * @module
 */
import type { HeadNetwork, Origin } from "../node/head/network.ts";
import type { Message, MsgExecute, MsgExecuteResponse, MsgRollCall } from "../node/p2p/messages.ts";

/** Behaviour of one fake worker. */
export interface FakeWorker {
  /** Reply to roll calls. @default true */
  acceptRollCall?: boolean;
  /** The reply to an execute, or undefined for no reply. */
  execute?: (message: MsgExecute, peer: string) => MsgExecuteResponse | undefined;
  /** Make the execute send fail. */
  failSend?: boolean;
  /** Disconnect when the execute arrives. */
  disconnectOnExecute?: boolean;
}

/** A fake network with scripted workers subscribed to every topic. */
export class FakeNetwork implements HeadNetwork {
  readonly peerId = "12D3KooWFakeHead";
  readonly published: Array<{ topic: string; message: Message }> = [];
  readonly sent: Array<{ peer: string; message: Message }> = [];
  readonly workers = new Map<string, FakeWorker>();
  readonly connected = new Set<string>();
  readonly #listeners = new Set<(message: Message, origin: Origin) => void>();
  readonly #disconnectListeners = new Set<(peer: string) => void>();

  /** Adds a connected worker. */
  addWorker(peer: string, worker: FakeWorker = {}): void {
    this.workers.set(peer, worker);
    this.connected.add(peer);
  }

  /** Delivers `message` from `peer` to the head, as if received on a direct stream. */
  deliver(message: Message, peer: string): void {
    for (const listener of this.#listeners) listener(message, { peer });
  }

  /** Drops the connection to `peer`. */
  disconnect(peer: string): void {
    this.connected.delete(peer);
    for (const listener of this.#disconnectListeners) listener(peer);
  }

  multiaddrs(): string[] {
    return [`/ip4/127.0.0.1/tcp/1/p2p/${this.peerId}`];
  }

  send(peer: string, message: Message): Promise<void> {
    const worker = this.workers.get(peer);
    if (worker?.failSend || !this.connected.has(peer)) {
      return Promise.reject(new Error(`cannot dial ${peer}`));
    }
    this.sent.push({ peer, message });
    if (message.type === "MsgExecute" && worker) {
      setTimeout(() => {
        if (worker.disconnectOnExecute) return this.disconnect(peer);
        const reply = worker.execute?.(message, peer);
        if (reply) this.deliver(reply, peer);
      }, 0);
    }
    return Promise.resolve();
  }

  publish(topic: string, message: Message): Promise<number> {
    this.published.push({ topic, message });
    if (message.type === "MsgRollCall") this.#answerRollCall(message);
    return Promise.resolve(this.workers.size);
  }

  subscribe(): void {}

  waitForSubscribers(): Promise<boolean> {
    return Promise.resolve(this.workers.size > 0);
  }

  isConnected(peer: string): boolean {
    return this.connected.has(peer);
  }

  connectedPeerCount(): number {
    return this.connected.size;
  }

  onMessage(listener: (message: Message, origin: Origin) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onPeerDisconnect(listener: (peer: string) => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  #answerRollCall(message: MsgRollCall): void {
    for (const [peer, worker] of this.workers) {
      if (worker.acceptRollCall === false) continue;
      setTimeout(() =>
        this.deliver({
          type: "MsgRollCallResponse",
          code: "202",
          function_id: message.function_id,
          request_id: message.request_id,
        }, peer), 0);
    }
  }
}

/** An execute handler that returns `stdout` with exit code 0. */
export function answerWith(stdout: string): FakeWorker["execute"] {
  return (message, peer) => ({
    type: "MsgExecuteResponse",
    request_id: message.request_id,
    code: "200",
    results: {
      [peer]: {
        code: "200",
        result: { stdout, stderr: "", exit_code: 0 },
        request_id: message.request_id,
        usage: {},
      },
    },
  });
}
