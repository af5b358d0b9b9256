/**
 * Defaults and limits of the head node. Values marked "b7s" match Blockless b7s v0.4.9 and
 * allora-inference-base; the others are ours.
 *
 * @module
 */

/** Roll-call window used when a request gives `config.timeout` ≤ 0 (b7s). */
export const DEFAULT_ROLL_CALL_TIMEOUT_S = 5;
/** Result ratio used when a request gives a `config.threshold` outside (0, 1] (b7s). */
export const DEFAULT_THRESHOLD = 0.6;
/** How long the head waits for execution results after sending the executes (b7s). */
export const DEFAULT_EXECUTION_TIMEOUT_MS = 20_000;
/** Largest `config.number_of_nodes` a request may ask for. */
export const DEFAULT_MAX_NODES = 100;
/** Largest `config.timeout` a request may give. */
export const DEFAULT_MAX_ROLL_CALL_TIMEOUT_MS = 60_000;
/** How long a final execute response stays available to the result endpoint. */
export const DEFAULT_RESULT_TTL_MS = 10 * 60_000;
/** Most final execute responses kept at once; the oldest are dropped first. */
export const MAX_CACHED_RESULTS = 10_000;
/** How long an install publish may take before the REST call returns code "408" (b7s). */
export const INSTALL_PUBLISH_TIMEOUT_MS = 10_000;
/** Longest `wait_ms` an install request may ask for. */
export const MAX_INSTALL_WAIT_MS = 60_000;
/** Interval of `MsgHealthCheck` publications on the general topic (b7s). */
export const HEALTH_CHECK_INTERVAL_MS = 60_000;
/** Manifest URL template for installs by CID; `{cid}` is replaced (b7s gateway). */
export const DEFAULT_MANIFEST_URL_TEMPLATE = "https://{cid}.ipfs.w3s.link/manifest.json";
/** Environment variable the head adds to Allora topic requests (allora-inference-base). */
export const TOPIC_ID_ENV = "TOPIC_ID";
/** Longest `function_id` accepted; CIDs are about 60 characters. */
export const MAX_FUNCTION_ID_LENGTH = 128;
/** Longest `method` accepted, in UTF-8 bytes (a file name limit on common file systems). */
export const MAX_METHOD_BYTES = 255;
/** Inbound connections accepted per second from one IP; workers often share an address. */
export const INBOUND_CONNECTIONS_PER_SECOND = 200;
/** Inbound connections that may be in their handshake at once. */
export const MAX_PENDING_INBOUND_CONNECTIONS = 200;
/** Most open connections; above it libp2p prunes the least valuable ones. */
export const MAX_CONNECTIONS = 1_000;
