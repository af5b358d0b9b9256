/**
 * A scripted head for worker tests: a real libp2p host that publishes roll calls, sends
 * direct messages and collects what workers send back.
 *
 * @module
 */
import type { PrivateKey } from "@libp2p/interface";
import { createHost, type Host, type MessageSource } from "../node/p2p/host.ts";
import { generateIdentity } from "../node/p2p/identity.ts";
import type { AttributesRequirement, Message, MsgExecute } from "../node/p2p/messages.ts";

/** A message a worker sent to the head, with its sender. */
export interface Received {
  message: Message;
  from: string;
}

/** Options of {@link startScriptedHead}. */
export interface ScriptedHeadOptions {
  privateKey?: PrivateKey;
  /** @default "/ip4/127.0.0.1/tcp/0" */
  listen?: string;
}

/** A scripted head; see {@link startScriptedHead}. */
export interface ScriptedHead {
  readonly host: Host;
  readonly privateKey: PrivateKey;
  /** The head's multiaddr with `/p2p/<id>`, for `--boot-nodes`. */
  readonly address: string;
  readonly received: Received[];
  /** Publishes a roll call on `topic` once it has a subscriber; returns the request id. */
  rollCall(topic: string, options?: RollCallOptions): Promise<string>;
  /** Sends a `MsgExecute` to `peer`. */
  execute(peer: string, fields: Partial<MsgExecute> & { request_id: string }): Promise<void>;
  /** Waits for a received message matching `predicate`, failing after `timeoutMs`. */
  waitFor(predicate: (received: Received) => boolean, timeoutMs?: number): Promise<Received>;
  stop(): Promise<void>;
}

/** Fields of a roll call. */
export interface RollCallOptions {
  functionId?: string;
  requestId?: string;
  consensus?: 0 | 1 | 2;
  attributes?: AttributesRequirement;
}

/** Starts a scripted head on loopback. */
export async function startScriptedHead(options: ScriptedHeadOptions = {}): Promise<ScriptedHead> {
  const privateKey = options.privateKey ?? (await generateIdentity()).privateKey;
  const host = await createHost({
    privateKey,
    listen: [options.listen ?? "/ip4/127.0.0.1/tcp/0"],
  });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  host.onMessage((message: Message, source: MessageSource) => {
    received.push({ message, from: source.peer.toString() });
    for (const wake of waiters) wake();
  });

  return {
    host,
    privateKey,
    address: host.multiaddrs()[0],
    received,
    async rollCall(topic, rollCallOptions = {}) {
      const requestId = rollCallOptions.requestId ?? crypto.randomUUID();
      const ready = await host.waitForSubscribers(topic, { timeoutMs: 30_000 });
      if (!ready) throw new Error(`no worker subscribed to ${topic} within 30 s`);
      await host.publish(topic, {
        type: "MsgRollCall",
        origin: host.peerId.toString(),
        function_id: rollCallOptions.functionId ?? "bafyfunction",
        request_id: requestId,
        consensus: rollCallOptions.consensus ?? 0,
        attributes: rollCallOptions.attributes,
      });
      return requestId;
    },
    execute: (peer, fields) =>
      host.send(peer, {
        type: "MsgExecute",
        function_id: "bafyfunction",
        method: "function.wasm",
        config: {},
        timestamp: new Date().toISOString(),
        ...fields,
      }),
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = received.find(predicate);
          if (match === undefined) return;
          finish();
          resolve(match);
        };
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; received: ${
                JSON.stringify(received.map((entry) => entry.message))
              }`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => host.stop(),
  };
}

/** Waits until `condition` holds, polling every `intervalMs`, failing after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  description: string,
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
