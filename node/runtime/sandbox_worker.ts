/**
 * Entry point of a sandbox worker. It runs with no Deno permissions: everything that touches
 * the network or processes goes to the main thread through the broker.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { BrokerClient } from "./broker.ts";
import { OutputRegions } from "./output_buffer.ts";
import type { FromSandbox, ToSandbox } from "./protocol.ts";
import { runInSandbox, type SandboxContext } from "./sandbox_run.ts";

const post = (message: FromSandbox) => self.postMessage(message);
let context: SandboxContext | undefined;

self.onmessage = (event: MessageEvent<ToSandbox>) => {
  const message = event.data;
  if (message.type === "init") {
    context = {
      broker: new BrokerClient(message.broker, (request) => post({ type: "host", request })),
      cgiList: new TextEncoder().encode(message.cgiList),
      output: new OutputRegions(message.output),
      warn: (text, fields) => post({ type: "log", level: "warn", message: text, fields }),
    };
    post({ type: "ready" });
    return;
  }
  if (context === undefined) throw new Error("Cannot run module: the sandbox is not initialized");
  post(runInSandbox(message, context));
};
