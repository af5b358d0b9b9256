/**
 * `allora chain`: read the Allora chain (status, balance, topic) and register the wallet as a
 * worker of a topic.
 *
 * @module
 */
import type { Command, Context } from "./command.ts";
import { parseFlags, parseInteger } from "./args.ts";
import { CliError, UsageError } from "./errors.ts";
import { runSubcommand, type Subcommand, subcommandHelp } from "./subcommand.ts";
import {
  CHAIN_FLAGS,
  CHAIN_FLAGS_HELP,
  type ChainSettings,
  connectChain,
  resolveChainSettings,
  toChainCliError,
  unlockAccount,
} from "./chain_setup.ts";
import { printTopic } from "./chain_topic.ts";
import { isAlloAddress, readKeystore, WalletError } from "../node/wallet/mod.ts";
import { toCliError } from "./wallet_input.ts";
import { type ChainClient, formatAllo, registerWorker } from "../node/chain/mod.ts";

/** Help text of `allora chain`. */
export const HELP = `Usage: allora chain <subcommand> [options]

Talk to the Allora chain: show its status, a balance or a topic, and register the wallet as a
worker of a topic. The emissions module version (v9 on allora-mainnet-1, v10 on
allora-testnet-1) is detected from the chain unless chain.emissions_version pins it.

Subcommands:
  status              chain id, block height and emissions version
  balance [ADDRESS]   balance in uallo and ALLO (default: the wallet's address)
  topic ID            a topic's settings
  register --topic ID register the wallet as a worker of the topic (asks first; --yes skips)

Options:
${CHAIN_FLAGS_HELP}

Run 'allora chain <subcommand> --help' for details.

Examples:
  allora chain status --rpc http://127.0.0.1:26657
  allora --json chain balance allo1…
  allora chain register --topic 1 --yes
`;

const STATUS_HELP = `Usage: allora chain status [options]

Print the chain id (from the node's status), the latest block height and time, the CometBFT
version and the emissions module version the client detected.

Options:
${CHAIN_FLAGS_HELP}
`;

const BALANCE_HELP = `Usage: allora chain balance [ADDRESS] [options]

Print the uallo balance of ADDRESS, or of the wallet keystore's address (read without the
password). 1 ALLO = 10^18 uallo.

Options:
${CHAIN_FLAGS_HELP}
`;

const TOPIC_HELP = `Usage: allora chain topic ID [options]

Print a topic's creator, metadata, epoch length, ground truth lag, submission window and loss
method, with its weight and effective revenue.

Options:
${CHAIN_FLAGS_HELP}
`;

const REGISTER_HELP = `Usage: allora chain register --topic ID [--yes] [options]

Register the wallet as a worker of topic ID. Checks first that the topic exists, that the
wallet is not registered yet, and that its balance covers the registration fee; then asks for
confirmation (skipped with --yes or when standard input is not a terminal), signs with the
keystore (password from ALLORA_WALLET_PASSWORD or a prompt) and prints the transaction hash.

Options:
  --topic ID             topic to register in (required)
${CHAIN_FLAGS_HELP}
`;

async function withClient<T>(
  settings: ChainSettings,
  context: Context,
  fn: (client: ChainClient) => Promise<T>,
): Promise<T> {
  const client = await connectChain(settings, context);
  try {
    return await fn(client);
  } catch (error) {
    throw toChainCliError(error, settings.rpc);
  } finally {
    client.close();
  }
}

function print(context: Context, document: object, text: string): void {
  context.io.out(context.global.json ? JSON.stringify(document) + "\n" : text);
}

async function runStatus(argv: string[], context: Context): Promise<number> {
  const { values } = parseFlags("allora chain status", argv, CHAIN_FLAGS);
  const settings = await resolveChainSettings(values, context.io.env);
  const status = await withClient(
    settings,
    context,
    (client) => client.status({ signal: context.signal }),
  );
  print(
    context,
    {
      chain_id: status.chainId,
      height: status.height,
      time: status.time,
      emissions_version: status.emissionsVersion,
      node_version: status.nodeVersion,
      catching_up: status.catchingUp,
      rpc: settings.rpc,
    },
    `chain id           ${status.chainId}\nheight             ${status.height} (${status.time})\n` +
      `emissions version  ${status.emissionsVersion}\nCometBFT           ${status.nodeVersion}\n` +
      `rpc                ${settings.rpc}\n`,
  );
  return 0;
}

async function runBalance(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseFlags("allora chain balance", argv, CHAIN_FLAGS, {
    positionals: 1,
  });
  const settings = await resolveChainSettings(values, context.io.env);
  const address = positionals[0] ?? await walletAddress(settings.keystore);
  if (!isAlloAddress(address, [20, 32])) {
    throw new UsageError(
      `Invalid address '${address}' (expected an allo1… bech32 address with a valid checksum)`,
    );
  }
  const amount = await withClient(
    settings,
    context,
    (client) => client.balance(address, { signal: context.signal }),
  );
  print(
    context,
    { address, denom: "uallo", amount: amount.toString(), allo: formatAllo(amount) },
    `${amount} uallo (${formatAllo(amount)} ALLO)\n`,
  );
  return 0;
}

async function walletAddress(keystore: string): Promise<string> {
  try {
    return (await readKeystore(keystore)).address;
  } catch (error) {
    throw error instanceof WalletError ? toCliError(error) : error;
  }
}

async function runTopic(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseFlags("allora chain topic", argv, CHAIN_FLAGS, {
    positionals: 1,
  });
  if (positionals[0] === undefined) {
    throw new CliError("Missing topic ID for 'allora chain topic'", {
      hint: "run 'allora chain topic 1'",
    });
  }
  const topicId = BigInt(parseInteger("ID", positionals[0], { min: 1 }));
  const settings = await resolveChainSettings(values, context.io.env);
  await withClient(settings, context, (client) => printTopic(client, topicId, context));
  return 0;
}

async function runRegister(argv: string[], context: Context): Promise<number> {
  const { values } = parseFlags("allora chain register", argv, {
    ...CHAIN_FLAGS,
    topic: { type: "string" },
  });
  if (values.topic === undefined) {
    throw new CliError("Missing --topic for 'allora chain register'", {
      hint: "run 'allora chain register --topic 1'",
    });
  }
  const topicId = BigInt(parseInteger("--topic", values.topic as string, { min: 1 }));
  const settings = await resolveChainSettings(values, context.io.env);
  const address = await walletAddress(settings.keystore);
  await confirmRegistration(context, address, topicId);
  const account = await unlockAccount(settings, context);
  const result = await withClient(
    settings,
    context,
    (client) => registerWorker(client, account, topicId, { signal: context.signal }),
  );
  const text = result.status === "registered"
    ? `Registered ${address} as a worker of topic ${topicId}\ntx ${result.txHash} ` +
      `(height ${result.height}; registration fee ${result.registrationFee} uallo, ` +
      "plus the transaction's gas fee)\n"
    : `${address} is already registered in topic ${topicId}; nothing sent\n`;
  print(
    context,
    {
      address,
      topic_id: Number(topicId),
      status: result.status,
      tx_hash: result.txHash ?? null,
      height: result.height ?? null,
      registration_fee: result.registrationFee.toString(),
    },
    text,
  );
  return 0;
}

async function confirmRegistration(context: Context, address: string, topicId: bigint) {
  if (context.global.yes) return;
  const answer = await context.io.prompt(
    `Register ${address} as a worker of topic ${topicId}? The chain charges the registration ` +
      "fee and a gas fee. [y/N] ",
  );
  if (!/^y(es)?$/i.test(answer?.trim() ?? "")) {
    throw new CliError("Cannot register: not confirmed", {
      hint: "pass --yes to skip the question",
    });
  }
}

const SUBCOMMANDS: readonly Subcommand[] = [
  { name: "status", help: STATUS_HELP, run: runStatus },
  { name: "balance", help: BALANCE_HELP, run: runBalance },
  { name: "topic", help: TOPIC_HELP, run: runTopic },
  { name: "register", help: REGISTER_HELP, run: runRegister },
];

/** The `allora chain` command. */
export const command: Command = {
  name: "chain",
  summary: "query the Allora chain and register the worker",
  help: HELP,
  helpFor: (argv) => subcommandHelp(SUBCOMMANDS, argv, HELP),
  run: (argv, context) => runSubcommand("allora chain", SUBCOMMANDS, argv, context),
};
