/**
 * Shapes the head node exchanges with the REST layer: planned jobs in, response bodies out.
 *
 * @module
 */
import type { CodeValue, ExecuteRequest, RuntimeOutput } from "../p2p/messages.ts";

/** Consensus names a request may ask for; the head runs every request without consensus. */
export type ConsensusName = "" | "raft" | "pbft";

/** Limits the head enforces on execute requests. */
export interface ExecutionLimits {
  /** Largest `config.number_of_nodes`. @default 100 */
  maxNodes: number;
  /** Largest `config.timeout`, in milliseconds. @default 60_000 */
  maxRollCallTimeoutMs: number;
}

/** A validated execute request, ready for the roll call. */
export interface ExecutionJob {
  /** What workers receive: `TOPIC_ID` set, `consensus_algorithm` and `signature` removed. */
  request: ExecuteRequest;
  /** Gossip topic of the roll call. */
  topic: string;
  /** Workers to select, or -1 for everyone who answers within the window. */
  nodeCount: number;
  /** Roll-call window. */
  rollCallTimeoutMs: number;
  /** Minimum ratio of results received to workers selected for code "200". */
  threshold: number;
  /** The consensus the client asked for; reported in `message` when not empty. */
  consensus: ConsensusName;
}

/** One aggregated output: the workers that produced identical stdout, stderr and exit code. */
export interface AggregatedResult {
  result: RuntimeOutput;
  peers: string[];
  /** 100 × these peers / all results received. */
  frequency: number;
}

/** The REST body of an execute call, also served by the result endpoint. */
export interface ExecuteResponseBody {
  code: CodeValue;
  request_id: string;
  message?: string;
  results?: AggregatedResult[];
  cluster: { peers?: string[] };
}

/** A validated install request. */
export interface InstallPlan {
  cid: string;
  manifestUrl: string;
  /** Gossip topic of the install message. */
  topic: string;
  /** How long to collect install acknowledgements; 0 returns right after publishing. */
  waitMs: number;
}

/** The REST body of an install call. */
export interface InstallResponseBody {
  code: CodeValue;
  message?: string;
  /** Peers that acknowledged the install within `wait_ms` (ours). */
  installed?: string[];
}
