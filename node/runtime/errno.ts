/**
 * Error numbers that the Blockless host modules return to the guest, and the exit codes of a
 * run. The values are the ABI of bls-runtime v0.3.1 and @blockless/sdk 1.1.3: guests compare
 * them, so they must not change.
 *
 * @module
 */

/** Errno of `blockless_memory`. */
export const MemoryErrno = {
  SUCCESS: 0,
  INVALID_HANDLE: 1,
  RUNTIME_ERROR: 2,
  INVALID_PARAMETER: 3,
} as const;

/** Errno of `blockless_http`. */
export const HttpErrno = {
  SUCCESS: 0,
  INVALID_HANDLE: 1,
  MEMORY_ACCESS_ERROR: 2,
  BUFFER_TOO_SMALL: 3,
  HEADER_NOT_FOUND: 4,
  UTF8_ERROR: 5,
  DESTINATION_NOT_ALLOWED: 6,
  INVALID_METHOD: 7,
  INVALID_ENCODING: 8,
  INVALID_URL: 9,
  REQUEST_ERROR: 10,
  RUNTIME_ERROR: 11,
  TOO_MANY_SESSIONS: 12,
  INVALID_DRIVER: 13,
  PERMISSION_DENIED: 14,
} as const;

/** Errno of `blockless_cgi`. */
export const CgiErrno = {
  SUCCESS: 0,
  INVALID_HANDLE: 1,
  RUNTIME_ERROR: 2,
  INVALID_PARAMETER: 3,
} as const;

/**
 * The "runtime error" member of each stubbed module's errno enum (position in the witx enums
 * of blockless_ipfs and blockless_s3). For socket and drivers no runtime-error member exists,
 * so their stubs use 2, the generic failure used by blockless_memory and blockless_cgi.
 */
export const STUB_RUNTIME_ERRNO: Readonly<Record<string, number>> = {
  blockless_ipfs: 7,
  blockless_s3: 9,
  blockless_socket: 2,
  blockless_drivers: 2,
};

/** Exit codes of a run, as reported in `result.exit_code`. */
export const ExitCode = {
  SUCCESS: 0,
  FUEL_EXHAUSTED: 1,
  STACK_OVERFLOW: 2,
  MEMORY_OUT_OF_BOUNDS: 3,
  TABLE_OUT_OF_BOUNDS: 5,
  NULL_INDIRECT_CALL: 6,
  SIGNATURE_MISMATCH: 7,
  INTEGER_OVERFLOW: 8,
  DIVIDE_BY_ZERO: 9,
  INVALID_CONVERSION: 10,
  UNREACHABLE: 11,
  OTHER_TRAP: 13,
  LIMIT_EXCEEDED: 14,
  TIMEOUT: 15,
  INVALID_MODULE: 128,
} as const;
