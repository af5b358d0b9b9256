/**
 * Groups execution results by identical output, as b7s does, but with a deterministic order:
 * highest frequency first, ties in order of first arrival.
 *
 * @module
 */
import type { ExecutionResult } from "../p2p/messages.ts";
import type { AggregatedResult } from "./types.ts";

/** One worker's result, in the order results arrived. */
export interface PeerResult {
  peer: string;
  result: ExecutionResult;
}

/** Aggregates results by identical `(stdout, stderr, exit_code)`. */
export function aggregate(results: readonly PeerResult[]): AggregatedResult[] {
  const groups = new Map<string, AggregatedResult>();
  for (const { peer, result } of results) {
    const output = result.result;
    const key = JSON.stringify([output.stdout, output.stderr, output.exit_code]);
    const group = groups.get(key);
    if (group) {
      group.peers.push(peer);
    } else {
      groups.set(key, {
        result: { stdout: output.stdout, stderr: output.stderr, exit_code: output.exit_code },
        peers: [peer],
        frequency: 0,
      });
    }
  }

  const entries = [...groups.values()];
  for (const entry of entries) entry.frequency = (100 * entry.peers.length) / results.length;
  // Array.prototype.sort is stable, so equal frequencies keep their first-arrival order.
  return entries.sort((a, b) => b.frequency - a.frequency);
}
