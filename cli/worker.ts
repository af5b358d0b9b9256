/**
 * `allora worker`: run a worker node that executes the node function.
 *
 * @module
 */
import type { Command } from "./command.ts";
import {
  BOOT_NODES_ENV,
  loadWorkerConfig,
  parseWorkerFlags,
  resolveWorkerSettings,
} from "./worker_options.ts";

/** Help text of `allora worker`. */
export const HELP = `Usage: allora worker [options]

Run a worker node: join the head's topics, answer roll calls while an execution slot is free,
run the node function for each execute request and send the result back.

Options (most also a config.yaml key under worker:, settable as ALLORA_WORKER_<KEY>):
  --boot-nodes LIST        boot node multiaddrs ending in /p2p/<peer id>, comma-separated or
                           repeated; re-dialed after every disconnect (env: ${BOOT_NODES_ENV})
  --topic TOPIC            topic to serve: N means allora-topic-N-worker, a full topic name is
                           used as is; comma-separated or repeated (default: the project topic)
  --address HOST           listen address of the libp2p TCP transport (default: 127.0.0.1)
  --port PORT              libp2p TCP port, 0 for any free port (default: 9011)
  --announce MULTIADDR     address to advertise instead of the listen address; repeatable
  --private-key FILE       libp2p key (priv.bin), created on first start
                           (default: keys/worker/priv.bin)
  --workspace DIR          where installed functions are kept (default: data/worker)
  --concurrency N          executions at once; roll calls go unanswered while all slots are
                           taken (default: the number of CPUs)
  --gateway URL-TEMPLATE   manifest URL with {cid}
                           (default: https://{cid}.ipfs.w3s.link/manifest.json)
  --function DIR|FILE      install a local function at start, registered under its CID
                           (development); repeatable
  --extensions DIR         folder of external CGI extensions
  --inference-command CMD  command of the built-in inference extension, split on spaces
                           (default: python3 main.py)
  --project DIR            working folder of the inference command (default: the folder of
                           the config file, or the current folder)
  --http-allow LIST        node limit on the URL prefixes functions may reach over host HTTP,
                           on top of each request's permissions; comma-separated or repeated
                           (default: no node limit)
  --execution-timeout DUR  wall-clock limit of one execution, e.g. 10s or 500ms (default: 10s)
  --wallet FILE            chain wallet keystore, unlocked with ALLORA_WALLET_PASSWORD; it
                           must exist (default: chain.wallet, used only when it exists)
  --chain-rpc URL          CometBFT RPC of the chain (default: chain.rpc,
                           http://127.0.0.1:26657)
  --no-chain               run without the chain: no registration, no payloads
  --config FILE            project config (default: config.yaml in the current folder, if any)

With a chain wallet (the keystore, or a mnemonic in ALLORA_WALLET_MNEMONIC) the worker
registers in its topics at start and, after each execute request that carries TOPIC_ID and
ALLORA_BLOCK_HEIGHT_CURRENT, submits the checked inference for that nonce, once per nonce.

Precedence: flags, then environment, then the config file, then defaults. With --json, the
line {"event":"ready","peer_id":…,"multiaddrs":[…]} is printed on stdout once the worker
listens. SIGINT or SIGTERM fails running executions and stops the worker.

Example:
  allora worker --boot-nodes /ip4/127.0.0.1/tcp/9010/p2p/12D3KooW… --topic 1
`;

/** The `allora worker` command. */
export const command: Command = {
  name: "worker",
  summary: "run a worker node that executes the node function",
  help: HELP,
  longRunning: true,
  run: async (argv, context) => {
    const flags = parseWorkerFlags(argv);
    const cwd = Deno.cwd();
    const file = await loadWorkerConfig(flags, cwd, context.io.env);
    const settings = resolveWorkerSettings(flags, {
      env: context.io.env,
      file,
      cwd,
      cpuCount: navigator.hardwareConcurrency,
    });
    // Loaded on demand so other commands do not pay for importing libp2p and the runtime.
    const { runWorker } = await import("./worker_run.ts");
    return await runWorker(settings, context);
  },
};
