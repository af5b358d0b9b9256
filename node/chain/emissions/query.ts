/**
 * Requests and responses of the emissions queries the toolkit uses
 * (`/emissions.vN.QueryService/<Rpc>`), both directions, so the local chain double can serve
 * them with the same codecs.
 *
 * @module
 */
import { defineMessage, type MessageCodec } from "../proto/message.ts";
import { Params, type Topic, topicCodec } from "./topic.ts";
import { Inference, type Nonces, Nonces as NoncesCodec } from "./types.ts";
import type { EmissionsVersion } from "./versions.ts";

/** A request that names only a topic. */
export interface TopicIdRequest {
  topicId: bigint;
}

/** `{topic_id=1}`: GetTopic, TopicExists, GetUnfulfilledWorkerNonces requests. */
export const TopicIdRequest: MessageCodec<TopicIdRequest> = defineMessage<TopicIdRequest>(
  "emissions.TopicIdRequest",
  [{ no: 1, name: "topicId", kind: "uint64" }],
);

/** A request that names a topic and an address. */
export interface TopicAddressRequest {
  topicId: bigint;
  address: string;
}

/**
 * `{topic_id=1, address=2}`: IsWorkerRegisteredInTopicId, CanSubmitWorkerPayload and
 * GetWorkerSubmissionWindowStatus (where the address is optional) requests.
 */
export const TopicAddressRequest: MessageCodec<TopicAddressRequest> = defineMessage<
  TopicAddressRequest
>("emissions.TopicAddressRequest", [
  { no: 1, name: "topicId", kind: "uint64" },
  { no: 2, name: "address", kind: "string" },
]);

/** A request without fields (GetParams, GetNextTopicId). */
export type EmptyRequest = Record<never, never>;

/** The codec of an empty request. */
export const EmptyRequest: MessageCodec<EmptyRequest> = defineMessage<EmptyRequest>(
  "emissions.EmptyRequest",
  [],
);

/** `GetParamsResponse{params=1}`; `params` is non-nullable, so it is always written. */
export interface GetParamsResponse {
  params?: Params;
}

/** Codec of {@link GetParamsResponse}. */
export const GetParamsResponse: MessageCodec<GetParamsResponse> = defineMessage<
  GetParamsResponse
>("emissions.GetParamsResponse", [
  { no: 1, name: "params", kind: "message", message: () => Params, always: true },
]);

/** `GetTopicResponse{topic=1, weight=2, effective_revenue=3, topic_stake=4 (v10)}`. */
export interface GetTopicResponse {
  topic?: Topic;
  weight: string;
  effectiveRevenue: string;
  topicStake: string;
}

const GET_TOPIC_RESPONSES = new Map<EmissionsVersion, MessageCodec<GetTopicResponse>>();

/** Returns the GetTopicResponse codec of `version` (the Topic layout differs). */
export function getTopicResponseCodec(version: EmissionsVersion): MessageCodec<GetTopicResponse> {
  let codec = GET_TOPIC_RESPONSES.get(version);
  if (codec === undefined) {
    codec = defineMessage<GetTopicResponse>(`emissions.${version}.GetTopicResponse`, [
      { no: 1, name: "topic", kind: "message", message: () => topicCodec(version) },
      { no: 2, name: "weight", kind: "string" },
      { no: 3, name: "effectiveRevenue", kind: "string" },
      { no: 4, name: "topicStake", kind: "string" },
    ]);
    GET_TOPIC_RESPONSES.set(version, codec);
  }
  return codec;
}

/** A response with one boolean in field 1, named per query. */
export interface FlagResponse {
  value: boolean;
}

/**
 * `{<flag>=1}`: TopicExists (`exists`), IsWorkerRegisteredInTopicId (`is_registered`) and
 * CanSubmitWorkerPayload (`can_submit_worker_payload`) responses. The wire form depends only
 * on the number, so one codec serves all three.
 */
export const FlagResponse: MessageCodec<FlagResponse> = defineMessage<FlagResponse>(
  "emissions.FlagResponse",
  [{ no: 1, name: "value", kind: "bool" }],
);

/** `GetUnfulfilledWorkerNoncesResponse{nonces=1}`. */
export interface GetUnfulfilledWorkerNoncesResponse {
  nonces?: Nonces;
}

/** Codec of {@link GetUnfulfilledWorkerNoncesResponse}. */
export const GetUnfulfilledWorkerNoncesResponse: MessageCodec<GetUnfulfilledWorkerNoncesResponse> =
  defineMessage<GetUnfulfilledWorkerNoncesResponse>(
    "emissions.GetUnfulfilledWorkerNoncesResponse",
    [{ no: 1, name: "nonces", kind: "message", message: () => NoncesCodec }],
  );

/** The worker submission window of a topic, and the worker's standing when an address is given. */
export interface WorkerSubmissionWindowStatus {
  isOpen: boolean;
  currentNonceBlockHeight: bigint;
  windowStartBlock: bigint;
  windowEndBlock: bigint;
  nextWindowStartBlock: bigint;
  nextWindowEndBlock: bigint;
  isRegistered: boolean;
  isWhitelisted: boolean;
  isTopicActive: boolean;
}

/**
 * `GetWorkerSubmissionWindowStatusResponse{is_open=1, current_nonce_block_height=2,
 * window_start_block=3, window_end_block=4, next_window_start_block=5, next_window_end_block=6,
 * is_registered=7, is_whitelisted=8, is_topic_active=9}`.
 *
 * NOTE: numbers taken from `emissions.v10/query.proto`. The query also exists in late v9
 * releases; their numbering is assumed to be the same but was not checked against a v9 proto.
 */
export const WorkerSubmissionWindowStatus: MessageCodec<WorkerSubmissionWindowStatus> =
  defineMessage<WorkerSubmissionWindowStatus>("emissions.GetWorkerSubmissionWindowStatusResponse", [
    { no: 1, name: "isOpen", kind: "bool" },
    { no: 2, name: "currentNonceBlockHeight", kind: "int64" },
    { no: 3, name: "windowStartBlock", kind: "int64" },
    { no: 4, name: "windowEndBlock", kind: "int64" },
    { no: 5, name: "nextWindowStartBlock", kind: "int64" },
    { no: 6, name: "nextWindowEndBlock", kind: "int64" },
    { no: 7, name: "isRegistered", kind: "bool" },
    { no: 8, name: "isWhitelisted", kind: "bool" },
    { no: 9, name: "isTopicActive", kind: "bool" },
  ]);

/** A request for one worker's latest inference in a topic. */
export interface LatestInferenceRequest {
  topicId: bigint;
  workerAddress: string;
}

/**
 * `{topic_id=1, worker_address=2}`: the GetWorkerLatestInferenceByTopicId request (named
 * GetWorkerLatestInputInferenceByTopicId from `emissions.v10`).
 *
 * NOTE: these field numbers were not checked against the chain's query.proto.
 */
export const LatestInferenceRequest: MessageCodec<LatestInferenceRequest> = defineMessage<
  LatestInferenceRequest
>("emissions.GetWorkerLatestInferenceByTopicIdRequest", [
  { no: 1, name: "topicId", kind: "uint64" },
  { no: 2, name: "workerAddress", kind: "string" },
]);

/** `{latest_inference=1}`: the response to {@link LatestInferenceRequest}. */
export interface LatestInferenceResponse {
  latestInference?: Inference;
}

/** Codec of {@link LatestInferenceResponse}. */
export const LatestInferenceResponse: MessageCodec<LatestInferenceResponse> = defineMessage<
  LatestInferenceResponse
>("emissions.GetWorkerLatestInferenceByTopicIdResponse", [
  { no: 1, name: "latestInference", kind: "message", message: () => Inference },
]);

/** Returns the name of the latest-inference query RPC, which `emissions.v10` renamed. */
export function latestInferenceRpc(version: EmissionsVersion): string {
  return version === "v9"
    ? "GetWorkerLatestInferenceByTopicId"
    : "GetWorkerLatestInputInferenceByTopicId";
}

/** `GetNextTopicIdResponse{next_topic_id=1}`. */
export interface NextTopicIdResponse {
  nextTopicId: bigint;
}

/** Codec of {@link NextTopicIdResponse}. */
export const NextTopicIdResponse: MessageCodec<NextTopicIdResponse> = defineMessage<
  NextTopicIdResponse
>("emissions.GetNextTopicIdResponse", [{ no: 1, name: "nextTopicId", kind: "uint64" }]);

/** Request and response codecs of one query RPC. */
export interface QueryRpc {
  request: MessageCodec<object>;
  response: (version: EmissionsVersion) => MessageCodec<object>;
}

const fixed = (codec: MessageCodec<object>) => () => codec;

/** The emissions query RPCs the client calls, by RPC name; the double serves the same table. */
export const EMISSIONS_QUERY_RPCS: Record<string, QueryRpc> = {
  GetParams: { request: EmptyRequest, response: fixed(GetParamsResponse) },
  GetNextTopicId: { request: EmptyRequest, response: fixed(NextTopicIdResponse) },
  GetTopic: { request: TopicIdRequest, response: getTopicResponseCodec },
  TopicExists: { request: TopicIdRequest, response: fixed(FlagResponse) },
  IsWorkerRegisteredInTopicId: { request: TopicAddressRequest, response: fixed(FlagResponse) },
  CanSubmitWorkerPayload: { request: TopicAddressRequest, response: fixed(FlagResponse) },
  GetUnfulfilledWorkerNonces: {
    request: TopicIdRequest,
    response: fixed(GetUnfulfilledWorkerNoncesResponse),
  },
  GetWorkerSubmissionWindowStatus: {
    request: TopicAddressRequest,
    response: fixed(WorkerSubmissionWindowStatus),
  },
  GetWorkerLatestInferenceByTopicId: {
    request: LatestInferenceRequest,
    response: fixed(LatestInferenceResponse),
  },
  GetWorkerLatestInputInferenceByTopicId: {
    request: LatestInferenceRequest,
    response: fixed(LatestInferenceResponse),
  },
};
