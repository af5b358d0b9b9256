/**
 * Errors of the function store. Callers branch on {@link InstallError.code}. The worker replies
 * to a roll call or an install message with "500" for any of them.
 *
 * @module
 */

/** Cause of an install failure. */
export type InstallErrorCode =
  | "manifest"
  | "download"
  | "checksum"
  | "cid-mismatch"
  | "archive"
  | "limit"
  | "invalid-module"
  | "invalid-cid"
  | "not-found";

/** Details attached to an {@link InstallError}. */
export interface InstallErrorOptions extends ErrorOptions {
  /** URL or local path the failing step read. */
  source?: string;
  /** HTTP status of a failed response. */
  status?: number;
}

/** A function that could not be installed; nothing is left in the workspace for it. */
export class InstallError extends Error {
  override name = "InstallError";
  readonly code: InstallErrorCode;
  /** The function id the install was for; empty when a local path had no id yet. */
  readonly cid: string;
  readonly source?: string;
  readonly status?: number;

  constructor(
    code: InstallErrorCode,
    cid: string,
    message: string,
    options: InstallErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.cid = cid;
    this.source = options.source;
    this.status = options.status;
  }
}

/** A method that is not a single file name, or that names no file of the installed function. */
export class MethodError extends Error {
  override name = "MethodError";
  readonly reason: "invalid" | "missing";
  readonly cid: string;
  readonly method: string;

  constructor(reason: "invalid" | "missing", cid: string, method: string, message: string) {
    super(message);
    this.reason = reason;
    this.cid = cid;
    this.method = method;
  }
}
