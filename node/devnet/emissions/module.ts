/**
 * The emissions module of the chain double for one emissions package version.
 *
 * @module
 */
import { canonicalDec } from "../../chain/dec.ts";
import { emissionsPackage, type EmissionsVersion } from "../../chain/emissions/mod.ts";
import type { AppModule } from "../module.ts";
import { meanOfDecs } from "./combine.ts";
import { advanceEpochs } from "./epochs.ts";
import { emissionsMessages } from "./messages.ts";
import { emissionsQueries } from "./queries.ts";
import { V9_EXCLUSIONS } from "./schema.ts";

/** Returns the emissions module serving `version`, e.g. "v9". */
export function emissionsModule(version: EmissionsVersion): AppModule {
  const combine = (values: readonly string[]) => canonicalDec(meanOfDecs(values));
  return {
    name: "emissions",
    messages: emissionsMessages(version, version === "v9" ? V9_EXCLUSIONS : {}),
    queries: emissionsQueries(version),
    endBlock: (context) => advanceEpochs(context, emissionsPackage(version), combine),
  };
}
