/**
 * Emissions package versions the client speaks, and the names derived from them.
 *
 * The chain serves exactly one package version at a time and rejects messages of older ones
 * after an upgrade, so every type URL and query path is built from the detected version.
 *
 * @module
 */

/** Supported package versions, highest first (the order of version detection). */
export const EMISSIONS_VERSIONS = ["v10", "v9"] as const;
/** A supported emissions package version. */
export type EmissionsVersion = typeof EMISSIONS_VERSIONS[number];

/** Chain releases that serve each package, for messages. */
export const CHAIN_RELEASES: Record<EmissionsVersion, string> = {
  v10: "v0.17.x (allora-testnet-1)",
  v9: "v0.16.x (allora-mainnet-1)",
};

/** Returns whether `value` names a supported version, e.g. "v9". */
export function isEmissionsVersion(value: string): value is EmissionsVersion {
  return (EMISSIONS_VERSIONS as readonly string[]).includes(value);
}

/** Returns the protobuf package, e.g. `emissions.v9`. */
export function emissionsPackage(version: EmissionsVersion): string {
  return `emissions.${version}`;
}

/** Returns the type URL of a message, e.g. `/emissions.v9.RegisterRequest`. */
export function emissionsTypeUrl(version: EmissionsVersion, message: string): string {
  return `/${emissionsPackage(version)}.${message}`;
}

/** Returns the query service name, e.g. `emissions.v9.QueryService`. */
export function emissionsQueryService(version: EmissionsVersion): string {
  return `${emissionsPackage(version)}.QueryService`;
}
