/**
 * Emissions message handlers of the chain double: RegisterRequest, RemoveRegistrationRequest,
 * AddStakeRequest and InsertWorkerPayloadRequest, with the chain's checks and error codes.
 *
 * @module
 */
import {
  AddStakeRequest,
  emissionsTypeUrl,
  type EmissionsVersion,
  EmptyResponse,
  InsertWorkerPayloadRequest,
  RegisterRequest,
  RegisterResponse,
  RemoveRegistrationRequest,
} from "../../chain/emissions/mod.ts";
import type { MessageCodec } from "../../chain/proto/message.ts";
import { isValidAddress } from "../address.ts";
import { EMISSIONS_CODES, emissionsError, SDK_CODES, sdkError } from "../errors.ts";
import type { MsgHandler, MsgResponse, TxContext } from "../module.ts";
import { balanceOf } from "../state.ts";
import { insertWorkerPayload } from "./payload.ts";
import { type FieldExclusions, schemaOf } from "./schema.ts";
import { payToModule, requireTopic, STORE_ENTRY_BYTES } from "./store.ts";

/** Returns the handlers of the emissions messages of `version`. */
export function emissionsMessages(
  version: EmissionsVersion,
  exclusions: FieldExclusions,
): MsgHandler[] {
  const define = <T extends object>(
    name: string,
    codec: MessageCodec<T>,
    execute: (context: TxContext, msg: T) => MsgResponse,
  ): MsgHandler<T> => ({
    typeUrl: emissionsTypeUrl(version, name),
    schema: schemaOf(codec as MessageCodec<object>, exclusions),
    decode: (bytes) => codec.decodeStrict(bytes),
    signers: (msg) => [(msg as { sender: string }).sender],
    execute,
  });
  const respond = (name: string, value: Uint8Array) => ({
    typeUrl: emissionsTypeUrl(version, name),
    value,
  });
  return [
    define("RegisterRequest", RegisterRequest, (context, msg) => {
      register(context, msg);
      const response = { success: true, message: "Node successfully registered" };
      return respond("RegisterResponse", RegisterResponse.toBytes(response));
    }),
    define("RemoveRegistrationRequest", RemoveRegistrationRequest, (context, msg) => {
      removeRegistration(context, msg);
      return respond("RemoveRegistrationResponse", EmptyResponse.toBytes({}));
    }),
    define("AddStakeRequest", AddStakeRequest, (context, msg) => {
      addStake(context, msg);
      return respond("AddStakeResponse", EmptyResponse.toBytes({}));
    }),
    define("InsertWorkerPayloadRequest", InsertWorkerPayloadRequest, (context, msg) => {
      insertWorkerPayload(context, msg);
      return respond("InsertWorkerPayloadResponse", EmptyResponse.toBytes({}));
    }),
  ] as MsgHandler[];
}

function register(context: TxContext, msg: RegisterRequest) {
  const { state, gas } = context;
  if (!isValidAddress(msg.owner)) {
    throw sdkError(SDK_CODES.invalidAddress, `invalid owner address '${msg.owner}'`);
  }
  const data = requireTopic(context, msg.topicId);
  const registry = msg.isReputer ? data.reputers : data.workers;
  gas.read(STORE_ENTRY_BYTES);
  if (registry.has(msg.sender)) {
    throw emissionsError(
      EMISSIONS_CODES.alreadyRegistered,
      `${msg.sender} is already registered as a ${
        msg.isReputer ? "reputer" : "worker"
      } in topic ${msg.topicId}`,
    );
  }
  const fee = state.emissions.params.registrationFee;
  const denom = context.params.feeDenom;
  const balance = balanceOf(state, msg.sender, denom);
  if (balance < fee) {
    throw emissionsError(
      EMISSIONS_CODES.registrantNotEnoughDenom,
      `balance ${balance}${denom} is below the registration fee ${fee}${denom}`,
    );
  }
  payToModule(context, msg.sender, fee);
  data.revenue += fee;
  registry.set(msg.sender, { owner: msg.owner, height: BigInt(context.height) });
  gas.write(STORE_ENTRY_BYTES);
}

function removeRegistration(context: TxContext, msg: RemoveRegistrationRequest) {
  const data = requireTopic(context, msg.topicId);
  const registry = msg.isReputer ? data.reputers : data.workers;
  context.gas.read(STORE_ENTRY_BYTES);
  if (!registry.delete(msg.sender)) {
    throw emissionsError(
      EMISSIONS_CODES.notRegisteredInTopic,
      `${msg.sender} is not registered in topic ${msg.topicId}`,
    );
  }
  context.gas.write(STORE_ENTRY_BYTES);
}

function addStake(context: TxContext, msg: AddStakeRequest) {
  const data = requireTopic(context, msg.topicId);
  if (!/^\d+$/.test(msg.amount)) {
    throw sdkError(SDK_CODES.invalidCoins, `invalid stake amount '${msg.amount}'`);
  }
  const amount = BigInt(msg.amount);
  if (amount === 0n) throw emissionsError(EMISSIONS_CODES.receivedZeroAmount);
  context.gas.read(STORE_ENTRY_BYTES);
  if (!data.reputers.has(msg.sender)) {
    throw emissionsError(
      EMISSIONS_CODES.notRegisteredInTopic,
      `${msg.sender} must register as a reputer in topic ${msg.topicId} before staking`,
    );
  }
  payToModule(context, msg.sender, amount);
  data.stakes.set(msg.sender, (data.stakes.get(msg.sender) ?? 0n) + amount);
  context.gas.write(STORE_ENTRY_BYTES);
}
