/**
 * Hand-written codecs of the Allora emissions module (`emissions.v9`, `emissions.v10`): the
 * worker's transaction messages, the signed bundle, topics, parameters, the queries, the
 * Registry builder and the `QueryClient` extension.
 *
 * @module
 */
export * from "./versions.ts";
export * from "./types.ts";
export * from "./topic.ts";
export * from "./tx.ts";
export * from "./query.ts";
export * from "./extension.ts";
