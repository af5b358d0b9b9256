/**
 * Prometheus metrics of the head node, in a registry of its own so several heads (tests) can
 * live in one process.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The head's metrics and their registry. */
export interface HeadMetrics {
  registry: Registry;
  /** Finished execute requests by response code. */
  requests: Counter<"code">;
  /** Execute requests not finished yet. */
  inFlight: Gauge;
  /** Workers that accepted each roll call. */
  rollCallResponders: Histogram;
  /** Wall time of execute requests, from validation to response. */
  requestDuration: Histogram;
  /** Execute messages that could not be sent to a selected worker. */
  sendFailures: Counter;
}

/** Creates the metrics; `connectedPeers` is read at each scrape. */
export function createHeadMetrics(connectedPeers: () => number): HeadMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: "allora_head_connected_workers",
    help:
      "Peers connected to the head over libp2p: workers, unless clients or other heads dial in.",
    registers,
    collect() {
      this.set(connectedPeers());
    },
  });
  return {
    registry,
    requests: new Counter({
      name: "allora_head_requests_total",
      help: "Execute requests finished, by response code.",
      labelNames: ["code"] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: "allora_head_requests_in_flight",
      help: "Execute requests in progress.",
      registers,
    }),
    rollCallResponders: new Histogram({
      name: "allora_head_roll_call_responders",
      help: "Workers that accepted a roll call.",
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100],
      registers,
    }),
    requestDuration: new Histogram({
      name: "allora_head_request_duration_seconds",
      help: "Time from receiving an execute request to responding.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    sendFailures: new Counter({
      name: "allora_head_execute_send_failures_total",
      help: "Execute messages that could not be sent to a selected worker.",
      registers,
    }),
  };
}
