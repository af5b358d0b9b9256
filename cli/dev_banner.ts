/**
 * The output of `allora dev` once the local network is up: the banner for people on standard
 * error, or one JSON ready line for programs with `--json`.
 *
 * @module
 */
import type { Config } from "../node/config/config.ts";
import type { ReadyEvent } from "../node/dev/supervisor.ts";
import { chainBanner, type DevChain } from "./dev_chain.ts";

/** Returns the `--json` ready line: the head, the workers and the chain. */
export function readyLine(rest: string, head: ReadyEvent, workers: ReadyEvent[], chain?: DevChain) {
  return {
    event: "ready",
    rest,
    head: head.peer_id,
    workers: workers.map((worker) => worker.peer_id),
    ...(chain && {
      chain: {
        rpc: chain.rpc,
        chain_id: chain.chainId,
        topic: chain.topic,
        addresses: chain.wallets.map((wallet) => wallet.address),
      },
    }),
  };
}

/** Returns the banner: where everything runs and a request to try. */
export function readyBanner(
  rest: string,
  config: Config,
  workers: ReadyEvent[],
  chain?: DevChain,
): string {
  const body = JSON.stringify({
    function_id: config.function.id,
    method: config.function.method,
    topic: String(config.topic),
    config: {
      env_vars: [
        { name: "ALLORA_ARG_PARAMS", value: config.inference.default_arg },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: "1" },
      ],
      number_of_nodes: -1,
      timeout: 2,
    },
  });
  return `
local network ready: head ${rest} with ${workers.length} worker${workers.length === 1 ? "" : "s"}
${chain ? chainBanner(chain) : ""}
try it:
  allora request${rest === `http://${config.head.rest_api}` ? "" : ` --head ${rest}`}
or:
  curl -s -X POST ${rest}/api/v1/functions/execute -H 'Content-Type: application/json' -d '${body}'

press Ctrl-C to stop
`;
}
