/**
 * The emissions extension of @cosmjs's `QueryClient`: typed calls that become ABCI queries at
 * `/emissions.vN.QueryService/<Rpc>`.
 *
 * @module
 */
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import type { Params, Topic } from "./topic.ts";
import {
  EMISSIONS_QUERY_RPCS,
  type FlagResponse,
  type GetParamsResponse,
  type GetTopicResponse,
  type GetUnfulfilledWorkerNoncesResponse,
  type LatestInferenceResponse,
  latestInferenceRpc,
  type WorkerSubmissionWindowStatus,
} from "./query.ts";
import type { Inference } from "./types.ts";
import { emissionsQueryService, type EmissionsVersion } from "./versions.ts";
import { AbciQueryError } from "../errors.ts";
import { findErrorCause } from "../error_codes.ts";

/** What `QueryClient.withExtensions(…, setupEmissionsExtension(version))` adds. */
export interface EmissionsExtension {
  readonly emissions: {
    readonly version: EmissionsVersion;
    params(): Promise<Params>;
    nextTopicId(): Promise<bigint>;
    /**
     * Returns the topic, or undefined when the chain has none with this id. For a missing topic
     * chains return a `GetTopic` error rather than an empty response, and both mean undefined.
     */
    topic(topicId: bigint): Promise<TopicInfo | undefined>;
    topicExists(topicId: bigint): Promise<boolean>;
    isWorkerRegistered(topicId: bigint, address: string): Promise<boolean>;
    canSubmitWorkerPayload(topicId: bigint, address: string): Promise<boolean>;
    /** Returns the unfulfilled worker nonces, latest first. */
    unfulfilledWorkerNonces(topicId: bigint): Promise<bigint[]>;
    workerSubmissionWindowStatus(
      topicId: bigint,
      address?: string,
    ): Promise<WorkerSubmissionWindowStatus>;
    /**
     * Returns the worker's latest inference in the topic (its `blockHeight` is the nonce), or
     * undefined when the worker has none.
     */
    workerLatestInference(topicId: bigint, address: string): Promise<Inference | undefined>;
  };
}

/** A topic with the weight and revenue `GetTopic` returns beside it. */
export interface TopicInfo {
  topic: Topic;
  weight: string;
  effectiveRevenue: string;
}

/**
 * Returns a `QueryClient` extension for the emissions queries of `version`.
 *
 * @example
 * ```ts
 * const query = QueryClient.withExtensions(comet, setupEmissionsExtension("v9"));
 * const { registrationFee } = await query.emissions.params();
 * ```
 */
export function setupEmissionsExtension(
  version: EmissionsVersion,
): (base: QueryClient) => EmissionsExtension {
  return (base) => {
    const rpc = createProtobufRpcClient(base);
    const service = emissionsQueryService(version);
    const call = async <T>(method: string, request: object): Promise<T> => {
      const { request: requestCodec, response } = EMISSIONS_QUERY_RPCS[method];
      const bytes = await rpc.request(service, method, requestCodec.toBytes(request));
      return response(version).decode(bytes) as T;
    };
    const flag = async (method: string, request: object) =>
      (await call<FlagResponse>(method, request)).value;
    return {
      emissions: {
        version,
        params: async () => {
          const { params } = await call<GetParamsResponse>("GetParams", {});
          if (params === undefined) throw new Error("GetParams returned no params");
          return params;
        },
        nextTopicId: async () =>
          (await call<{ nextTopicId: bigint }>("GetNextTopicId", {})).nextTopicId,
        topic: async (topicId) => {
          let response: GetTopicResponse;
          try {
            response = await call<GetTopicResponse>("GetTopic", { topicId });
          } catch (error) {
            if (isMissingTopicError(error)) return undefined;
            throw error;
          }
          if (response.topic === undefined) return undefined;
          const { topic, weight, effectiveRevenue } = response;
          return { topic, weight, effectiveRevenue };
        },
        topicExists: (topicId) => flag("TopicExists", { topicId }),
        isWorkerRegistered: (topicId, address) =>
          flag("IsWorkerRegisteredInTopicId", { topicId, address }),
        canSubmitWorkerPayload: (topicId, address) =>
          flag("CanSubmitWorkerPayload", { topicId, address }),
        unfulfilledWorkerNonces: async (topicId) => {
          const response = await call<GetUnfulfilledWorkerNoncesResponse>(
            "GetUnfulfilledWorkerNonces",
            { topicId },
          );
          return (response.nonces?.nonces ?? []).map((nonce) => nonce.blockHeight);
        },
        workerSubmissionWindowStatus: (topicId, address = "") =>
          call<WorkerSubmissionWindowStatus>("GetWorkerSubmissionWindowStatus", {
            topicId,
            address,
          }),
        workerLatestInference: async (topicId, workerAddress) => {
          try {
            const response = await call<LatestInferenceResponse>(latestInferenceRpc(version), {
              topicId,
              workerAddress,
            });
            return response.latestInference;
          } catch (error) {
            if (isNotFoundError(error)) return undefined;
            throw error;
          }
        },
      },
    };
  };
}

// GetTopic wraps the store's error, "error getting topic: collections: not found: …", in an sdk
// code (the devnet uses 18), or fails with emissions code 23 "topic does not exist".
const MISSING_TOPIC_REGEXP = /\bnot found\b|topic does not exist/i;

/** Returns whether `error` is a query failure with gRPC status NotFound. */
function isNotFoundError(error: unknown): boolean {
  return error instanceof AbciQueryError && /code = NotFound\b/.test(error.log);
}

/** Returns whether `error` is a GetTopic query failure that means the topic does not exist. */
function isMissingTopicError(error: unknown): boolean {
  if (!(error instanceof AbciQueryError)) return false;
  const cause = findErrorCause(error.code, error.codespace, error.log);
  if (cause.codespace === "emissions" && cause.code === 23) return true;
  return error.codespace === "sdk" && MISSING_TOPIC_REGEXP.test(error.log);
}
