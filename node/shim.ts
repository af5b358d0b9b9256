/**
 * Process-wide fixes that must run before any libp2p module is imported. Import this module
 * first in every entry point that starts a libp2p node.
 *
 * `mortice` (the libp2p peer-store lock) opens a global BroadcastChannel and calls `unref()`
 * on it. Deno's web BroadcastChannel has no `unref`, so the channel keeps the event loop alive
 * and the process never exits after `node.stop()`. Node's implementation has `unref`.
 *
 * @module
 */
import { BroadcastChannel as NodeBroadcastChannel } from "node:worker_threads";

// deno-lint-ignore no-explicit-any
(globalThis as any).BroadcastChannel = NodeBroadcastChannel;
