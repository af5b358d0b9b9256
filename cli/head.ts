/**
 * `allora head`: run a head node: the b7s-compatible REST API in front of libp2p roll calls
 * and direct execute messages.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "../node/config/config.ts";
import { applyEnvironment } from "../node/config/environment.ts";
import type { Command } from "./command.ts";
import { CliError } from "./errors.ts";
import { type ConfigSource, HEAD_ENV, parseHeadFlags, resolveHeadOptions } from "./head_options.ts";

/** Help text of `allora head`. */
export const HELP = `Usage: allora head [options]

Run a head node: a b7s-compatible REST API that sends roll calls and execute requests to
worker nodes over libp2p and aggregates their results.

Options (each also a config.yaml key under head:, environment variable in brackets):
  --rest-api HOST:PORT          REST API address; port 0 picks a free one
                                (default: 127.0.0.1:6000) [${HEAD_ENV.restApi}]
  --address IP                  libp2p listen address; 0.0.0.0 for every interface
                                (default: 127.0.0.1) [${HEAD_ENV.address}]
  --port PORT                   libp2p TCP port; 0 picks a free one (default: 9010)
                                [${HEAD_ENV.port}]
  --announce MULTIADDR          address announced to peers instead of the listen
                                address; repeatable
  --private-key FILE            identity key priv.bin, created on first start
                                (default: keys/head/priv.bin) [${HEAD_ENV.privateKey}]
  --topic TOPIC                 extra gossip topic to join; repeatable or comma list
                                [${HEAD_ENV.topics}]
  --workspace DIR               folder for node data (default: data/head)
                                [${HEAD_ENV.workspace}]
  --execution-timeout DURATION  how long to wait for execution results (default: 20s)
  --max-nodes N                 largest number_of_nodes a request may ask (default: 100)
  --max-roll-call-timeout DURATION
                                largest config.timeout a request may give (default: 60s)
  --result-ttl DURATION         how long results stay readable through the result
                                endpoint (default: 10m)
  --gateway URL                 manifest URL template for installs by CID
                                (default: https://{cid}.ipfs.w3s.link/manifest.json)
  --schedule TOPIC[=ARG]        read TOPIC's worker nonces from the chain and send one
                                execute request per new nonce, with ALLORA_ARG_PARAMS=ARG
                                (default ARG: inference.default_arg); repeatable; replaces
                                head.schedule
  --schedule-interval DURATION  interval between polls of the chain (default: 2s)
  --chain-rpc URL               CometBFT RPC the scheduler reads (default: chain.rpc,
                                http://127.0.0.1:26657)
  --config FILE                 config file (default: config.yaml when present)

Durations take a unit: 500ms, 20s, 10m, 1h. Precedence: flags, then environment, then the
config file, then defaults. With --json, one line
{"event":"ready","peer_id":…,"multiaddrs":[…],"rest":"http://…"} is printed on stdout once
the node listens.

Examples:
  allora head
  allora head --rest-api 0.0.0.0:6000 --address 0.0.0.0 --port 9010
  curl -s localhost:6000/api/v1/health
`;

/** The `allora head` command. */
export const command: Command = {
  name: "head",
  summary: "run a head node: REST API and libp2p dispatch",
  help: HELP,
  longRunning: true,
  async run(argv, context) {
    const flags = parseHeadFlags(argv);
    const file = await readConfigFile(flags.config);
    const options = resolveHeadOptions(flags, context.io.env, file);
    // Loaded on demand so other commands do not pay for importing libp2p.
    const { runHead } = await import("./head_run.ts");
    return await runHead(options, context);
  },
};

async function readConfigFile(path: string | undefined): Promise<ConfigSource | undefined> {
  const chosen = path ?? (existsSync("config.yaml") ? "config.yaml" : undefined);
  if (chosen === undefined) return undefined;
  try {
    // ALLORA_<SECTION>_<KEY> variables override the file, as the generated compose files expect.
    const { config } = applyEnvironment(await loadConfig(chosen), (name) => Deno.env.get(name));
    return { config, path: chosen };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(error.message, { hint: "fix the file or pass --config FILE" });
    }
    throw error;
  }
}
