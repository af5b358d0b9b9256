/**
 * ABCI error codes of the chain and what they mean for the user: a kind callers act on, a plain
 * message and a next step.
 *
 * Codes and descriptions: `x/emissions/types/errors.go` of allora-chain and `types/errors` of the
 * Cosmos SDK. Whitelist rejections have changed codes between releases, so they are recognised
 * by their log text as well.
 *
 * A failed simulation does not carry the code of its cause. The SDK's transaction service turns
 * the error into gRPC status Unknown, and the query router reports that as sdk code 6 ("unknown
 * request") whose log quotes the cause: "rpc error: code = Unknown desc = failed to execute
 * message; message index: 0: <detail>: cannot update EMA more than once per window With gas
 * wanted: '…' and gas used: '…' : unknown request". {@link findErrorCause} recovers the cause
 * from such a log, by the "codespace X code N" text a registered error puts in a gRPC status, or
 * else by the cause's registered description.
 *
 * @module
 */

/** Category of a chain error, for callers to act on. */
export type ChainErrorKind =
  | "invalid-topic"
  | "topic-not-found"
  | "already-registered"
  | "not-registered"
  | "insufficient-balance"
  | "insufficient-fee"
  | "out-of-gas"
  | "window-closed"
  | "nonce-not-found"
  | "nonce-fulfilled"
  | "already-submitted"
  | "signature-invalid"
  | "not-whitelisted"
  | "sequence-mismatch"
  | "tx-in-mempool"
  | "unknown";

/** The meaning of an error code for the user: a kind, a message and a next step. */
export interface Meaning {
  kind: ChainErrorKind;
  message: string;
  hint: string;
}

/** A registered error of the chain: its code and the description it was registered with. */
interface RegisteredError extends Meaning {
  /** The description the chain registered, which ends the log of a wrapped error. */
  description: string;
}

/** The codespace and code of the registered error behind an ABCI result. */
export interface ErrorCause {
  codespace: string;
  code: number;
}

/** The next step when the balance is too low. */
export const FAUCET_HINT =
  "fund the wallet (testnet faucet: https://faucet.testnet.allora.network/), " +
  "then check with 'allora chain balance'";

const EMISSIONS_CODES: Record<number, RegisteredError> = {
  6: {
    kind: "invalid-topic",
    message: "invalid topic id",
    hint: "check the topic id",
    description: "invalid topic ID",
  },
  8: {
    kind: "already-registered",
    message: "the address is already registered in this topic",
    hint: "nothing to do; the worker can submit",
    description: "address already registered in a topic",
  },
  10: {
    kind: "not-registered",
    message: "the address is not registered in this topic",
    hint: "register first: allora chain register --topic ID",
    description: "address is not registered in this topic",
  },
  13: {
    kind: "not-registered",
    message: "the address is not registered",
    hint: "register first: allora chain register --topic ID",
    description: "address not registered",
  },
  23: {
    kind: "topic-not-found",
    message: "the topic does not exist",
    hint: "check the topic id with 'allora chain topic ID'",
    description: "topic does not exist",
  },
  // NOTE: allora-chain has registered 44 as "nonce already fulfilled" and, in later releases, as
  // "unfulfilled nonce not found". This entry follows the first meaning.
  44: {
    kind: "nonce-fulfilled",
    message: "the nonce is already fulfilled",
    hint: "wait for the next epoch",
    description: "nonce already fulfilled",
  },
  47: {
    kind: "signature-invalid",
    message: "the bundle signature does not verify",
    hint: "sign with the wallet that sends the payload; values must be canonical decimals",
    description: "signature verification was failed",
  },
  48: {
    kind: "insufficient-balance",
    message: "the balance does not cover the registration fee",
    hint: FAUCET_HINT,
    description: "topic registrant does not have enough denom",
  },
  67: {
    kind: "window-closed",
    message: "the worker submission window is closed",
    hint: "wait for the next window; do not retry this nonce",
    description: "worker nonce window not available",
  },
  75: {
    kind: "nonce-not-found",
    message: "the nonce is not an unfulfilled worker nonce",
    hint: "fetch the current nonce and submit for that one",
    description: "unfulfilled nonce not found",
  },
  78: {
    kind: "already-submitted",
    message: "this worker already submitted in this window",
    hint: "wait for the next window",
    description: "cannot update EMA more than once per window",
  },
};

const SDK_CODES: Record<number, RegisteredError> = {
  5: {
    kind: "insufficient-balance",
    message: "insufficient funds",
    hint: FAUCET_HINT,
    description: "insufficient funds",
  },
  11: {
    kind: "out-of-gas",
    message: "out of gas",
    hint: "retry; the gas estimate is multiplied by at least 1.5",
    description: "out of gas",
  },
  13: {
    kind: "insufficient-fee",
    message: "the fee is below the chain's gas price",
    hint: "set chain.gas_price to auto or raise it",
    description: "insufficient fee",
  },
  19: {
    kind: "tx-in-mempool",
    message: "the transaction is already in the mempool",
    hint: "wait for the next block",
    description: "tx already in mempool",
  },
  32: {
    kind: "sequence-mismatch",
    message: "account sequence mismatch",
    hint: "another process sends from this wallet; the client resynchronizes and retries",
    description: "incorrect account sequence",
  },
};

const TABLES: Record<string, Record<number, RegisteredError>> = {
  emissions: EMISSIONS_CODES,
  sdk: SDK_CODES,
};

// Descriptions of the sdk errors that the query router wraps a cause in.
const WRAPPER_DESCRIPTIONS: Record<number, string> = {
  6: "unknown request",
  18: "invalid request",
  22: "key not found",
};

const WHITELIST_REGEXP = /whitelist|not permitted to submit|cannot submit worker payload/i;
const STATUS_CAUSE_REGEXP = /codespace (\w+) code (\d+)/;
const SIMULATION_SUFFIX_REGEXP = / With gas wanted: '\d+' and gas used: '\d+'.*$/s;

/**
 * Returns the registered error behind an ABCI result: the code itself when it is one the client
 * knows, else the cause the log quotes, else the code as given.
 */
export function findErrorCause(code: number, codespace: string, log: string): ErrorCause {
  if (TABLES[codespace]?.[code] !== undefined) return { codespace, code };
  const status = STATUS_CAUSE_REGEXP.exec(log);
  if (status !== null && TABLES[status[1]]?.[Number(status[2])] !== undefined) {
    return { codespace: status[1], code: Number(status[2]) };
  }
  const text = stripWrappers(log, codespace === "sdk" ? WRAPPER_DESCRIPTIONS[code] : undefined);
  for (const [space, table] of Object.entries(TABLES)) {
    for (const [number, entry] of Object.entries(table)) {
      if (text === entry.description || text.endsWith(`: ${entry.description}`)) {
        return { codespace: space, code: Number(number) };
      }
    }
  }
  return { codespace, code };
}

/** Removes the simulation's gas suffix and the wrapping error's own description from a log. */
function stripWrappers(log: string, wrapper: string | undefined): string {
  let text = log.replace(SIMULATION_SUFFIX_REGEXP, "").trim();
  if (wrapper !== undefined && text.endsWith(`: ${wrapper}`)) {
    text = text.slice(0, -(wrapper.length + 2));
  }
  return text;
}

/**
 * Maps an ABCI code and codespace to its meaning, with whitelist errors recognised by the log
 * and wrapped causes found by {@link findErrorCause}.
 */
export function describeChainCode(code: number, codespace: string, log: string): Meaning {
  if (WHITELIST_REGEXP.test(log)) {
    return {
      kind: "not-whitelisted",
      message: "the address is not on the topic's or the chain's worker whitelist",
      hint: "ask the topic creator or the network admins to whitelist the address",
    };
  }
  const cause = findErrorCause(code, codespace, log);
  const entry = TABLES[cause.codespace]?.[cause.code];
  if (entry !== undefined) {
    const { kind, message, hint } = entry;
    return { kind, message, hint };
  }
  return {
    kind: "unknown",
    message: log.split("\n")[0] || "the chain rejected the request",
    hint: "see the chain log line above; rerun with --log-level debug",
  };
}
