/**
 * The Allora chain client: connection and queries, canonical decimals, worker bundles,
 * registration and payload submission.
 *
 * @module
 */
export * from "./account.ts";
export * from "./bundle.ts";
export * from "./client.ts";
export * from "./dec.ts";
export {
  type ChainErrorKind,
  describeChainCode,
  type ErrorCause,
  findErrorCause,
  type Meaning,
} from "./error_codes.ts";
export * from "./errors.ts";
export * from "./fees.ts";
export * from "./output.ts";
export * from "./payload.ts";
export * from "./registration.ts";
export { ChainTimeoutError, ChainUnreachableError } from "./rpc.ts";
export type { SubmitOptions, TxResult } from "./submit.ts";
export * from "./topics.ts";
export * from "./version.ts";
export * from "./emissions/mod.ts";
