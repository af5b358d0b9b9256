/**
 * Errors of chain calls, with the chain's ABCI code mapped to a plain message and a next step.
 *
 * Codes: `x/emissions/types/errors.go` of allora-chain and the Cosmos SDK's `types/errors`.
 * Whitelist rejections have changed codes between releases, so they are recognised by their
 * log text as well.
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

interface Meaning {
  kind: ChainErrorKind;
  message: string;
  hint: string;
}

const FAUCET_HINT = "fund the wallet (testnet faucet: https://faucet.testnet.allora.network/), " +
  "then check with 'allora chain balance'";

const EMISSIONS_CODES: Record<number, Meaning> = {
  6: { kind: "invalid-topic", message: "invalid topic id", hint: "check the topic id" },
  8: {
    kind: "already-registered",
    message: "the address is already registered in this topic",
    hint: "nothing to do; the worker can submit",
  },
  10: {
    kind: "not-registered",
    message: "the address is not registered in this topic",
    hint: "register first: allora chain register --topic ID",
  },
  13: {
    kind: "not-registered",
    message: "the address is not registered",
    hint: "register first: allora chain register --topic ID",
  },
  23: {
    kind: "topic-not-found",
    message: "the topic does not exist",
    hint: "check the topic id with 'allora chain topic ID'",
  },
  44: {
    kind: "nonce-fulfilled",
    message: "the nonce is already fulfilled",
    hint: "wait for the next epoch",
  },
  47: {
    kind: "signature-invalid",
    message: "the bundle signature does not verify",
    hint: "sign with the wallet that sends the payload; values must be canonical decimals",
  },
  48: {
    kind: "insufficient-balance",
    message: "the balance does not cover the registration fee",
    hint: FAUCET_HINT,
  },
  67: {
    kind: "window-closed",
    message: "the worker submission window is closed",
    hint: "wait for the next window; do not retry this nonce",
  },
  75: {
    kind: "nonce-not-found",
    message: "the nonce is not an unfulfilled worker nonce",
    hint: "fetch the current nonce and submit for that one",
  },
  78: {
    kind: "already-submitted",
    message: "this worker already submitted in this window",
    hint: "wait for the next window",
  },
};

const SDK_CODES: Record<number, Meaning> = {
  5: { kind: "insufficient-balance", message: "insufficient funds", hint: FAUCET_HINT },
  11: {
    kind: "out-of-gas",
    message: "out of gas",
    hint: "retry; the gas estimate is multiplied by at least 1.5",
  },
  13: {
    kind: "insufficient-fee",
    message: "the fee is below the chain's gas price",
    hint: "set chain.gas_price to auto or raise it",
  },
  19: {
    kind: "tx-in-mempool",
    message: "the transaction is already in the mempool",
    hint: "wait for the next block",
  },
  32: {
    kind: "sequence-mismatch",
    message: "account sequence mismatch",
    hint: "another process sends from this wallet; the client resynchronizes and retries",
  },
};

const WHITELIST_REGEXP = /whitelist|not permitted to submit|cannot submit worker payload/i;

/** A transaction or query the chain rejected with an ABCI code. */
export class ChainError extends Error {
  override name = "ChainError";
  readonly code: number;
  readonly codespace: string;
  readonly kind: ChainErrorKind;
  /** The chain's log line. */
  readonly log: string;
  /** Hash of the rejected transaction, when it got one. */
  readonly txHash?: string;
  /** The next step for the user. */
  readonly hint: string;

  constructor(
    operation: string,
    details: { code: number; codespace: string; log?: string; txHash?: string },
    options?: ErrorOptions,
  ) {
    const meaning = describeChainCode(details.code, details.codespace, details.log ?? "");
    super(
      `Cannot ${operation}: ${meaning.message} (${details.codespace || "unknown"} code ` +
        `${details.code})`,
      options,
    );
    this.code = details.code;
    this.codespace = details.codespace;
    this.kind = meaning.kind;
    this.log = details.log ?? "";
    this.txHash = details.txHash;
    this.hint = meaning.hint;
  }
}

/** Maps an ABCI code and codespace (and the log, for whitelist errors) to its meaning. */
export function describeChainCode(code: number, codespace: string, log: string): Meaning {
  if (WHITELIST_REGEXP.test(log)) {
    return {
      kind: "not-whitelisted",
      message: "the address is not on the topic's or the chain's worker whitelist",
      hint: "ask the topic creator or the network admins to whitelist the address",
    };
  }
  let table: Record<number, Meaning> = {};
  if (codespace === "emissions") table = EMISSIONS_CODES;
  if (codespace === "sdk") table = SDK_CODES;
  return table[code] ?? {
    kind: "unknown",
    message: log.split("\n")[0] || "the chain rejected the request",
    hint: "see the chain log line above; rerun with --log-level debug",
  };
}

/** An account that does not exist on chain yet because it has never received tokens. */
export class AccountNotFoundError extends Error {
  override name = "AccountNotFoundError";
  readonly address: string;
  readonly hint = FAUCET_HINT;

  constructor(address: string, options?: ErrorOptions) {
    super(`Cannot use account ${address}: it does not exist on chain (never funded)`, options);
    this.address = address;
  }
}

/** A chain that serves none of the supported emissions versions. */
export class UnsupportedChainError extends Error {
  override name = "UnsupportedChainError";
  /** Query paths that were tried. */
  readonly probed: string[];

  constructor(message: string, probed: string[]) {
    super(message);
    this.probed = probed;
  }
}

/** A balance that does not cover a fee, found before sending anything. */
export class InsufficientBalanceError extends Error {
  override name = "InsufficientBalanceError";
  readonly address: string;
  /** uallo */
  readonly balance: bigint;
  /** uallo */
  readonly required: bigint;
  readonly hint = FAUCET_HINT;

  constructor(address: string, balance: bigint, required: bigint, purpose: string) {
    super(
      `Cannot ${purpose}: balance of ${address} is ${balance} uallo, ` +
        `${required} uallo needed`,
    );
    this.address = address;
    this.balance = balance;
    this.required = required;
  }
}

/** An ABCI query for which the chain returned a non-zero code. */
export class AbciQueryError extends Error {
  override name = "AbciQueryError";
  readonly path: string;
  readonly code: number;
  readonly codespace: string;
  readonly log: string;

  constructor(path: string, code: number, codespace: string, log: string) {
    // Same wording as @cosmjs's QueryClient, whose account lookup matches on the log text.
    super(`Query failed with (${code}): ${log}`);
    this.path = path;
    this.code = code;
    this.codespace = codespace;
    this.log = log;
  }
}

/** A topic id the chain does not know. */
export class TopicNotFoundError extends Error {
  override name = "TopicNotFoundError";
  readonly topicId: bigint;
  readonly hint = "check the id; list a topic with 'allora chain topic ID'";

  constructor(topicId: bigint) {
    super(`Cannot find topic ${topicId} on chain`);
    this.topicId = topicId;
  }
}
