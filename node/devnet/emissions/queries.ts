/**
 * Emissions query handlers of the chain double (`/emissions.v9.QueryService/<Rpc>`): the RPCs
 * of the client's table in `node/chain/emissions` plus a few the worker loop reads.
 *
 * @module
 */
import {
  EMISSIONS_QUERY_RPCS,
  emissionsQueryService,
  type EmissionsVersion,
  FlagResponse,
  type LatestInferenceRequest,
  latestInferenceRpc,
  type Params,
  type Topic,
  TopicAddressRequest,
  TopicIdRequest,
  type WorkerSubmissionWindowStatus,
} from "../../chain/emissions/mod.ts";
import { defineMessage, type MessageCodec } from "../../chain/proto/message.ts";
import { isValidAddress } from "../address.ts";
import { grpcError, SDK_CODES, sdkError } from "../errors.ts";
import type { QueryContext, QueryHandler } from "../module.ts";
import type { EmissionsState, TopicData } from "./state.ts";

// Requests and responses the client's table lacks, with emissions.v9 field numbers.
// NOTE: these numbers were not checked against the chain's query.proto.

/** `{topic_id=1, block_height=2}`: the IsWorkerNonceUnfulfilled request. */
export const BlockHeightRequest = defineMessage<{ topicId: bigint; blockHeight: bigint }>(
  "emissions.v9.IsWorkerNonceUnfulfilledRequest",
  [{ no: 1, name: "topicId", kind: "uint64" }, { no: 2, name: "blockHeight", kind: "int64" }],
);

type Answer = (context: QueryContext, request: never) => object;

/** Returns the emissions query handlers of `version`. */
export function emissionsQueries(version: EmissionsVersion): QueryHandler[] {
  const service = emissionsQueryService(version);
  const tableRpc = (name: string, answer: Answer): QueryHandler => {
    const rpc = EMISSIONS_QUERY_RPCS[name];
    return serve(`/${service}/${name}`, rpc.request, rpc.response(version), answer);
  };
  return [
    tableRpc("GetParams", ({ state }) => ({ params: paramsOf(state.emissions) })),
    tableRpc("GetNextTopicId", ({ state }) => ({ nextTopicId: state.emissions.nextTopicId })),
    tableRpc("GetTopic", (context, request: TopicIdRequest) => {
      const data = topicOf(context, request.topicId);
      return {
        topic: data.topic satisfies Topic,
        weight: "0",
        effectiveRevenue: data.revenue.toString(),
        topicStake: [...data.stakes.values()].reduce((sum, stake) => sum + stake, 0n).toString(),
      };
    }),
    tableRpc("TopicExists", ({ state }, request: TopicIdRequest) => ({
      value: state.emissions.topics.has(request.topicId.toString()),
    })),
    tableRpc("IsWorkerRegisteredInTopicId", (context, request: TopicAddressRequest) => ({
      value: registeredIn(context, request, "workers"),
    })),
    tableRpc("CanSubmitWorkerPayload", (context, request: TopicAddressRequest) => ({
      value: canSubmit(context, request),
    })),
    tableRpc("GetUnfulfilledWorkerNonces", (context, request: TopicIdRequest) => ({
      nonces: {
        nonces: topicOf(context, request.topicId).workerNonces.map((blockHeight) => ({
          blockHeight,
        })),
      },
    })),
    tableRpc("GetWorkerSubmissionWindowStatus", windowStatus),
    serve(
      `/${service}/IsReputerRegisteredInTopicId`,
      TopicAddressRequest,
      FlagResponse,
      (context, request: TopicAddressRequest) => ({
        value: registeredIn(context, request, "reputers"),
      }),
    ),
    serve(
      `/${service}/IsTopicActive`,
      TopicIdRequest,
      FlagResponse,
      ({ state }, request: TopicIdRequest) => ({
        value: state.emissions.topics.has(request.topicId.toString()),
      }),
    ),
    serve(
      `/${service}/IsWorkerNonceUnfulfilled`,
      BlockHeightRequest,
      FlagResponse,
      (context, request: { topicId: bigint; blockHeight: bigint }) => ({
        value: workerNoncesOf(context, request.topicId).includes(request.blockHeight),
      }),
    ),
    tableRpc(latestInferenceRpc(version), (context, request: LatestInferenceRequest) => {
      const inference = topicOf(context, request.topicId).latestInferences.get(
        request.workerAddress,
      );
      if (inference === undefined) {
        throw grpcError(
          "NotFound",
          `no inference from ${request.workerAddress} in topic ${request.topicId}`,
        );
      }
      return { latestInference: { ...inference, values: [] } };
    }),
  ];
}

function serve(
  path: string,
  request: MessageCodec<object>,
  response: MessageCodec<object>,
  answer: Answer,
): QueryHandler {
  return {
    path,
    handle: (context, bytes) => response.toBytes(answer(context, request.decode(bytes) as never)),
  };
}

/**
 * Returns topic `id`. Like the chain's GetTopic, a missing topic fails the query with the
 * store's not-found error.
 */
function topicOf({ state }: QueryContext, id: bigint): TopicData {
  const data = state.emissions.topics.get(id.toString());
  if (data === undefined) {
    throw sdkError(SDK_CODES.invalidRequest, `error getting topic ${id}: collections: not found`);
  }
  return data;
}

/** Returns the unfulfilled worker nonces of topic `id`; none for a missing topic, as the chain. */
function workerNoncesOf({ state }: QueryContext, id: bigint): bigint[] {
  return state.emissions.topics.get(id.toString())?.workerNonces ?? [];
}

function registeredIn(
  context: QueryContext,
  request: TopicAddressRequest,
  role: "workers" | "reputers",
) {
  if (!isValidAddress(request.address)) {
    throw grpcError("InvalidArgument", `invalid address '${request.address}'`);
  }
  return context.state.emissions.topics.get(request.topicId.toString())?.[role].has(
    request.address,
  ) ?? false;
}

function canSubmit(context: QueryContext, request: TopicAddressRequest): boolean {
  const { params, globalWorkerWhitelist } = context.state.emissions;
  if (!isValidAddress(request.address)) {
    throw grpcError("InvalidArgument", `invalid address '${request.address}'`);
  }
  if (!context.state.emissions.topics.has(request.topicId.toString())) return false;
  return !params.globalWorkerWhitelistEnabled || globalWorkerWhitelist.has(request.address);
}

function windowStatus(
  context: QueryContext,
  request: TopicAddressRequest,
): WorkerSubmissionWindowStatus {
  const data = topicOf(context, request.topicId);
  const { topic } = data;
  const height = BigInt(context.height);
  const status: WorkerSubmissionWindowStatus = {
    isOpen: false,
    currentNonceBlockHeight: 0n,
    windowStartBlock: 0n,
    windowEndBlock: 0n,
    nextWindowStartBlock: topic.epochLastEnded + topic.epochLength,
    nextWindowEndBlock: topic.epochLastEnded + topic.epochLength + topic.workerSubmissionWindow,
    isRegistered: false,
    isWhitelisted: false,
    isTopicActive: true,
  };
  if (request.address !== "") {
    status.isRegistered = registeredIn(context, request, "workers");
    status.isWhitelisted = canSubmit(context, request);
  }
  // As the chain's query does: a nonce's window counts as open through nonce + window.
  for (const nonce of data.workerNonces) {
    const end = nonce + topic.workerSubmissionWindow;
    if (height >= nonce && height <= end) {
      Object.assign(status, {
        isOpen: true,
        currentNonceBlockHeight: nonce,
        windowStartBlock: nonce,
        windowEndBlock: end,
      });
      break;
    }
  }
  return status;
}

function paramsOf(emissions: EmissionsState): Params {
  const params = emissions.params;
  return {
    ...params,
    requiredMinimumStake: params.requiredMinimumStake.toString(),
    createTopicFee: params.createTopicFee.toString(),
    registrationFee: params.registrationFee.toString(),
    dataSendingFee: params.dataSendingFee.toString(),
  };
}
