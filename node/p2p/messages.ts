/**
 * The b7s v0.4.9 messages that travel over gossipsub and `/b7s/work/1.0.0`, with encoders that
 * emit fields in the Go encoder's order and follow its omitempty rules, so Go peers and
 * byte-exact signatures see the same JSON.
 *
 * @module
 */

/** Protocol id of direct messages: one compact JSON object per stream. */
export const WORK_PROTOCOL = "/b7s/work/1.0.0";
/** The topic every node subscribes to. */
export const GENERAL_TOPIC = "blockless/b7s/general";

/** HTTP-like status codes carried as strings. */
export const Code = {
  ok: "200",
  accepted: "202",
  noContent: "204",
  partialContent: "206",
  invalid: "400",
  notFound: "404",
  timeout: "408",
  error: "500",
  notImplemented: "501",
  notAvailable: "503",
} as const;
/** A status code string. */
export type CodeValue = typeof Code[keyof typeof Code] | string;

/** Consensus enum on the wire: 0 none, 1 Raft, 2 PBFT. */
export type ConsensusValue = 0 | 1 | 2;

/** A `{name, value}` pair (parameters and environment variables). */
export interface NameValue {
  name: string;
  value: string;
}

/** `config.attributes` of an execute request. */
export interface AttributesRequirement {
  values?: NameValue[];
  attestation_required?: boolean;
  attestors?: { each?: string[]; one_of?: string[] };
}

/** `config` of an execute request. */
export interface ExecuteConfig {
  runtime?: Record<string, unknown>;
  env_vars?: NameValue[];
  stdin?: string;
  permissions?: string[];
  result_aggregation?: Record<string, unknown>;
  attributes?: AttributesRequirement;
  number_of_nodes?: number;
  timeout?: number;
  consensus_algorithm?: string;
  threshold?: number;
}

/** The inlined execute request of `MsgExecute` and of the REST body. */
export interface ExecuteRequest {
  function_id: string;
  method: string;
  parameters?: NameValue[];
  config: ExecuteConfig;
  signature?: string;
}

/** Output of one execution. */
export interface RuntimeOutput {
  stdout: string;
  stderr: string;
  exit_code: number;
}

/** Resource usage of one execution; durations in nanoseconds. */
export interface Usage {
  wall_clock_time?: number;
  cpu_user_time?: number;
  cpu_sys_time?: number;
  memory_max_kb?: number;
}

/** One worker's result inside `MsgExecuteResponse.results`. */
export interface ExecutionResult {
  code: CodeValue;
  result: RuntimeOutput;
  request_id: string;
  usage: Usage;
}

export interface MsgHealthCheck {
  type: "MsgHealthCheck";
  from?: string;
  code: number;
}
export interface MsgRollCall {
  type: "MsgRollCall";
  from?: string;
  origin: string;
  function_id: string;
  request_id: string;
  consensus: ConsensusValue;
  attributes?: AttributesRequirement;
}
export interface MsgRollCallResponse {
  type: "MsgRollCallResponse";
  from?: string;
  code: CodeValue;
  role?: string;
  function_id: string;
  request_id: string;
}
export interface MsgExecute extends ExecuteRequest {
  type: "MsgExecute";
  from?: string;
  code?: CodeValue;
  topic?: string;
  request_id: string;
  reporting_peers?: string[];
  timestamp: string;
}
export interface MsgExecuteResponse {
  type: "MsgExecuteResponse";
  request_id: string;
  function_id?: string;
  from?: string;
  code: CodeValue;
  results?: Record<string, ExecutionResult>;
  cluster?: { main?: string; peers?: string[] };
  pbft?: { view: number; request_timestamp: string };
  signature?: string;
  message?: string;
}
export interface MsgInstallFunction {
  type: "MsgInstallFunction";
  from?: string;
  manifest_url: string;
  cid: string;
}
export interface MsgInstallFunctionResponse {
  type: "MsgInstallFunctionResponse";
  from?: string;
  code: CodeValue;
  message?: string;
  cid?: string;
}
export interface MsgFormCluster {
  type: "MsgFormCluster";
  from?: string;
  request_id: string;
  peers: string[];
  consensus: ConsensusValue;
}
export interface MsgFormClusterResponse {
  type: "MsgFormClusterResponse";
  request_id: string;
  from?: string;
  code: CodeValue;
  consensus?: ConsensusValue;
  /** Ours: why the cluster was declined. Go peers ignore the unknown field. */
  message?: string;
}
export interface MsgDisbandCluster {
  type: "MsgDisbandCluster";
  from?: string;
  request_id: string;
}

/** Every message type this node sends or understands. */
export type Message =
  | MsgHealthCheck
  | MsgRollCall
  | MsgRollCallResponse
  | MsgExecute
  | MsgExecuteResponse
  | MsgInstallFunction
  | MsgInstallFunctionResponse
  | MsgFormCluster
  | MsgFormClusterResponse
  | MsgDisbandCluster;

/** A message type name. */
export type MessageType = Message["type"];

const KNOWN_TYPES = new Set<string>([
  "MsgHealthCheck",
  "MsgRollCall",
  "MsgRollCallResponse",
  "MsgExecute",
  "MsgExecuteResponse",
  "MsgInstallFunction",
  "MsgInstallFunctionResponse",
  "MsgFormCluster",
  "MsgFormClusterResponse",
  "MsgDisbandCluster",
]);

/** A payload that is not a JSON object with a known string `type`. */
export class MessageError extends Error {
  override name = "MessageError";
}

/** Go's zero time, used where a time field is empty. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

type Field = [key: string, value: unknown, omitEmpty: boolean];

// Builds an object in the given key order, leaving out empty values Go marks omitempty.
function ordered(fields: Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value, omitEmpty] of fields) {
    if (omitEmpty && isEmpty(value)) continue;
    out[key] = value;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || value === 0 ||
    value === false || (Array.isArray(value) && value.length === 0);
}

function encodeNameValues(values: NameValue[] | undefined): unknown {
  return values?.map((entry) => ({ name: entry.name, value: entry.value }));
}

function encodeAttributes(attributes: AttributesRequirement | undefined): unknown {
  if (attributes === undefined) return undefined;
  return ordered([
    ["values", encodeNameValues(attributes.values), true],
    ["attestation_required", attributes.attestation_required ?? false, true],
    ["attestors", {
      each: attributes.attestors?.each ?? null,
      one_of: attributes.attestors?.one_of ?? null,
    }, false],
  ]);
}

/** Encodes `config` in Go field order; `runtime` and `result_aggregation` are always present. */
export function encodeConfig(config: ExecuteConfig): Record<string, unknown> {
  return ordered([
    ["runtime", config.runtime ?? {}, false],
    ["env_vars", encodeNameValues(config.env_vars), true],
    ["stdin", config.stdin, true],
    ["permissions", config.permissions, true],
    ["result_aggregation", config.result_aggregation ?? {}, false],
    ["attributes", encodeAttributes(config.attributes), true],
    ["number_of_nodes", config.number_of_nodes, true],
    ["timeout", config.timeout, true],
    ["consensus_algorithm", config.consensus_algorithm, true],
    ["threshold", config.threshold, true],
  ]);
}

function encodeResult(result: ExecutionResult): Record<string, unknown> {
  return {
    code: result.code,
    result: {
      stdout: result.result.stdout,
      stderr: result.result.stderr,
      exit_code: result.result.exit_code,
    },
    request_id: result.request_id,
    usage: ordered([
      ["wall_clock_time", result.usage.wall_clock_time, true],
      ["cpu_user_time", result.usage.cpu_user_time, true],
      ["cpu_sys_time", result.usage.cpu_sys_time, true],
      ["memory_max_kb", result.usage.memory_max_kb, true],
    ]),
  };
}

/** Returns the message as a plain object with Go's field order and omitempty rules applied. */
export function toWireObject(message: Message): Record<string, unknown> {
  switch (message.type) {
    case "MsgHealthCheck":
      return ordered([["type", message.type, false], ["from", message.from, true], [
        "code",
        message.code,
        false,
      ]]);
    case "MsgRollCall":
      return ordered([
        ["from", message.from, true],
        ["type", message.type, false],
        ["origin", message.origin, false],
        ["function_id", message.function_id, false],
        ["request_id", message.request_id, false],
        ["consensus", message.consensus, false],
        ["attributes", encodeAttributes(message.attributes), true],
      ]);
    case "MsgRollCallResponse":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["code", message.code, false],
        ["role", message.role, true],
        ["function_id", message.function_id, false],
        ["request_id", message.request_id, false],
      ]);
    case "MsgExecute":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["code", message.code, true],
        ["topic", message.topic, true],
        ["function_id", message.function_id, false],
        ["method", message.method, false],
        ["parameters", encodeNameValues(message.parameters), true],
        ["config", encodeConfig(message.config ?? {}), false],
        ["signature", message.signature, true],
        ["request_id", message.request_id, false],
        ["reporting_peers", message.reporting_peers, true],
        ["timestamp", message.timestamp, false],
      ]);
    case "MsgExecuteResponse": {
      const results = message.results === undefined ? undefined : Object.fromEntries(
        Object.entries(message.results).map(([peer, result]) => [peer, encodeResult(result)]),
      );
      return ordered([
        ["type", message.type, false],
        ["request_id", message.request_id, false],
        ["function_id", message.function_id, true],
        ["from", message.from, true],
        ["code", message.code, false],
        ["results", results && Object.keys(results).length > 0 ? results : undefined, true],
        [
          "cluster",
          ordered([["main", message.cluster?.main, true], [
            "peers",
            message.cluster?.peers,
            true,
          ]]),
          false,
        ],
        ["pbft", message.pbft ?? { view: 0, request_timestamp: ZERO_TIME }, false],
        ["signature", message.signature, true],
        ["message", message.message, true],
      ]);
    }
    case "MsgInstallFunction":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["manifest_url", message.manifest_url, false],
        ["cid", message.cid, false],
      ]);
    case "MsgInstallFunctionResponse":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["code", message.code, false],
        ["message", message.message, true],
        ["cid", message.cid, true],
      ]);
    case "MsgFormCluster":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["request_id", message.request_id, false],
        ["peers", message.peers, false],
        ["consensus", message.consensus, false],
      ]);
    case "MsgFormClusterResponse":
      return ordered([
        ["type", message.type, false],
        ["request_id", message.request_id, false],
        ["from", message.from, true],
        ["code", message.code, false],
        ["consensus", message.consensus, true],
        ["message", message.message, true],
      ]);
    case "MsgDisbandCluster":
      return ordered([
        ["type", message.type, false],
        ["from", message.from, true],
        ["request_id", message.request_id, false],
      ]);
  }
}

/** Go's json.Marshal escapes these characters; matching it keeps signed bytes identical. */
function escapeLikeGo(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (char) => "\\u" + char.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** Encodes a message as compact UTF-8 JSON, byte-compatible with Go's encoder. */
export function encodeMessage(message: Message): Uint8Array {
  return new TextEncoder().encode(escapeLikeGo(JSON.stringify(toWireObject(message))));
}

/**
 * Decodes one message. Unknown fields are kept; `manifestUrl` (older b7s) is read as
 * `manifest_url`.
 *
 * @throws {MessageError} when the bytes are not a JSON object with a known `type`
 */
export function decodeMessage(bytes: Uint8Array): Message {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new MessageError(`Cannot decode message: invalid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MessageError("Cannot decode message: not a JSON object");
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type !== "string" || !KNOWN_TYPES.has(record.type)) {
    throw new MessageError(
      `Cannot decode message: unsupported type ${JSON.stringify(record.type)}`,
    );
  }
  if (record.type === "MsgInstallFunction" && record.manifest_url === undefined) {
    record.manifest_url = record.manifestUrl;
  }
  return record as unknown as Message;
}
