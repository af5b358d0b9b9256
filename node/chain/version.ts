/**
 * Emissions version detection: probe `GetParams` from the highest known package down, then
 * recognise the unsupported `emissions.v1` era, because the chain serves exactly one package
 * and rejects messages of any other.
 *
 * @module
 */
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { UnsupportedChainError } from "./errors.ts";
import {
  CHAIN_RELEASES,
  EMISSIONS_VERSIONS,
  emissionsQueryService,
  type EmissionsVersion,
  isEmissionsVersion,
} from "./emissions/mod.ts";

const V1_PARAMS_PATH = "/emissions.v1.Query/Params";

/**
 * Returns the emissions version the chain serves.
 *
 * A probe for which the chain returns an error code moves on to the next version; transport
 * errors (unreachable, timeout, abort) propagate at once.
 *
 * @throws {UnsupportedChainError} listing the probed paths when no supported version responds
 */
export async function detectEmissionsVersion(comet: CometClient): Promise<EmissionsVersion> {
  const probed: string[] = [];
  for (const version of EMISSIONS_VERSIONS) {
    const path = `/${emissionsQueryService(version)}/GetParams`;
    probed.push(path);
    const response = await comet.abciQuery({ path, data: new Uint8Array() });
    if (response.code === 0) return version;
  }
  probed.push(V1_PARAMS_PATH);
  const legacy = await comet.abciQuery({ path: V1_PARAMS_PATH, data: new Uint8Array() });
  if (legacy.code === 0) {
    throw new UnsupportedChainError(
      "Cannot use this chain: it runs emissions.v1 (chain v0.2.x or older), which the toolkit " +
        "does not support",
      probed,
    );
  }
  throw new UnsupportedChainError(
    `Cannot use this chain: it serves none of the emissions versions ${
      EMISSIONS_VERSIONS.join(", ")
    } (${Object.values(CHAIN_RELEASES).join(", ")})`,
    probed,
  );
}

/**
 * Resolves the configured `chain.emissions_version`: "auto" probes the chain, "vN" is used as
 * given once it is a supported version.
 *
 * @throws {UnsupportedChainError} for an unsupported configured version or a failed probe
 */
export async function resolveEmissionsVersion(
  configured: string,
  comet: CometClient,
): Promise<EmissionsVersion> {
  if (configured === "auto") return await detectEmissionsVersion(comet);
  if (isEmissionsVersion(configured)) return configured;
  throw new UnsupportedChainError(
    `Cannot use emissions version '${configured}': supported versions are ${
      EMISSIONS_VERSIONS.join(", ")
    } or auto`,
    [],
  );
}
