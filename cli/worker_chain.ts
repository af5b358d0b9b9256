/**
 * The chain side of `allora worker`: picks the wallet, then starts the chain session
 * (connection and registration) and the payload submitter.
 *
 * The wallet comes from, in order: `--no-chain` (none), the mnemonic in
 * `ALLORA_WALLET_MNEMONIC` (what `allora dev` gives its workers), or the keystore of `--wallet`
 * or `chain.wallet` unlocked with `ALLORA_WALLET_PASSWORD`. Without any the worker runs as
 * before, without a chain. Secrets are read from the environment, removed from it, and never
 * logged.
 *
 * @module
 */
import { join } from "node:path";
import type { Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { PASSWORD_ENV, toCliError } from "./wallet_input.ts";
import type { WorkerSettings } from "./worker_options.ts";
import type { ChainAccount } from "../node/chain/mod.ts";
import { pathExists } from "../node/fs.ts";
import { NonceRecord } from "../node/nonce_record.ts";
import {
  deriveAccount,
  unlockKeystore,
  validateMnemonic,
  WalletError,
} from "../node/wallet/mod.ts";
import { ChainSession } from "../node/worker/chain_session.ts";
import { SUBMISSION_RECORD_FILE } from "../node/worker/constants.ts";
import { PayloadSubmitter } from "../node/worker/submission.ts";

/** Environment variable with a wallet mnemonic, read instead of a keystore when set. */
export const MNEMONIC_ENV = "ALLORA_WALLET_MNEMONIC";

const WORKER_TOPIC_REGEXP = /^allora-topic-(\d{1,19})-worker$/;

/** The worker's running chain parts. */
export interface WorkerChain {
  account: ChainAccount;
  submitter: PayloadSubmitter;
  /** Waits briefly for payloads in flight, then disconnects. */
  close(): Promise<void>;
}

/**
 * Starts the chain session and payload submitter when the worker has a wallet.
 *
 * @returns undefined when the worker runs without a chain
 * @throws {CliError} when `--wallet` names a missing keystore, the password is missing for it,
 *   or a password or mnemonic is wrong
 */
export async function startWorkerChain(
  settings: WorkerSettings,
  context: Context,
): Promise<WorkerChain | undefined> {
  const { logger } = context;
  const account = await resolveAccount(settings, context);
  if (account === undefined) return undefined;

  const topics = settings.topics.flatMap((name) => {
    const match = WORKER_TOPIC_REGEXP.exec(name);
    return match ? [BigInt(match[1])] : [];
  });
  if (topics.length === 0) {
    logger.warn("no Allora worker topic to register in; payloads are not submitted", {
      address: account.address,
      hint: "serve a topic with --topic N",
    });
    return undefined;
  }

  const { rpc, emissionsVersion, gasPrice } = settings.chain;
  const record = await NonceRecord.open(join(settings.workspace, SUBMISSION_RECORD_FILE), {
    logger,
  });
  const session = ChainSession.start({
    rpc,
    emissionsVersion,
    gasPrice,
    account,
    topics,
    logger,
    // Nonces above the chain's height come from an earlier chain, such as a new devnet.
    onConnect: async (client) => {
      await record.dropAbove(BigInt((await client.status()).height));
    },
  });
  const submitter = new PayloadSubmitter({ session, record, logger });
  logger.info("submitting payloads to the chain", {
    address: account.address,
    rpc,
    topics,
    submitted_nonces: record.size,
  });
  return {
    account,
    submitter,
    async close() {
      await submitter.close();
      session.close();
    },
  };
}

async function resolveAccount(
  settings: WorkerSettings,
  context: Context,
): Promise<ChainAccount | undefined> {
  const { logger } = context;
  const { enabled, keystore, keystoreGiven } = settings.chain;
  if (!enabled) {
    logger.info("running without a chain (--no-chain); payloads are not submitted");
    return undefined;
  }

  const mnemonic = takeSecret(context, MNEMONIC_ENV);
  if (mnemonic !== undefined) {
    try {
      return await deriveAccount(validateMnemonic(mnemonic));
    } catch (error) {
      if (!(error instanceof WalletError)) throw error;
      throw new CliError(`Cannot use the mnemonic in ${MNEMONIC_ENV}: ${error.message}`, {
        hint: `check the words, or unset ${MNEMONIC_ENV} to use the keystore`,
      });
    }
  }

  if (!await pathExists(keystore)) {
    if (keystoreGiven) {
      throw new CliError(`Cannot find the wallet keystore ${keystore}`, {
        hint: "create it with 'allora wallet new', or fix the path given to --wallet",
      });
    }
    logger.info("no chain wallet; payloads are not submitted", {
      keystore,
      hint: `create one with 'allora wallet new' and set ${PASSWORD_ENV}`,
    });
    return undefined;
  }
  const password = takeSecret(context, PASSWORD_ENV);
  if (password === undefined) {
    if (keystoreGiven) {
      throw new CliError(
        `Cannot unlock the wallet keystore ${keystore}: ${PASSWORD_ENV} is not set`,
        {
          hint: `set ${PASSWORD_ENV}, or leave out --wallet to run without a chain`,
        },
      );
    }
    logger.warn("wallet keystore found but its password is not set; payloads are not submitted", {
      keystore,
      hint: `set ${PASSWORD_ENV} to submit payloads`,
    });
    return undefined;
  }
  try {
    return await deriveAccount(await unlockKeystore(keystore, password));
  } catch (error) {
    throw error instanceof WalletError ? toCliError(error) : error;
  }
}

// Reads a secret and removes it from the process environment, so nothing the worker starts
// later inherits it (extensions already run with a cleared environment).
function takeSecret(context: Context, name: string): string | undefined {
  const value = context.io.env(name);
  if (value === undefined || value === "") return undefined;
  try {
    Deno.env.delete(name);
  } catch {
    // Without env permission there is nothing to remove it from.
  }
  return value;
}
