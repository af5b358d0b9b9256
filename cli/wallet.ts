/**
 * `allora wallet`: create, import or show the chain wallet, a BIP39 mnemonic kept in an
 * encrypted keystore file.
 *
 * @module
 */
import type { Command, Context } from "./command.ts";
import { parseFlags } from "./args.ts";
import { CliError } from "./errors.ts";
import { runSubcommand, type Subcommand, subcommandHelp } from "./subcommand.ts";
import {
  DEFAULT_KEYSTORE_PATH,
  obtainMnemonic,
  obtainPassword,
  PASSWORD_ENV,
  toCliError,
  unlockWallet,
} from "./wallet_input.ts";
import {
  createKeystore,
  generateMnemonic,
  type KeystoreInfo,
  readKeystore,
  WalletError,
} from "../node/wallet/mod.ts";
import { pathExists } from "../node/fs.ts";

/** Help text of `allora wallet`. */
export const HELP = `Usage: allora wallet <subcommand> [options]

Create, import or show the chain wallet: a BIP39 mnemonic whose account (secp256k1 at
m/44'/118'/0'/0/0, address prefix allo, as 'allorad keys add' derives it) signs the node's
transactions. The mnemonic is stored encrypted (scrypt and AES-256-GCM) in a keystore file with
mode 0600; the address in it is readable without the password.

Subcommands:
  new      generate a 24-word mnemonic, store it and print the address
  import   store an existing mnemonic, typed at a hidden prompt or piped on standard input
  show     print the address, and the mnemonic with --show-mnemonic

Options:
  --keystore PATH   keystore file (default: ${DEFAULT_KEYSTORE_PATH} in the current folder)
  --force           (new, import) replace an existing keystore
  --show-mnemonic   (show) print the mnemonic, after asking the password;
                    (new) include the mnemonic in the --json output

Environment:
  ${PASSWORD_ENV}  the keystore password; when unset, it is asked on the terminal

Examples:
  allora wallet new
  ${PASSWORD_ENV}=… allora wallet import --keystore keys/wallet.json < words.txt
  allora --json wallet show
`;

const NEW_HELP = `Usage: allora wallet new [--keystore PATH] [--force] [--show-mnemonic]

Generate a 24-word mnemonic, store it encrypted in the keystore (default:
${DEFAULT_KEYSTORE_PATH}) and print its address. The mnemonic is printed once on standard
error, to write down. With --json it is left out unless --show-mnemonic is given, and then it
is a field of the JSON output.

The password comes from ${PASSWORD_ENV} or is asked twice on the terminal; it needs at
least 8 characters.
`;

const IMPORT_HELP = `Usage: allora wallet import [--keystore PATH] [--force]

Store an existing mnemonic (12 to 24 BIP39 English words) encrypted in the keystore (default:
${DEFAULT_KEYSTORE_PATH}) and print its address. On a terminal the words are typed at a hidden
prompt; otherwise they are read from standard input, and the password must come from
${PASSWORD_ENV}.
`;

const SHOW_HELP = `Usage: allora wallet show [--keystore PATH] [--show-mnemonic]

Print the address stored in the keystore (default: ${DEFAULT_KEYSTORE_PATH}); this needs no
password. With --show-mnemonic, ask the password (or read ${PASSWORD_ENV}), decrypt the
keystore and print the mnemonic too: on standard error, or as a field with --json.
`;

/** Options of the `allora wallet` subcommands. */
export interface WalletOptions {
  keystore: string;
  force: boolean;
  showMnemonic: boolean;
}

/**
 * Parses the options of `allora wallet <subcommand>`; `force` and `showMnemonic` are only
 * accepted where the subcommand uses them.
 *
 * @throws {UsageError} on unknown options or positionals
 */
export function parseWalletArgs(
  subcommand: "new" | "import" | "show",
  argv: string[],
): WalletOptions {
  const { values } = parseFlags(`allora wallet ${subcommand}`, argv, {
    keystore: { type: "string", default: DEFAULT_KEYSTORE_PATH },
    ...(subcommand === "show" ? {} : { force: { type: "boolean" } }),
    ...(subcommand === "import" ? {} : { "show-mnemonic": { type: "boolean" } }),
  });
  return {
    keystore: values.keystore as string,
    force: values.force === true,
    showMnemonic: values["show-mnemonic"] === true,
  };
}

async function runNew(argv: string[], context: Context): Promise<number> {
  const options = parseWalletArgs("new", argv);
  await rejectExisting(options);
  const password = await obtainPassword(context, { confirm: true });
  const mnemonic = generateMnemonic();
  const info = await storeMnemonic(options, mnemonic, password);

  const { io, global } = context;
  if (global.json) {
    const document = { ...keystoreSummary(info), ...(options.showMnemonic ? { mnemonic } : {}) };
    io.out(JSON.stringify(document) + "\n");
    if (!options.showMnemonic) {
      io.err(
        "The mnemonic was not printed; back it up with 'allora wallet show --show-mnemonic'\n",
      );
    }
    return 0;
  }
  io.out(`${info.address}\n`);
  io.err(mnemonicNotice(mnemonic, info));
  return 0;
}

async function runImport(argv: string[], context: Context): Promise<number> {
  const options = parseWalletArgs("import", argv);
  await rejectExisting(options);
  const mnemonic = await obtainMnemonic(context);
  const password = await obtainPassword(context, { confirm: true });
  const info = await storeMnemonic(options, mnemonic, password);
  printInfo(context, info);
  if (!context.global.json) context.io.err(`Stored the mnemonic encrypted in ${info.path}\n`);
  return 0;
}

async function runShow(argv: string[], context: Context): Promise<number> {
  const options = parseWalletArgs("show", argv);
  if (!options.showMnemonic) {
    let info;
    try {
      info = await readKeystore(options.keystore);
    } catch (error) {
      throw error instanceof WalletError ? toCliError(error) : error;
    }
    printInfo(context, info);
    return 0;
  }

  const { info, mnemonic } = await unlockWallet(context, options.keystore);
  if (context.global.json) {
    context.io.out(JSON.stringify({ ...keystoreSummary(info), mnemonic }) + "\n");
  } else {
    context.io.out(`${info.address}\n`);
    context.io.err(`Mnemonic of ${info.address}:\n\n  ${mnemonic}\n\n`);
  }
  return 0;
}

async function rejectExisting({ keystore, force }: WalletOptions): Promise<void> {
  if (force || !await pathExists(keystore)) return;
  throw new CliError(`Cannot create keystore ${keystore}: the file already exists`, {
    hint: `see its address with 'allora wallet show --keystore ${keystore}', ` +
      "or pass --force to replace it (its mnemonic is lost unless you have a backup)",
  });
}

async function storeMnemonic(
  options: WalletOptions,
  mnemonic: string,
  password: string,
): Promise<KeystoreInfo> {
  try {
    return await createKeystore(options.keystore, mnemonic, password, { force: options.force });
  } catch (error) {
    if (error instanceof WalletError) throw toCliError(error);
    throw new CliError(`Cannot write keystore ${options.keystore}: ${(error as Error).message}`, {
      hint: "check that the folder is writable",
    });
  }
}

function keystoreSummary(info: KeystoreInfo) {
  return { address: info.address, keystore: info.path, created_at: info.createdAt };
}

function printInfo(context: Context, info: KeystoreInfo): void {
  context.io.out(
    context.global.json ? JSON.stringify(keystoreSummary(info)) + "\n" : `${info.address}\n`,
  );
}

function mnemonicNotice(mnemonic: string, info: KeystoreInfo): string {
  return `Mnemonic of ${info.address} (stored encrypted in ${info.path}):

  ${mnemonic}

Write these words down and keep them offline. They restore the wallet if the keystore or its
password is lost, and anyone who has them controls the account.
`;
}

const SUBCOMMANDS: readonly Subcommand[] = [
  { name: "new", help: NEW_HELP, run: runNew },
  { name: "import", help: IMPORT_HELP, run: runImport },
  { name: "show", help: SHOW_HELP, run: runShow },
];

/** The `allora wallet` command. */
export const command: Command = {
  name: "wallet",
  summary: "create, import or show the chain wallet",
  help: HELP,
  helpFor: (argv) => subcommandHelp(SUBCOMMANDS, argv, HELP),
  run: (argv, context) => runSubcommand("allora wallet", SUBCOMMANDS, argv, context),
};
