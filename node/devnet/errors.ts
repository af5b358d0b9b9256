/**
 * ABCI errors of the chain double: a codespace, a code and a log, formatted as the Cosmos SDK
 * formats a wrapped registered error ("<detail>: <description>").
 *
 * @module
 */

/** Codes of the `sdk` codespace that the double returns (cosmos-sdk types/errors). */
export const SDK_CODES = {
  txDecode: 2,
  unauthorized: 4,
  insufficientFunds: 5,
  unknownRequest: 6,
  invalidAddress: 7,
  invalidPubKey: 8,
  unknownAddress: 9,
  invalidCoins: 10,
  outOfGas: 11,
  memoTooLarge: 12,
  insufficientFee: 13,
  noSignatures: 15,
  invalidRequest: 18,
  keyNotFound: 22,
  invalidHeight: 26,
  txTimeoutHeight: 30,
  unknownExtensionOptions: 31,
  wrongSequence: 32,
  notSupported: 37,
} as const;

const SDK_DESCRIPTIONS: Record<number, string> = {
  2: "tx parse error",
  4: "unauthorized",
  5: "insufficient funds",
  6: "unknown request",
  7: "invalid address",
  8: "invalid pubkey",
  9: "unknown address",
  10: "invalid coins",
  11: "out of gas",
  12: "memo too large",
  13: "insufficient fee",
  15: "no signatures supplied",
  18: "invalid request",
  22: "key not found",
  26: "invalid height",
  30: "tx timeout height",
  31: "unknown extension options",
  32: "incorrect account sequence",
  37: "feature not supported",
};

/** Codes of the `emissions` codespace that the double returns (x/emissions/types/errors.go). */
export const EMISSIONS_CODES = {
  invalidTopicId: 6,
  alreadyRegistered: 8,
  notRegisteredInTopic: 10,
  addressNotRegistered: 13,
  topicDoesNotExist: 23,
  registrantNotEnoughDenom: 48,
  receivedZeroAmount: 51,
  windowNotAvailable: 67,
  unfulfilledNonceNotFound: 75,
  emaUpdatedThisWindow: 78,
} as const;

const EMISSIONS_DESCRIPTIONS: Record<number, string> = {
  6: "invalid topic ID",
  8: "address already registered in a topic",
  10: "address is not registered in this topic",
  13: "address not registered",
  23: "topic does not exist",
  48: "topic registrant does not have enough denom",
  51: "received zero amount",
  67: "worker nonce window not available",
  75: "unfulfilled nonce not found",
  78: "cannot update EMA more than once per window",
};

/** A failed transaction or query, as the chain reports it in an ABCI response. */
export class AbciError extends Error {
  override name = "AbciError";
  readonly codespace: string;
  readonly code: number;

  constructor(codespace: string, code: number, log: string) {
    super(log);
    this.codespace = codespace;
    this.code = code;
  }

  /** The ABCI `log` field. */
  get log(): string {
    return this.message;
  }
}

/** Returns an `sdk` error whose log is `detail: description`, or the description alone. */
export function sdkError(code: number, detail?: string): AbciError {
  return wrapped("sdk", code, SDK_DESCRIPTIONS[code] ?? `error code ${code}`, detail);
}

/** Returns an `emissions` error whose log is `detail: description`, or the description alone. */
export function emissionsError(code: number, detail?: string): AbciError {
  return wrapped("emissions", code, EMISSIONS_DESCRIPTIONS[code] ?? `error code ${code}`, detail);
}

function wrapped(codespace: string, code: number, description: string, detail?: string) {
  return new AbciError(codespace, code, detail ? `${detail}: ${description}` : description);
}

/** Thrown when a gas meter passes its limit; becomes sdk code 11 in the result. */
export class OutOfGasError extends AbciError {
  override name = "OutOfGasError";
  constructor(descriptor: string, limit: bigint, used: bigint) {
    super(
      "sdk",
      SDK_CODES.outOfGas,
      `out of gas in location: ${descriptor}; gasWanted: ${limit}, gasUsed: ${used}: out of gas`,
    );
  }
}

const GRPC_STATUS_SDK_CODE = { NotFound: 22, InvalidArgument: 18, Unimplemented: 6 } as const;

/**
 * Returns a query error as the SDK reports a gRPC status through ABCI: for example
 * "rpc error: code = NotFound desc = account allo1… not found: key not found" with code 22.
 * cosmjs matches "rpc error: code = NotFound" to treat a missing account as `null`.
 */
export function grpcError(status: keyof typeof GRPC_STATUS_SDK_CODE, desc: string): AbciError {
  return sdkError(GRPC_STATUS_SDK_CODE[status], `rpc error: code = ${status} desc = ${desc}`);
}
