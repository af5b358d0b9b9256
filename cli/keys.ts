/**
 * `allora keys`: generate or show a libp2p identity (priv.bin, pub.bin, identity).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { toHex } from "@cosmjs/encoding";
import type { Command, Context } from "./command.ts";
import { parseFlags } from "./args.ts";
import { CliError, UsageError } from "./errors.ts";
import { runSubcommand, type Subcommand, subcommandHelp } from "./subcommand.ts";
import {
  generateIdentity,
  IdentityError,
  loadIdentity,
  PEER_ID_FILE,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  writeIdentity,
} from "../node/p2p/identity.ts";
import { pathExists } from "../node/fs.ts";

/** Help text of `allora keys`. */
export const HELP = `Usage: allora keys <subcommand> [options]

Create or check a libp2p identity: the Ed25519 key whose peer ID names a head or worker node.
An identity folder holds priv.bin (the 68-byte private key, mode 0600), pub.bin and identity
(the peer ID as text), the layout go-libp2p, b7s and allora-keys use.

Subcommands:
  generate --out DIR [--force]  write a new identity into DIR and print its peer ID
  show PATH                     check the identity in PATH and print its peer ID

Run 'allora keys <subcommand> --help' for details.

Examples:
  allora keys generate --out keys/head
  allora keys show keys/head
  allora --json keys show keys/head/priv.bin
`;

const GENERATE_HELP = `Usage: allora keys generate --out DIR [--force]

Write a new Ed25519 identity into DIR (created with mode 0700 when missing): priv.bin (mode
0600), pub.bin and identity. Prints the peer ID, or {"peer_id", "dir"} with --json.

Options:
  --out DIR   folder for the identity files (required)
  --force     replace an existing priv.bin; the node then gets a new peer ID
`;

const SHOW_HELP = `Usage: allora keys show PATH

Load the identity in PATH (a folder or its priv.bin), check that pub.bin and identity, when
present, match the private key, and print the peer ID. With --json, prints the peer ID, the
Ed25519 public key as hex and the file paths.
`;

/** Options of `allora keys generate`. */
export interface GenerateOptions {
  out: string;
  force: boolean;
}

/**
 * Parses the arguments of `allora keys generate`.
 *
 * @throws {UsageError} on unknown options or a missing `--out`
 */
export function parseGenerate(argv: string[]): GenerateOptions {
  const { values } = parseFlags("allora keys generate", argv, {
    out: { type: "string" },
    force: { type: "boolean" },
  });
  if (typeof values.out !== "string" || values.out === "") {
    throw new UsageError("Missing option '--out' for 'allora keys generate'", {
      hint: "name the folder for the identity, e.g. --out keys/head",
    });
  }
  return { out: values.out, force: values.force === true };
}

/**
 * Parses the arguments of `allora keys show`.
 *
 * @throws {UsageError} on unknown options or a missing PATH
 */
export function parseShow(argv: string[]): { path: string } {
  const { positionals } = parseFlags("allora keys show", argv, {}, { positionals: 1 });
  if (positionals[0] === undefined) {
    throw new UsageError("Missing PATH for 'allora keys show'", {
      hint: "name an identity folder or a priv.bin file, e.g. allora keys show keys/head",
    });
  }
  return { path: positionals[0] };
}

async function runGenerate(argv: string[], context: Context): Promise<number> {
  const { out, force } = parseGenerate(argv);
  const privatePath = join(out, PRIVATE_KEY_FILE);
  const replaceHint = "pass --force to replace it; the node then gets a new peer ID";
  if (!force && await pathExists(privatePath)) {
    throw new CliError(`Cannot write identity to ${out}: ${privatePath} already exists`, {
      hint: replaceHint,
    });
  }

  const identity = await generateIdentity();
  try {
    await writeIdentity(out, identity, { force });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new CliError(`Cannot write identity to ${out}: ${privatePath} already exists`, {
        hint: replaceHint,
      });
    }
    throw new CliError(`Cannot write identity to ${out}: ${(error as Error).message}`, {
      hint: "check that the folder is writable",
    });
  }

  const peerId = identity.peerId.toString();
  if (context.global.json) {
    context.io.out(JSON.stringify({ peer_id: peerId, dir: out }) + "\n");
  } else {
    context.io.out(`${peerId}\n`);
    context.io.err(
      `Wrote ${PRIVATE_KEY_FILE}, ${PUBLIC_KEY_FILE} and ${PEER_ID_FILE} to ${out}; ` +
        `keep ${PRIVATE_KEY_FILE} secret\n`,
    );
  }
  return 0;
}

async function runShow(argv: string[], context: Context): Promise<number> {
  const { path } = parseShow(argv);
  let identity;
  try {
    identity = await loadIdentity(path);
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    const missing = error.cause instanceof Deno.errors.NotFound;
    throw new CliError(error.message, {
      hint: missing
        ? "check the path, or create an identity with 'allora keys generate --out DIR'"
        : "restore the folder from a backup, or replace it with 'allora keys generate --out DIR --force' (this changes the peer ID)",
    });
  }

  const peerId = identity.peerId.toString();
  if (!context.global.json) {
    context.io.out(`${peerId}\n`);
    return 0;
  }
  const privateFile = (await Deno.stat(path)).isDirectory ? join(path, PRIVATE_KEY_FILE) : path;
  const dir = dirname(privateFile);
  const sibling = async (name: string) => {
    const file = join(dir, name);
    return await pathExists(file) ? file : null;
  };
  const document = {
    peer_id: peerId,
    public_key: toHex(identity.privateKey.publicKey.raw),
    dir,
    private_key_file: privateFile,
    public_key_file: await sibling(PUBLIC_KEY_FILE),
    identity_file: await sibling(PEER_ID_FILE),
  };
  context.io.out(JSON.stringify(document) + "\n");
  return 0;
}

const SUBCOMMANDS: readonly Subcommand[] = [
  { name: "generate", help: GENERATE_HELP, run: runGenerate },
  { name: "show", help: SHOW_HELP, run: runShow },
];

/** The `allora keys` command. */
export const command: Command = {
  name: "keys",
  summary: "generate or show a libp2p identity (priv.bin, pub.bin, identity)",
  help: HELP,
  helpFor: (argv) => subcommandHelp(SUBCOMMANDS, argv, HELP),
  run: (argv, context) => runSubcommand("allora keys", SUBCOMMANDS, argv, context),
};
