/**
 * Routes replies to the request waiting for them: roll-call and execute responses by
 * `request_id`, install acknowledgements to every pending install. Many requests run at once
 * and see only their own replies.
 *
 * @module
 */
import type { Message } from "../p2p/messages.ts";

type ReplyType = "MsgRollCallResponse" | "MsgExecuteResponse" | "MsgInstallFunctionResponse";
type Reply<T extends ReplyType> = Extract<Message, { type: T }>;
type Handler = (message: Message, peer: string) => void;

/** A registry of handlers keyed by reply type and request id. */
export class Inbox {
  readonly #handlers = new Map<string, Set<Handler>>();

  /**
   * Calls `handler` for each `type` reply with `requestId`; install acknowledgements carry no
   * request id and use the key "". Returns a function that removes the handler.
   */
  expect<T extends ReplyType>(
    type: T,
    requestId: string,
    handler: (message: Reply<T>, peer: string) => void,
  ): () => void {
    const key = keyOf(type, requestId);
    let set = this.#handlers.get(key);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(key, set);
    }
    const entry = handler as Handler;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#handlers.get(key) === set) this.#handlers.delete(key);
    };
  }

  /** Hands `message` to its handlers; returns false when nobody waits for it. */
  deliver(message: Message, peer: string): boolean {
    let requestId: string;
    switch (message.type) {
      case "MsgRollCallResponse":
      case "MsgExecuteResponse":
        requestId = message.request_id ?? "";
        break;
      case "MsgInstallFunctionResponse":
        requestId = "";
        break;
      default:
        return false;
    }
    const set = this.#handlers.get(keyOf(message.type, requestId));
    if (set === undefined) return false;
    for (const handler of [...set]) handler(message, peer);
    return true;
  }

  /** Number of registered keys, for leak checks in tests. */
  get size(): number {
    return this.#handlers.size;
  }
}

function keyOf(type: ReplyType, requestId: string): string {
  return `${type} ${requestId}`;
}
