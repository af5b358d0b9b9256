/**
 * The one error class of the wallet module. Callers switch on its `code`.
 *
 * @module
 */

/** Reason of a wallet failure, for callers that handle each case differently. */
export type WalletErrorCode =
  | "invalid-mnemonic"
  | "wrong-password"
  | "not-found"
  | "corrupt"
  | "exists";

/**
 * A wallet operation that failed for a reason the user can fix. The message never contains
 * the mnemonic or the password.
 */
export class WalletError extends Error {
  override name = "WalletError";
  readonly code: WalletErrorCode;
  /** The keystore file involved, when there is one. */
  readonly path?: string;

  constructor(
    code: WalletErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}
