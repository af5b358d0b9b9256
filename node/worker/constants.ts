/**
 * Numbers that shape the worker's behaviour, each with its unit.
 *
 * @module
 */

/** First delay before re-dialing a boot node after a failed dial. */
export const DIAL_BACKOFF_INITIAL_MS = 1_000;
/** Upper bound of the re-dial delay; the delay doubles until it reaches this. */
export const DIAL_BACKOFF_MAX_MS = 30_000;
/** Random spread applied to each re-dial delay, as a fraction (0.2 = ±20 %). */
export const DIAL_BACKOFF_JITTER = 0.2;

/**
 * Roll-call window assumed when reserving a slot. A roll call does not carry the head's
 * window, so the worker assumes the protocol default (`config.timeout` = 5 s).
 */
export const ROLL_CALL_WINDOW_MS = 5_000;
/** Extra time a reserved slot waits for its `MsgExecute` after the roll-call window. */
export const RESERVATION_GRACE_MS = 30_000;
/** How long an execute without a reservation waits for a free slot before it gets a "500" response. */
export const SLOT_WAIT_MS = 10_000;

/** Default wall-clock limit of one execution; below the head's 20 s execution timeout. */
export const EXECUTION_TIMEOUT_MS = 10_000;
/**
 * Time the inference command's timeout stays below the execution timeout, so a hanging model
 * is stopped while the function can still report "main.py timed out" on stdout.
 */
export const INFERENCE_TIMEOUT_MARGIN_MS = 1_000;
/** Default cap of a function's linear memory, in 64 KiB WebAssembly pages (256 MiB). */
export const MAX_MEMORY_PAGES = 4_096;

/** Time allowed for running executions to report after shutdown starts. */
export const STOP_GRACE_MS = 3_000;
/** Messages handled at the same time; further messages are dropped with a warning. */
export const MAX_PENDING_MESSAGES = 256;

/** Characters of the original stdout kept in stderr when the output check rejects it. */
export const REJECTED_OUTPUT_KEPT_CHARS = 4_096;

/** Largest `config.stdin` a worker runs; larger requests get "500" without running. */
export const MAX_STDIN_BYTES = 1024 * 1024;
/** Largest environment, measured as its JSON object, that a worker runs. */
export const MAX_ENV_JSON_BYTES = 64 * 1024;
/** Longest `method` file name, in bytes. */
export const MAX_METHOD_BYTES = 255;

/** Interval of the `MsgHealthCheck` the worker publishes on the general topic. */
export const HEALTH_CHECK_INTERVAL_MS = 60_000;

/** Interval of the chain client's polls for a broadcast transaction's block. */
export const CHAIN_TX_POLL_MS = 500;
/** Time after a failed registration before a payload for that topic tries again. */
export const REGISTRATION_RETRY_MS = 60_000;
/** How long a payload waits for the chain connection and registration at start-up. */
export const SUBMIT_READY_WAIT_MS = 30_000;
/** Attempts of one payload whose transaction loses an account sequence race. */
export const SEQUENCE_MISMATCH_ATTEMPTS = 4;
/** First delay before such a retry; it doubles with each attempt. */
export const SEQUENCE_RETRY_DELAY_MS = 250;
/** Time given to payload submissions in flight when the worker stops. */
export const SUBMIT_STOP_GRACE_MS = 5_000;
/** File in the workspace that records the nonces the worker has submitted payloads for. */
export const SUBMISSION_RECORD_FILE = "submissions.json";
