/**
 * Maps a `MsgExecute` onto a {@link RunRequest}: WASI argv is the method followed by the
 * non-empty parameter values, the environment is the request's `env_vars` in order, stdin is
 * `config.stdin`, and `config.runtime.limited_memory` may lower the memory cap, never raise it.
 *
 * @module
 */
import type { MsgExecute } from "../p2p/messages.ts";
import type { ExecutionLimits } from "./context.ts";
import type { RunRequest } from "./ports.ts";
import { MAX_ENV_JSON_BYTES, MAX_METHOD_BYTES, MAX_STDIN_BYTES } from "./constants.ts";

/** A request the worker rejects without running it; `code` is the status of the response. */
export class RequestError extends Error {
  override name = "RequestError";
  readonly code: "400" | "500";

  constructor(code: "400" | "500", message: string) {
    super(message);
    this.code = code;
  }
}

const encoder = new TextEncoder();

/**
 * Checks that `method` is one file name: not empty, no `/`, `\`, `..` or NUL, at most 255
 * bytes.
 *
 * @throws {RequestError} with code "400"
 */
export function checkMethod(method: unknown): string {
  if (typeof method !== "string" || method === "") {
    throw new RequestError("400", "Cannot run request: method is empty");
  }
  if (/[/\\\0]/.test(method) || method === "." || method.includes("..")) {
    throw new RequestError(
      "400",
      `Cannot run request: method ${JSON.stringify(method)} is not a single file name`,
    );
  }
  if (encoder.encode(method).length > MAX_METHOD_BYTES) {
    throw new RequestError(
      "400",
      `Cannot run request: method is longer than ${MAX_METHOD_BYTES} bytes`,
    );
  }
  return method;
}

/**
 * Builds the run request for `message`, whose module file is at `modulePath`.
 *
 * @throws {RequestError} when stdin or the environment exceed the worker's limits
 */
export function toRunRequest(
  message: MsgExecute,
  modulePath: string,
  limits: ExecutionLimits,
): RunRequest {
  const config = message.config ?? {};
  const args = (message.parameters ?? []).map((parameter) => parameter?.value)
    .filter((value): value is string => typeof value === "string" && value !== "");
  const env = (config.env_vars ?? [])
    .filter((variable) => typeof variable?.name === "string" && variable.name !== "")
    .map(({ name, value }): [string, string] => [name, typeof value === "string" ? value : ""]);
  const stdin = typeof config.stdin === "string" ? config.stdin : "";
  const permissions = (config.permissions ?? []).filter((prefix) => typeof prefix === "string");
  checkSizes(stdin, env);

  const runtime = config.runtime ?? {};
  const entry = typeof runtime.entry === "string" && runtime.entry !== ""
    ? runtime.entry
    : undefined;
  return {
    requestId: message.request_id,
    module: { path: modulePath },
    method: message.method,
    args,
    env,
    stdin,
    entry,
    permissions,
    limits: {
      timeoutMs: limits.timeoutMs,
      memoryPages: memoryPages(runtime.limited_memory, limits.maxMemoryPages),
    },
  };
}

// limited_memory is in 64 KiB pages; anything that is not a positive whole number keeps the cap.
function memoryPages(requested: unknown, cap: number): number {
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested <= 0) return cap;
  return Math.min(requested, cap);
}

function checkSizes(stdin: string, env: [string, string][]): void {
  const stdinBytes = encoder.encode(stdin).length;
  if (stdinBytes > MAX_STDIN_BYTES) {
    throw new RequestError(
      "500",
      `Cannot run request: stdin has ${stdinBytes} bytes, more than the ${MAX_STDIN_BYTES} allowed`,
    );
  }
  const envBytes = encoder.encode(JSON.stringify(Object.fromEntries(env))).length;
  if (envBytes > MAX_ENV_JSON_BYTES) {
    throw new RequestError(
      "500",
      `Cannot run request: env_vars take ${envBytes} bytes as JSON, more than the ${MAX_ENV_JSON_BYTES} allowed`,
    );
  }
}
