/**
 * JSON Schemas of the REST request bodies. They check types only; the head checks values
 * (identifiers, limits, topics) so that it never relies on the REST layer for safety.
 *
 * @module
 */

const nameValues = {
  type: "array",
  items: {
    type: "object",
    properties: {
      name: { type: "string", default: "" },
      value: { type: "string", default: "" },
    },
  },
};
const strings = { type: "array", items: { type: "string" } };

/** `POST /api/v1/functions/execute`. */
export const EXECUTE_SCHEMA = {
  type: "object",
  required: ["function_id", "method"],
  properties: {
    function_id: { type: "string" },
    method: { type: "string" },
    parameters: nameValues,
    topic: { type: "string" },
    signature: { type: "string" },
    config: {
      type: "object",
      properties: {
        runtime: { type: "object" },
        env_vars: nameValues,
        stdin: { type: "string" },
        permissions: strings,
        result_aggregation: { type: "object" },
        attributes: {
          type: "object",
          properties: {
            values: nameValues,
            attestation_required: { type: "boolean" },
            attestors: {
              type: "object",
              properties: { each: strings, one_of: strings },
            },
          },
        },
        number_of_nodes: { type: "integer" },
        timeout: { type: "integer" },
        consensus_algorithm: { type: "string" },
        threshold: { type: "number" },
      },
    },
  },
} as const;

/** `POST /api/v1/functions/install`. */
export const INSTALL_SCHEMA = {
  type: "object",
  properties: {
    cid: { type: "string" },
    uri: { type: "string" },
    subgroup: { type: "string" },
    topic: { type: "string" },
    wait_ms: { type: "integer" },
  },
} as const;

/** `POST /api/v1/functions/requests/result`. */
export const RESULT_SCHEMA = {
  type: "object",
  properties: { id: { type: "string" } },
} as const;
