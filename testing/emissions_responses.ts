/**
 * Responses of the test RPC server to the emissions queries, computed from a {@link TestChain}.
 * Each one is the object that the query's response codec encodes, or an ABCI error.
 *
 * @module
 */
import type { AbciResult, TestChain } from "./chain_state.ts";

/** Returns the response object (or an ABCI error) of an emissions query RPC. */
export function emissionsResponse(
  chain: TestChain,
  rpc: string,
  request: Record<string, unknown>,
): object | AbciResult {
  const topicId = request.topicId as bigint;
  const address = request.address as string;
  const topic = chain.topics.get(topicId);
  switch (rpc) {
    case "GetParams":
      return { params: chain.params };
    case "GetNextTopicId":
      return { nextTopicId: BigInt(chain.topics.size + 1) };
    case "GetTopic":
      if (topic === undefined) {
        return { code: 23, codespace: "emissions", log: `topic ${topicId} does not exist` };
      }
      return { topic, weight: "0.5", effectiveRevenue: "1000" };
    case "TopicExists":
      return { value: topic !== undefined };
    case "IsWorkerRegisteredInTopicId":
      return { value: chain.isRegistered(topicId, address) };
    case "CanSubmitWorkerPayload":
      return { value: topic !== undefined && chain.isRegistered(topicId, address) };
    case "GetUnfulfilledWorkerNonces": {
      const epoch = topic?.epochLength ?? 0n;
      const latest = epoch > 0n ? BigInt(chain.height) / epoch * epoch : 0n;
      return { nonces: { nonces: latest > 0n ? [{ blockHeight: latest }] : [] } };
    }
    case "GetWorkerSubmissionWindowStatus": {
      const epoch = topic?.epochLength ?? 0n;
      const start = epoch > 0n ? BigInt(chain.height) / epoch * epoch : 0n;
      const end = start + (topic?.workerSubmissionWindow ?? 0n);
      return {
        isOpen: topic !== undefined && BigInt(chain.height) < end,
        currentNonceBlockHeight: start,
        windowStartBlock: start,
        windowEndBlock: end,
        isRegistered: address !== "" && chain.isRegistered(topicId, address),
        isTopicActive: topic !== undefined,
      };
    }
    default:
      return { code: 6, codespace: "sdk", log: `unknown query ${rpc}` };
  }
}
