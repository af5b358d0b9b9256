/**
 * Reading wallet secrets from the user, shared by `allora wallet`, `allora init --env prod`
 * and `allora chain`: the keystore password (environment or hidden prompt), the mnemonic
 * (hidden prompt or standard input), and wallet errors turned into CLI errors with hints.
 *
 * Secrets are returned to the caller only; nothing here logs or prints them.
 *
 * @module
 */
import type { Context } from "./command.ts";
import { CliError } from "./errors.ts";
import {
  type KeystoreInfo,
  readKeystore,
  unlockKeystore,
  validateMnemonic,
  WalletError,
  type WalletErrorCode,
} from "../node/wallet/mod.ts";

/** Environment variable that supplies the keystore password without a prompt. */
export const PASSWORD_ENV = "ALLORA_WALLET_PASSWORD";
/** Shortest password accepted for a new keystore. */
export const MIN_PASSWORD_LENGTH = 8;
/** Keystore path used when `--keystore` is not given, relative to the current folder. */
export const DEFAULT_KEYSTORE_PATH = "keys/wallet.json";

/** Prompt texts, exported so tests can match them. */
export const PASSWORD_PROMPT = "Keystore password: ";
export const CONFIRM_PROMPT = "Repeat the password: ";
export const MNEMONIC_PROMPT = "Mnemonic (12 to 24 words, input hidden): ";

/**
 * Returns the keystore password from `ALLORA_WALLET_PASSWORD`, or else prompts for it on the
 * terminal without echo. With `confirm` (a new keystore) it is asked twice and must have at
 * least {@link MIN_PASSWORD_LENGTH} characters.
 *
 * @throws {CliError} when no terminal is available and the variable is unset, when the input
 *   ends, or when the password is empty, too short or not repeated identically
 */
export async function obtainPassword(
  context: Context,
  options: { confirm: boolean },
): Promise<string> {
  const { io } = context;
  const fromEnv = io.env(PASSWORD_ENV);
  if (fromEnv !== undefined) {
    checkPassword(fromEnv, options.confirm, `the password in ${PASSWORD_ENV}`);
    return fromEnv;
  }
  if (!io.stdinIsTerminal) {
    throw new CliError("Cannot ask for the keystore password: standard input is not a terminal", {
      hint: `set ${PASSWORD_ENV}, or run the command in a terminal`,
    });
  }

  const password = await promptSecret(context, PASSWORD_PROMPT, "the password");
  checkPassword(password, options.confirm, "the password");
  if (options.confirm) {
    const repeated = await promptSecret(context, CONFIRM_PROMPT, "the password");
    if (repeated !== password) {
      throw new CliError("Cannot set the keystore password: the two entries differ", {
        hint: "run the command again and type the same password twice",
      });
    }
  }
  return password;
}

/**
 * Reads a mnemonic from a hidden prompt on a terminal, or else from all of standard input,
 * and validates it.
 *
 * @returns the normalized phrase
 * @throws {CliError} when nothing was entered or the phrase is not valid BIP39; the message
 *   never contains the words
 */
export async function obtainMnemonic(context: Context): Promise<string> {
  const { io } = context;
  const text = io.stdinIsTerminal
    ? await promptSecret(context, MNEMONIC_PROMPT, "the mnemonic")
    : await io.readStdin();
  if (text.trim() === "") {
    throw new CliError("Cannot read the mnemonic: the input is empty", {
      hint: "type the words at the prompt, or pipe them in: allora wallet import < words.txt",
    });
  }
  try {
    return validateMnemonic(text);
  } catch (error) {
    throw error instanceof WalletError ? toCliError(error) : error;
  }
}

/**
 * Reads a keystore, obtains its password and decrypts it.
 *
 * @throws {CliError} for a missing or corrupt keystore, a wrong password or no way to ask
 */
export async function unlockWallet(
  context: Context,
  path: string,
): Promise<{ info: KeystoreInfo; mnemonic: string }> {
  try {
    const info = await readKeystore(path);
    const password = await obtainPassword(context, { confirm: false });
    return { info, mnemonic: await unlockKeystore(path, password) };
  } catch (error) {
    throw error instanceof WalletError ? toCliError(error) : error;
  }
}

const HINTS: Record<WalletErrorCode, string> = {
  "invalid-mnemonic": "check the words against your backup; they come from the BIP39 English list",
  "wrong-password": `retype the password, or check ${PASSWORD_ENV} if it is set`,
  "not-found":
    "create one with 'allora wallet new' or 'allora wallet import', or pass --keystore PATH",
  "corrupt":
    "restore the file from a backup, or recreate it from the mnemonic with 'allora wallet import --force'",
  "exists": "pass --force to replace it; the mnemonic it holds is lost unless you have a backup",
};

/** Turns a {@link WalletError} into a {@link CliError} with a hint for its code. */
export function toCliError(error: WalletError): CliError {
  // The cause is left out: the message is complete, and the CLI would print the cause too.
  return new CliError(error.message, { hint: HINTS[error.code] });
}

async function promptSecret(
  context: Context,
  question: string,
  secretName: string,
): Promise<string> {
  const answer = await context.io.prompt(question, { secret: true });
  if (answer === null) {
    throw new CliError(`Cannot read ${secretName}: the input ended`, {
      hint: "run the command again and answer the prompt",
    });
  }
  return answer;
}

function checkPassword(password: string, creating: boolean, source: string): void {
  if (password === "") {
    throw new CliError(`Cannot use ${source}: it is empty`, {
      hint: `enter a password, or unset ${PASSWORD_ENV} to be asked`,
    });
  }
  if (creating && password.length < MIN_PASSWORD_LENGTH) {
    throw new CliError(
      `Cannot use ${source}: it has fewer than ${MIN_PASSWORD_LENGTH} characters`,
      { hint: `choose a longer password; it protects the mnemonic` },
    );
  }
}
