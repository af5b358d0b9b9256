/**
 * `allora request`: sends the execute request Allora's chain would send for a topic to a head
 * node and prints the aggregated result.
 *
 * @module
 */
import { parseFlags, parseInteger } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { CliError, UsageError } from "./errors.ts";
import { loadProjectConfig } from "./project_config.ts";
import { FUNCTION_ID, FUNCTION_METHOD } from "../node/function/reference.ts";
import { httpRequest, type HttpResult } from "../node/api/client.ts";

/** Help text of `allora request`. */
export const HELP = `Usage: allora request [options]

Send an execute request to a head node, as the Allora chain would for a topic, and print
the inference and the workers that agreed on it. Defaults come from config.yaml in the
current folder when there is one.

Options:
  --topic ID             Allora topic id (default: config topic, else 1)
  --arg VALUE            ALLORA_ARG_PARAMS, the model's argument (default: config
                         inference.default_arg, else ETH)
  --block-height N       ALLORA_BLOCK_HEIGHT_CURRENT, the nonce (default: 1)
  --nodes N              number_of_nodes: answer with N workers, or -1 for all that reply
                         within the window (default: -1)
  --timeout SECONDS      roll-call window in seconds (default: 2)
  --head URL             head REST address (default: http://<config head.rest_api>, else
                         http://127.0.0.1:6000)
  --function-id CID      node function (default: config function.id)
  --method FILE          .wasm file in the function (default: config function.method)
  --config FILE          project config (default: ./config.yaml if present)

Exit code 0 when the head answers code 200 and the most common answer is an inference
(exit code 0 and no {"error":…} output); 1 for any other code, when main.py failed, timed out
or printed invalid output on that answer, or when the head cannot be reached; 2 for invalid
options. --json prints the head's response as is.

Example:
  allora request --topic 1 --arg ETH --nodes 3
`;

/** Parsed options of `allora request`. */
export interface RequestOptions {
  topic?: number;
  arg?: string;
  blockHeight: number;
  nodes: number;
  timeoutSeconds: number;
  head?: string;
  functionId?: string;
  method?: string;
  config?: string;
}

/** Parses `allora request` arguments. */
export function parseRequestOptions(argv: string[]): RequestOptions {
  const { values } = parseFlags("allora request", argv, {
    topic: { type: "string" },
    arg: { type: "string" },
    "block-height": { type: "string" },
    nodes: { type: "string" },
    timeout: { type: "string" },
    head: { type: "string" },
    "function-id": { type: "string" },
    method: { type: "string" },
    config: { type: "string" },
  });
  const text = (name: string) => values[name] as string | undefined;
  const nodes = text("nodes") === undefined ? -1 : parseInteger("--nodes", text("nodes")!, {
    min: -1,
    max: 1000,
  });
  if (nodes === 0) {
    throw new UsageError("Invalid value for --nodes: 0 (expected -1, or 1 and more)");
  }
  return {
    topic: text("topic") === undefined
      ? undefined
      : parseInteger("--topic", text("topic")!, { min: 1 }),
    arg: text("arg"),
    blockHeight: text("block-height") === undefined
      ? 1
      : parseInteger("--block-height", text("block-height")!, { min: 1 }),
    nodes,
    timeoutSeconds: text("timeout") === undefined
      ? 2
      : parseInteger("--timeout", text("timeout")!, { min: 1, max: 600 }),
    head: text("head"),
    functionId: text("function-id"),
    method: text("method"),
    config: text("config"),
  };
}

/** The head's execute response, as far as this command reads it. */
export interface ExecuteResponse {
  code: string;
  request_id?: string;
  message?: string;
  results?: {
    result: { stdout: string; stderr: string; exit_code: number };
    peers: string[];
    frequency: number;
  }[];
  cluster?: { peers?: string[] };
}

/** Runs `allora request`. */
export async function runRequest(options: RequestOptions, context: Context): Promise<number> {
  const project = await loadProjectConfig(options.config);
  const config = project?.config;
  const topic = options.topic ?? config?.topic ?? 1;
  const head = (options.head ?? `http://${config?.head.rest_api ?? "127.0.0.1:6000"}`)
    .replace(/\/+$/, "").replace("//0.0.0.0:", "//127.0.0.1:");
  const body = {
    function_id: options.functionId ?? (config?.function.id || FUNCTION_ID),
    method: options.method ?? config?.function.method ?? FUNCTION_METHOD,
    topic: String(topic),
    config: {
      env_vars: [
        { name: "ALLORA_ARG_PARAMS", value: options.arg ?? config?.inference.default_arg ?? "ETH" },
        { name: "ALLORA_BLOCK_HEIGHT_CURRENT", value: String(options.blockHeight) },
      ],
      number_of_nodes: options.nodes,
      timeout: options.timeoutSeconds,
    },
  };
  context.logger.debug("sending execute request", { head, topic, body: JSON.stringify(body) });
  const response = await postExecute(head, body, options.timeoutSeconds * 1000 + 60_000);
  if (context.global.json) context.io.out(JSON.stringify(response) + "\n");
  else context.io.out(formatResponse(response));
  return requestSucceeded(response) ? 0 : 1;
}

async function postExecute(
  head: string,
  body: unknown,
  timeoutMs: number,
): Promise<ExecuteResponse> {
  const url = `${head}/api/v1/functions/execute`;
  let response: HttpResult;
  try {
    response = await httpRequest(url, { json: body, timeoutMs });
  } catch (error) {
    throw new CliError(`Cannot reach the head at ${head}: ${(error as Error).message}`, {
      hint: "start one with 'allora dev' in a project folder, or pass --head URL",
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new CliError(
      `Invalid response from ${url}: HTTP ${response.status}, not JSON: ${
        response.body.slice(0, 200)
      }`,
    );
  }
  if (response.status < 200 || response.status > 299) {
    const message = (parsed as { message?: string }).message ?? response.body.slice(0, 200);
    throw new CliError(`The head rejected the request: HTTP ${response.status}: ${message}`);
  }
  return parsed as ExecuteResponse;
}

/**
 * Tells whether a request produced an inference: code 200 and a most common answer (the head
 * sorts answers by frequency) whose run exited with 0 without an `{"error":…}` stdout. Workers
 * report a failed main.py or a rejected output through that stdout, with exit code 0 when the
 * function itself ran to its end.
 */
export function requestSucceeded(response: ExecuteResponse): boolean {
  const answer = response.results?.[0]?.result;
  return response.code === "200" && answer?.exit_code === 0 &&
    errorMessage(answer.stdout) === undefined;
}

function errorMessage(stdout: string): string | undefined {
  try {
    const value = JSON.parse(stdout);
    return typeof value?.error === "string" ? value.error : undefined;
  } catch {
    return undefined;
  }
}

// Exit codes the worker runtime uses for its own limits (see docs/runtime.md).
const RUNTIME_EXIT_REASONS: Record<number, string> = {
  14: "output or resource limit exceeded",
  15: "timed out",
  128: "invalid module",
};

/** Renders an execute response for people: code, then each distinct output and its peers. */
export function formatResponse(response: ExecuteResponse): string {
  const selected = response.cluster?.peers?.length ?? 0;
  const lines = [
    `request ${response.request_id ?? "-"}: code ${response.code}` +
    (selected > 0 ? `, ${selected} worker${selected === 1 ? "" : "s"} selected` : ""),
  ];
  if (response.message) lines.push(`  ${response.message}`);
  for (const entry of response.results ?? []) {
    const output = entry.result.stdout.trim();
    let summary = output === "" ? "no output" : output;
    try {
      const value = JSON.parse(output);
      if (typeof value?.infererValue === "string") summary = `inference ${value.infererValue}`;
      else if (typeof value?.error === "string") summary = `error: ${value.error}`;
    } catch {
      // Not JSON: show the raw output.
    }
    const exitCode = entry.result.exit_code;
    if (exitCode !== 0) {
      const reason = RUNTIME_EXIT_REASONS[exitCode];
      summary = `failed${reason ? ` (${reason})` : ""}: ${summary}`;
    }
    lines.push(
      `  ${summary}  (exit ${exitCode}; ${entry.frequency.toFixed(0)}% of answers; ` +
        `${entry.peers.length} peer${entry.peers.length === 1 ? "" : "s"})`,
    );
    for (const peer of entry.peers) lines.push(`    ${peer}`);
    const stderr = entry.result.stderr.trim();
    if (stderr !== "") lines.push(`    stderr: ${stderr.replaceAll("\n", "\n      ")}`);
  }
  return lines.join("\n") + "\n";
}

/** The `allora request` command. */
export const command: Command = {
  name: "request",
  summary: "send an execute request to a head and print the result",
  help: HELP,
  run: (argv: string[], context: Context) => runRequest(parseRequestOptions(argv), context),
};
