/**
 * The emissions module of the chain double for one emissions package (`emissions.v9`).
 *
 * @module
 */
import type { AppModule } from "../module.ts";
import { meanOfDecs } from "./combine.ts";
import { advanceEpochs } from "./epochs.ts";

/** Returns the emissions module serving `packageName`, e.g. "emissions.v9". */
export function emissionsModule(packageName: string): AppModule {
  return {
    name: "emissions",
    endBlock: (context) => advanceEpochs(context, packageName, meanOfDecs),
  };
}
