/**
 * A scripted worker peer for multi-process head tests: it dials the head, joins topics and
 * answers roll calls and executes according to `--mode`, without running any function.
 *
 * Modes:
 * - `answer`: accept roll calls and return `--stdout` at once;
 * - `slow`: like `answer`, after `--delay-ms`;
 * - `never`: accept roll calls, never answer executes;
 * - `silent`: ignore roll calls;
 * - `disconnect`: accept roll calls, then stop libp2p and exit on the first execute.
 *
 * In `--stdout`, `{param}` becomes the first parameter value and `{topic_id}` the `TOPIC_ID`
 * variable of the request. Prints `{"event":"ready","peer_id":…}` on stdout once the head's
 * subscriptions are visible, so its own are on their way to the head.
 *
 * @example
 * ```sh
 * deno run -A testing/scripted_worker.ts --head /ip4/127.0.0.1/tcp/9010/p2p/12D3KooW… \
 *   --topic allora-topic-1-worker --mode answer --stdout '{"value":1}'
 * ```
 *
 * @module
 */
import "../node/shim.ts";
import { parseArgs } from "node:util";
import { createHost, type Host } from "../node/p2p/host.ts";
import { generateIdentity } from "../node/p2p/identity.ts";
import { GENERAL_TOPIC, type Message, type MsgExecute } from "../node/p2p/messages.ts";
import { createLogger } from "../node/log.ts";

const MODES = ["answer", "slow", "never", "silent", "disconnect"] as const;
type Mode = typeof MODES[number];

const { values } = parseArgs({
  args: Deno.args,
  options: {
    head: { type: "string" },
    topic: { type: "string", multiple: true },
    mode: { type: "string", default: "answer" },
    stdout: { type: "string", default: "ok\n" },
    "exit-code": { type: "string", default: "0" },
    "delay-ms": { type: "string", default: "0" },
  },
});
const mode = values.mode as Mode;
if (!MODES.includes(mode) || values.head === undefined) {
  console.error(`usage: scripted_worker.ts --head MULTIADDR --mode ${MODES.join("|")} …`);
  Deno.exit(2);
}
const exitCode = Number(values["exit-code"]);
const delayMs = Number(values["delay-ms"]);
const logger = createLogger({ level: "debug" }).child({ worker: mode });

const host = await createHost({ privateKey: (await generateIdentity()).privateKey, logger });
for (const topic of values.topic ?? []) host.subscribe(topic);
host.onMessage((message, source) => {
  handle(host, message, source.peer.toString()).catch((error) =>
    logger.error("handler failed", { type: message.type, error })
  );
});

await host.dial(values.head);
const ready = await host.waitForSubscribers(GENERAL_TOPIC, { timeoutMs: 30_000 });
if (!ready) {
  logger.error("head subscriptions not seen within 30 s");
  Deno.exit(1);
}
console.log(JSON.stringify({ event: "ready", peer_id: host.peerId.toString() }));
logger.info("scripted worker ready", { peer_id: host.peerId });

const stop = async () => {
  await host.stop();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);

async function handle(host: Host, message: Message, from: string): Promise<void> {
  switch (message.type) {
    case "MsgRollCall":
      if (mode === "silent") return;
      await host.send(message.origin, {
        type: "MsgRollCallResponse",
        code: "202",
        function_id: message.function_id,
        request_id: message.request_id,
      });
      return;
    case "MsgExecute":
      await execute(host, message, from);
      return;
    case "MsgInstallFunction":
      await host.send(from, {
        type: "MsgInstallFunctionResponse",
        code: "202",
        message: "installed",
        cid: message.cid,
      });
      return;
  }
}

async function execute(host: Host, message: MsgExecute, from: string): Promise<void> {
  if (mode === "never") return;
  if (mode === "disconnect") {
    logger.info("disconnecting on execute", { request_id: message.request_id });
    await stop();
  }
  if (mode === "slow") await new Promise((resolve) => setTimeout(resolve, delayMs));
  const topicId = message.config.env_vars?.find((entry) => entry.name === "TOPIC_ID")?.value;
  const stdout = values.stdout!
    .replaceAll("{param}", message.parameters?.[0]?.value ?? "")
    .replaceAll("{topic_id}", topicId ?? "");
  const self = host.peerId.toString();
  await host.send(from, {
    type: "MsgExecuteResponse",
    request_id: message.request_id,
    code: exitCode === 0 ? "200" : "500",
    results: {
      [self]: {
        code: exitCode === 0 ? "200" : "500",
        result: { stdout, stderr: "", exit_code: exitCode },
        request_id: message.request_id,
        usage: { wall_clock_time: 1_000 },
      },
    },
  });
}
