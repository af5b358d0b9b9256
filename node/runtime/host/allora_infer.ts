/**
 * The built-in `cgi-allora-infer` extension: it reads the inference request the Allora
 * function writes, runs the configured inference command (`python3 main.py` by default) with
 * argv `<topicid> <blockheight> <blockheighteval> <arguments…>` (the v2 order), and returns the
 * script's stdout whole.
 *
 * Request framing (allora-inference-extension main.go): a line with the length of the JSON,
 * then the JSON line, each ending in "\r\n". The function computes the length in UTF-16 units
 * while the Go extension compared bytes; either count is accepted here.
 *
 * Different from the Go extension: stdout and stderr stay separate (stderr goes to the worker
 * log and `cgi_stderr_read`), and a failed script yields a JSON error on stdout instead of
 * losing its output.
 *
 * @module
 */
import { basename } from "node:path";
import type { Logger } from "../../log.ts";
import { describeError } from "../../log.ts";
import { concatBytes } from "../bytes.ts";
import { CGI_STDIN_BYTES, CGI_STREAM_BYTES, INFER_STDERR_TAIL_BYTES } from "../constants.ts";
import { type ExtensionEntry, md5Hex } from "./cgi_registry.ts";
import type { ExtensionProcess } from "./extension_process.ts";
import { type CapturedProcess, spawnCaptured } from "./spawn.ts";
import { StreamBuffer } from "./stream_buffer.ts";

/** Alias under which guests open the built-in extension. */
export const ALLORA_INFER_ALIAS = "cgi-allora-infer";

/** The inference request the function sends. */
export interface InferRequest {
  arguments: string[];
  topicId: string;
  blockHeight: string;
  blockHeightEval: string;
}

/** Settings of the inference command. */
export interface InferCommand {
  command: string[];
  cwd: string;
  timeoutMs: number;
  /** Environment of the command; nothing else is inherited. */
  env: Record<string, string>;
}

/** Returns the registry entry of the built-in extension. */
export function alloraInferEntry(command: readonly string[]): ExtensionEntry {
  return {
    fileName: ALLORA_INFER_ALIAS,
    alias: ALLORA_INFER_ALIAS,
    md5: md5Hex(command.join(" ")),
    description: `Allora inference extension built into allora worker, running "${
      command.join(" ")
    }"`,
  };
}

/**
 * Parses the framed request. Returns an error message when the frame is incomplete or does not
 * parse.
 */
export function parseInferRequest(bytes: Uint8Array): InferRequest | { error: string } {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split(/\r?\n/);
  if (lines.length < 2 || lines[1] === "") {
    return { error: "incomplete request: expected a length line and a JSON line" };
  }

  const [lengthLine, json] = lines;
  const declared = Number(lengthLine.trim());
  const byteLength = new TextEncoder().encode(json).length;
  if (!Number.isInteger(declared) || (declared !== json.length && declared !== byteLength)) {
    return {
      error: `length line ${JSON.stringify(lengthLine)} does not match the JSON line ` +
        `(${byteLength} bytes, ${json.length} UTF-16 units)`,
    };
  }

  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { error: `request is not JSON: ${(error as Error).message}` };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { error: "request is not a JSON object" };
  }
  // Go's encoding/json matches keys case-insensitively, so v1's "topicId" also works.
  const fields = new Map(Object.entries(raw).map(([key, value]) => [key.toLowerCase(), value]));
  const field = (key: string) => {
    const value = fields.get(key);
    return value === undefined || value === null ? "" : String(value);
  };
  const args = fields.get("arguments");
  return {
    arguments: Array.isArray(args) ? args.map(String) : [],
    topicId: field("topicid"),
    blockHeight: field("blockheight"),
    blockHeightEval: field("blockheighteval"),
  };
}

/** One opened `cgi-allora-infer`: collects the request, then runs the command on first read. */
export class AlloraInferExtension implements ExtensionProcess {
  readonly #settings: InferCommand;
  readonly #logger: Logger;
  readonly #script: string;
  #request: Uint8Array[] = [];
  #requestBytes = 0;
  #child: CapturedProcess | undefined;
  #result: Promise<{ stdout: StreamBuffer; stderr: StreamBuffer }> | undefined;

  constructor(settings: InferCommand, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
    this.#script = basename(settings.command.at(-1) ?? ALLORA_INFER_ALIAS);
  }

  write(data: Uint8Array): Promise<number> {
    if (this.#result !== undefined || this.#requestBytes + data.length > CGI_STDIN_BYTES) {
      return Promise.resolve(0);
    }
    this.#request.push(data);
    this.#requestBytes += data.length;
    return Promise.resolve(data.length);
  }

  async read(stream: "stdout" | "stderr", max: number): Promise<Uint8Array> {
    this.#result ??= this.#run();
    const result = await this.#result;
    return await result[stream].readFull(max);
  }

  async close(): Promise<void> {
    await this.#child?.kill();
  }

  async #run(): Promise<{ stdout: StreamBuffer; stderr: StreamBuffer }> {
    const request = parseInferRequest(concatBytes(this.#request));
    if ("error" in request) {
      this.#logger.warn("inference request rejected", { error: request.error });
      return finished(JSON.stringify({ error: `Cannot run ${this.#script}: ${request.error}` }));
    }

    const { command, cwd, env, timeoutMs } = this.#settings;
    const args = [
      ...command.slice(1),
      request.topicId,
      request.blockHeight,
      request.blockHeightEval,
      ...request.arguments,
    ];
    try {
      this.#child = spawnCaptured(command[0], {
        args,
        cwd,
        env,
        stdin: false,
        capBytes: CGI_STREAM_BYTES,
        timeoutMs,
      });
    } catch (error) {
      const message = `Cannot start "${command[0]}" in "${cwd}": ${describeError(error)}`;
      this.#logger.error("inference command failed to start", { error: message });
      return finished(JSON.stringify({ error: message }));
    }

    const started = performance.now();
    const status = await this.#child.status;
    const { stdout, stderr } = this.#child;
    const stderrText = new TextDecoder().decode(stderr.bytes());
    if (stderrText !== "") this.#logger.info("inference script stderr", { stderr: stderrText });
    this.#logger.debug("inference script finished", {
      code: status.code,
      ms: Math.round(performance.now() - started),
    });

    const failure = status.timedOut
      ? `${this.#script} timed out after ${timeoutMs} ms`
      : status.truncated
      ? `${this.#script} wrote more than ${CGI_STREAM_BYTES} bytes to stdout or stderr`
      : status.code !== 0 && stdout.size === 0
      ? `${this.#script} exited with code ${status.code}`
      : undefined;
    if (failure === undefined) return { stdout, stderr };

    this.#logger.warn("inference script failed", { error: failure });
    const tail = new TextDecoder().decode(stderr.bytes().slice(-INFER_STDERR_TAIL_BYTES));
    return finished(JSON.stringify({ error: failure, stderr: tail }), stderr);
  }
}

function finished(stdoutText: string, stderr = new StreamBuffer(0)) {
  const stdout = new StreamBuffer(CGI_STREAM_BYTES);
  stdout.append(new TextEncoder().encode(stdoutText));
  stdout.end();
  stderr.end();
  return { stdout, stderr };
}
