/**
 * State of the emissions module in the chain double.
 *
 * @module
 */

/** Emissions state; filled in by the emissions module. */
export interface EmissionsState {
  nextTopicId: bigint;
}

/** Returns an empty emissions state. */
export function emptyEmissionsState(): EmissionsState {
  return { nextTopicId: 1n };
}
