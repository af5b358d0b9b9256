/**
 * Shared lookups of the emissions handlers.
 *
 * @module
 */
import { moduleAddress } from "../address.ts";
import { transfer } from "../bank.ts";
import { EMISSIONS_CODES, emissionsError } from "../errors.ts";
import type { TxContext } from "../module.ts";
import type { TopicData } from "./state.ts";

/** Approximate store key + value size of one emissions entry, for gas. */
export const STORE_ENTRY_BYTES = 80;

/**
 * Returns the data of topic `id`, charging one read.
 *
 * @throws {AbciError} emissions code 23 when the topic does not exist
 */
export function requireTopic(context: TxContext, id: bigint): TopicData {
  context.gas.read(STORE_ENTRY_BYTES);
  const data = context.state.emissions.topics.get(id.toString());
  if (data === undefined) {
    throw emissionsError(EMISSIONS_CODES.topicDoesNotExist, `topic ${id} does not exist`);
  }
  return data;
}

/** Address of the emissions module account, which receives the module's fees and stakes. */
export const EMISSIONS_MODULE_ADDRESS = moduleAddress("emissions");

/** Moves `amount` of the fee denom from `sender` to the emissions module account. */
export function payToModule(context: TxContext, sender: string, amount: bigint): void {
  if (amount === 0n) return;
  transfer(
    context.state,
    context.gas,
    {
      from: sender,
      to: EMISSIONS_MODULE_ADDRESS,
      amounts: [{ denom: context.params.feeDenom, amount }],
    },
    context.events,
    { msg_index: String(context.msgIndex) },
  );
}
