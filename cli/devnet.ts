/**
 * `allora devnet`: run a local Allora chain double on loopback, for `allora dev`, tests and
 * trying the worker without a faucet.
 *
 * @module
 */
import type { Command, Context } from "./command.ts";
import { parseFlags, parseInteger } from "./args.ts";
import { CliError, UsageError } from "./errors.ts";
import {
  DEFAULT_BLOCK_TIME_MS,
  DEFAULT_CHAIN_ID,
  DEFAULT_EPOCH_LENGTH,
  DEFAULT_MIN_GAS_PRICE,
  DEFAULT_RPC_PORT,
  DEFAULT_WORKER_SUBMISSION_WINDOW,
  DevnetError,
  type DevnetOptions,
  EMISSIONS_VERSION,
  type GenesisFund,
  startDevnet,
} from "../node/devnet/mod.ts";
import { EmissionsGenesisError } from "../node/devnet/emissions/genesis.ts";
import { GenesisError } from "../node/devnet/genesis.ts";
import { StateFileError } from "../node/devnet/store.ts";

/** Help text of `allora devnet`. */
export const HELP = `Usage: allora devnet [options]

Run a local chain double that speaks CometBFT JSON-RPC on 127.0.0.1, so the worker, the CLI
and @cosmjs can register, submit payloads and send tokens without a real chain or a faucet.
It emulates emissions.${EMISSIONS_VERSION} (chain v0.16) with the feemarket gas price, produces a block
every --block-time milliseconds and opens a worker nonce every --epoch-length blocks. See
docs/devnet.md for what it emulates and what it does not.

Options:
  --rpc-port P          RPC port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT_RPC_PORT})
  --home DIR            keep the state in DIR/state.json and continue from it on restart
                        (default: state in memory only)
  --block-time MS       milliseconds between blocks (default: ${DEFAULT_BLOCK_TIME_MS})
  --chain-id ID         chain id of a new chain (default: ${DEFAULT_CHAIN_ID})
  --fund ADDRESS=AMOUNT genesis balance in uallo, e.g. allo1…=1000000000000000000000;
                        repeatable; AMOUNT may end in another denom (5000ufoo)
  --topic ID            create topic ID at genesis; repeatable (default: topic 1)
  --epoch-length N      blocks between worker nonces of the genesis topics
                        (default: ${DEFAULT_EPOCH_LENGTH})
  --window N            worker submission window in blocks, at most the epoch length
                        (default: ${DEFAULT_WORKER_SUBMISSION_WINDOW})
  --min-gas-price N     minimum gas price in uallo per gas; 0 emulates chains before v0.7
                        (default: ${DEFAULT_MIN_GAS_PRICE})

Genesis options (--chain-id, --fund, --topic, --epoch-length, --window, --min-gas-price) apply
only when the chain is new; with --home they are ignored once DIR/state.json exists.

Prints a ready line once the RPC listens; with --json it is
{"event":"ready","rpc":"http://127.0.0.1:P","chain_id":"…","height":N}. Stops on Ctrl-C or
SIGTERM after saving the state.

Examples:
  allora devnet --fund allo1…=1000000000000000000000
  allora --json devnet --rpc-port 0 --home .allora/devnet --block-time 500 --topic 1 --topic 2
`;

const FUND_REGEXP = /^([^=]+)=(\d+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})?$/;

/**
 * Parses the arguments of `allora devnet` into {@link DevnetOptions}.
 *
 * @throws {UsageError} on unknown options and invalid values
 */
export function parseDevnetArgs(argv: string[]): DevnetOptions {
  const { values } = parseFlags("allora devnet", argv, {
    "rpc-port": { type: "string" },
    home: { type: "string" },
    "block-time": { type: "string" },
    "chain-id": { type: "string" },
    fund: { type: "string", multiple: true },
    topic: { type: "string", multiple: true },
    "epoch-length": { type: "string" },
    window: { type: "string" },
    "min-gas-price": { type: "string" },
  });
  const integer = (name: string, min: number, max?: number) =>
    typeof values[name] === "string"
      ? parseInteger(`--${name}`, values[name] as string, { min, max })
      : undefined;
  const options: DevnetOptions = {
    port: integer("rpc-port", 0, 65535) ?? DEFAULT_RPC_PORT,
    home: values.home as string | undefined,
    blockTimeMs: integer("block-time", 1),
    chainId: parseChainId(values["chain-id"] as string | undefined),
    fund: ((values.fund ?? []) as string[]).map(parseFund),
    topics: ((values.topic ?? []) as string[]).map((text) =>
      BigInt(parseInteger("--topic", text, { min: 1 }))
    ),
    epochLength: integer("epoch-length", 1),
    workerSubmissionWindow: integer("window", 1),
  };
  const minGasPrice = integer("min-gas-price", 0);
  if (minGasPrice !== undefined) options.minGasPrice = BigInt(minGasPrice);
  const epoch = options.epochLength ?? DEFAULT_EPOCH_LENGTH;
  if (
    (options.workerSubmissionWindow ?? Math.min(DEFAULT_WORKER_SUBMISSION_WINDOW, epoch)) > epoch
  ) {
    throw new UsageError(
      `Invalid value for --window: ${options.workerSubmissionWindow} is longer than the epoch length ${epoch}`,
      { hint: "use a window of at most --epoch-length blocks" },
    );
  }
  return options;
}

function parseChainId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,49}$/.test(value)) {
    throw new UsageError(`Invalid value for --chain-id: '${value}'`, {
      hint: "use letters, digits, '.', '_' and '-', e.g. localnet",
    });
  }
  return value;
}

function parseFund(value: string): GenesisFund {
  const match = FUND_REGEXP.exec(value);
  if (match === null) {
    throw new UsageError(`Invalid value for --fund: '${value}'`, {
      hint: "write ADDRESS=AMOUNT with AMOUNT in uallo, e.g. allo1…=1000000000000000000000",
    });
  }
  const [, address, amount, denom] = match;
  return { address, amount: BigInt(amount), ...(denom ? { denom } : {}) };
}

async function run(argv: string[], context: Context): Promise<number> {
  const options = parseDevnetArgs(argv);
  const { io, global, logger, signal } = context;
  let devnet;
  try {
    devnet = await startDevnet({ ...options, logger });
  } catch (error) {
    throw toCliError(error, options);
  }
  const ready = {
    event: "ready",
    rpc: devnet.url,
    chain_id: devnet.chainId,
    height: devnet.state.height,
  };
  io.out(
    global.json
      ? JSON.stringify(ready) + "\n"
      : `devnet ready: rpc ${devnet.url}, chain ${devnet.chainId}, height ${devnet.state.height}\n`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await devnet.stop();
  return 0;
}

function toCliError(error: unknown, options: DevnetOptions): unknown {
  if (error instanceof Deno.errors.AddrInUse) {
    return new CliError(`Cannot start devnet: port ${options.port} on 127.0.0.1 is in use`, {
      hint: "stop the other node or pass another --rpc-port (0 picks a free one)",
      cause: error,
    });
  }
  if (error instanceof StateFileError) {
    return new CliError(error.message, {
      hint: `move ${error.path} away to start a new chain`,
      cause: error.cause,
    });
  }
  if (error instanceof DevnetError) {
    return new CliError(error.message, {
      hint: "pass another --home, or leave out --chain-id to continue that chain",
    });
  }
  if (error instanceof GenesisError || error instanceof EmissionsGenesisError) {
    return new CliError(error.message, {
      hint: "check the --fund, --topic, --epoch-length and --window values",
    });
  }
  return error;
}

/** The `allora devnet` command. */
export const command: Command = {
  name: "devnet",
  summary: "run a local Allora chain double on loopback",
  help: HELP,
  longRunning: true,
  run,
};
