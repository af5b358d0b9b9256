/**
 * State and services shared by the message handlers of a worker: its ports, slots, settings and
 * a way to reply.
 *
 * @module
 */
import type { PeerId } from "@libp2p/interface";
import type { Logger } from "../log.ts";
import type { Message } from "../p2p/messages.ts";
import type { Executor, Installer } from "./ports.ts";
import type { ExecutionSlots } from "./slots.ts";
import type { PayloadSink } from "./submission.ts";

/** Limits the worker applies to every execution. */
export interface ExecutionLimits {
  /** Wall-clock limit of one execution. */
  timeoutMs: number;
  /** Linear-memory cap in 64 KiB pages; `limited_memory` in a request may only lower it. */
  maxMemoryPages: number;
  /** How long an execute without a reservation waits for a free slot. */
  slotWaitMs: number;
}

/** The state and services every handler receives. */
export interface WorkerContext {
  /** This worker's peer ID, the key of its entry in `results`. */
  peerId: string;
  executor: Executor;
  installer: Installer;
  slots: ExecutionSlots;
  /** Static attributes matched against roll calls. */
  attributes: Readonly<Record<string, string>>;
  limits: ExecutionLimits;
  logger: Logger;
  /** Aborted when the worker stops; running executions end with it. */
  signal: AbortSignal;
  /** Sends one message to `peer` on a new direct stream, with a bounded wait. */
  reply(peer: PeerId | string, message: Message): Promise<void>;
  /** Receives checked inferences for worker nonces; absent without a chain wallet. */
  payloads?: PayloadSink;
}
