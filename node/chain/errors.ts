/**
 * Errors of chain calls, with the chain's ABCI code mapped to a plain message and a next step
 * (the table is in `error_codes.ts`).
 *
 * @module
 */
import {
  type ChainErrorKind,
  describeChainCode,
  FAUCET_HINT,
  findErrorCause,
} from "./error_codes.ts";

/**
 * A transaction or query the chain rejected with an ABCI code. `code` and `codespace` name the
 * error's cause: for a failed simulation they come from the log, because the chain reports it
 * as sdk code 6 (`reportedCode`) quoting the cause.
 */
export class ChainError extends Error {
  override name = "ChainError";
  readonly code: number;
  readonly codespace: string;
  /** The code of the ABCI response, which differs from `code` when the cause was in the log. */
  readonly reportedCode: number;
  readonly reportedCodespace: string;
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
    const log = details.log ?? "";
    const meaning = describeChainCode(details.code, details.codespace, log);
    const cause = findErrorCause(details.code, details.codespace, log);
    const reported = cause.code === details.code && cause.codespace === details.codespace
      ? ""
      : `, reported as ${details.codespace || "unknown"} code ${details.code}`;
    super(
      `Cannot ${operation}: ${meaning.message} (${cause.codespace || "unknown"} code ` +
        `${cause.code}${reported})`,
      options,
    );
    this.code = cause.code;
    this.codespace = cause.codespace;
    this.reportedCode = details.code;
    this.reportedCodespace = details.codespace;
    this.kind = meaning.kind;
    this.log = log;
    this.txHash = details.txHash;
    this.hint = meaning.hint;
  }
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
  /** The highest topic id the chain has handed out (0 when it has none), when known. */
  readonly lastTopicId?: bigint;
  readonly hint: string;

  /**
   * @param operation what failed, for the message: "register in topic 3"
   *   (default: "use topic ID")
   */
  constructor(topicId: bigint, options: { operation?: string; lastTopicId?: bigint } = {}) {
    const { operation = `use topic ${topicId}`, lastTopicId } = options;
    super(`Cannot ${operation}: topic ${topicId} does not exist`);
    this.topicId = topicId;
    this.lastTopicId = lastTopicId;
    if (lastTopicId === undefined) {
      this.hint = "check the id; 'allora chain topic ID' shows a topic";
    } else if (lastTopicId === 0n) {
      this.hint = "this chain has no topics yet; check --rpc or chain.rpc";
    } else {
      this.hint = `this chain's topic ids run from 1 to ${lastTopicId}; check the id`;
    }
  }
}
