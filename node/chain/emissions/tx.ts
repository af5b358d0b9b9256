/**
 * Emissions transaction messages (`emissions.vN.MsgService`) the worker sends, with their
 * responses, and the Registry entries that let @cosmjs sign them.
 *
 * @module
 */
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defineMessage, type MessageCodec } from "../proto/message.ts";
import { WorkerDataBundle } from "./types.ts";
import { emissionsTypeUrl, type EmissionsVersion } from "./versions.ts";

/** Registers `sender` as a worker (or reputer) of a topic; the chain charges the fee. */
export interface RegisterRequest {
  sender: string;
  topicId: bigint;
  owner: string;
  isReputer: boolean;
}

/** `RegisterRequest{sender=1, topic_id=4, owner=5, is_reputer=6}`; 2 and 3 are reserved. */
export const RegisterRequest: MessageCodec<RegisterRequest> = defineMessage<RegisterRequest>(
  "emissions.RegisterRequest",
  [
    { no: 1, name: "sender", kind: "string" },
    { no: 4, name: "topicId", kind: "uint64" },
    { no: 5, name: "owner", kind: "string" },
    { no: 6, name: "isReputer", kind: "bool" },
  ],
);

/** The chain's answer to a registration. */
export interface RegisterResponse {
  success: boolean;
  message: string;
}

/** `RegisterResponse{success=1, message=2}`. */
export const RegisterResponse: MessageCodec<RegisterResponse> = defineMessage<RegisterResponse>(
  "emissions.RegisterResponse",
  [
    { no: 1, name: "success", kind: "bool" },
    { no: 2, name: "message", kind: "string" },
  ],
);

/** Removes a worker (or reputer) registration from a topic. */
export interface RemoveRegistrationRequest {
  sender: string;
  topicId: bigint;
  isReputer: boolean;
}

/** `RemoveRegistrationRequest{sender=1, topic_id=2, is_reputer=3}`. */
export const RemoveRegistrationRequest: MessageCodec<RemoveRegistrationRequest> = defineMessage<
  RemoveRegistrationRequest
>("emissions.RemoveRegistrationRequest", [
  { no: 1, name: "sender", kind: "string" },
  { no: 2, name: "topicId", kind: "uint64" },
  { no: 3, name: "isReputer", kind: "bool" },
]);

/** Stakes `amount` uallo (an integer string) on a topic. */
export interface AddStakeRequest {
  sender: string;
  topicId: bigint;
  amount: string;
}

/** `AddStakeRequest{sender=1, topic_id=2, amount=3}`; amount is a `math.Int`, always written. */
export const AddStakeRequest: MessageCodec<AddStakeRequest> = defineMessage<AddStakeRequest>(
  "emissions.AddStakeRequest",
  [
    { no: 1, name: "sender", kind: "string" },
    { no: 2, name: "topicId", kind: "uint64" },
    { no: 3, name: "amount", kind: "int" },
  ],
);

/** Submits one signed worker bundle. */
export interface InsertWorkerPayloadRequest {
  sender: string;
  workerDataBundle?: WorkerDataBundle;
}

/** `InsertWorkerPayloadRequest{sender=1, worker_data_bundle=2}`. */
export const InsertWorkerPayloadRequest: MessageCodec<InsertWorkerPayloadRequest> = defineMessage<
  InsertWorkerPayloadRequest
>("emissions.InsertWorkerPayloadRequest", [
  { no: 1, name: "sender", kind: "string" },
  { no: 2, name: "workerDataBundle", kind: "message", message: () => WorkerDataBundle },
]);

/** Responses without fields (`RemoveRegistrationResponse`, `AddStakeResponse`, …). */
export type EmptyResponse = Record<never, never>;

/** The codec of an empty response message. */
export const EmptyResponse: MessageCodec<EmptyResponse> = defineMessage<EmptyResponse>(
  "emissions.EmptyResponse",
  [],
);

/** Message names (without package) the worker sends, with their codecs. */
export const EMISSIONS_MSG_TYPES = {
  RegisterRequest,
  RemoveRegistrationRequest,
  AddStakeRequest,
  InsertWorkerPayloadRequest,
} as const;

/** A message name in {@link EMISSIONS_MSG_TYPES}. */
export type EmissionsMsgName = keyof typeof EMISSIONS_MSG_TYPES;

/**
 * Returns the Registry entries `[typeUrl, codec]` of the emissions messages of `version`,
 * e.g. `["/emissions.v9.RegisterRequest", RegisterRequest]`.
 */
export function emissionsRegistryTypes(
  version: EmissionsVersion,
): Array<[string, GeneratedType]> {
  return Object.entries(EMISSIONS_MSG_TYPES).map((
    [name, codec],
  ) => [emissionsTypeUrl(version, name), codec as unknown as GeneratedType]);
}

/** Builds a Registry with the Cosmos SDK defaults plus the emissions messages of `version`. */
export function createEmissionsRegistry(version: EmissionsVersion): Registry {
  return new Registry([...defaultRegistryTypes, ...emissionsRegistryTypes(version)]);
}
