/**
 * The main-thread half of `blockless_cgi` for one execution: opens extensions named in the
 * registry, relays stdin and output, and kills every process when the execution ends.
 *
 * @module
 */
import { dirname } from "node:path";
import type { Logger } from "../../log.ts";
import { describeError } from "../../log.ts";
import type { HostReply } from "../broker.ts";
import { CGI_MAX_OPEN, CGI_STDIN_BYTES, CGI_STREAM_BYTES } from "../constants.ts";
import { CgiErrno } from "../errno.ts";
import { AlloraInferExtension, type InferCommand } from "./allora_infer.ts";
import type { CgiRegistry } from "./cgi_registry.ts";
import { addRequestEnv } from "./extension_env.ts";
import type { ExtensionProcess } from "./extension_process.ts";
import { type CapturedProcess, spawnCaptured } from "./spawn.ts";

/** Settings of one execution's CGI session. */
export interface CgiSessionOptions {
  registry: CgiRegistry;
  /** Environment of every extension: allowlisted node variables plus request variables. */
  env: Record<string, string>;
  /** The built-in inference command; its `env` is added to the session's. */
  inference: InferCommand;
  logger: Logger;
}

/** Parsed `cgi_open` parameters. */
interface OpenParams {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Extension processes of one execution. */
export class CgiSession {
  readonly #options: CgiSessionOptions;
  readonly #open = new Map<number, ExtensionProcess>();
  #nextHandle = 1;

  constructor(options: CgiSessionOptions) {
    this.#options = options;
  }

  /** Performs `cgi_open`: replies with [handle]. */
  open(paramsJson: string): HostReply {
    const { registry, env, inference, logger } = this.#options;
    const params = parseOpenParams(paramsJson);
    if (params === null) return { errno: CgiErrno.INVALID_PARAMETER };
    const entry = registry.find(params.command);
    if (entry === undefined) {
      logger.warn("cgi extension not found", { alias: params.command });
      return { errno: CgiErrno.INVALID_PARAMETER };
    }
    if (this.#open.size >= CGI_MAX_OPEN) return { errno: CgiErrno.RUNTIME_ERROR };

    // The built-in takes no guest arguments or variables: its command line is the operator's.
    let process: ExtensionProcess;
    if (entry.path === undefined) {
      const settings = { ...inference, env: { ...env, ...inference.env } };
      process = new AlloraInferExtension(settings, logger.child({ extension: entry.alias }));
    } else {
      try {
        process = new ExternalExtension(
          spawnCaptured(entry.path, {
            args: params.args,
            cwd: dirname(entry.path),
            env: addRequestEnv(env, Object.entries(params.env)).env,
            stdin: true,
            capBytes: CGI_STREAM_BYTES,
          }),
        );
      } catch (error) {
        logger.error("cgi extension failed to start", {
          alias: entry.alias,
          error: describeError(error),
        });
        return { errno: CgiErrno.RUNTIME_ERROR };
      }
    }
    const handle = this.#nextHandle++;
    this.#open.set(handle, process);
    logger.debug("cgi extension opened", { alias: entry.alias, handle });
    return { errno: CgiErrno.SUCCESS, values: [handle] };
  }

  /** Performs `cgi_stdin_write`: replies with [bytes written]. */
  async write(handle: number, data: Uint8Array): Promise<HostReply> {
    const process = this.#open.get(handle);
    if (process === undefined) return { errno: CgiErrno.INVALID_HANDLE };
    return await this.#guard("write", async () => ({
      errno: CgiErrno.SUCCESS,
      values: [await process.write(data)],
    }));
  }

  /** Performs `cgi_stdout_read` and `cgi_stderr_read`: replies with up to `max` bytes. */
  async read(handle: number, stream: "stdout" | "stderr", max: number): Promise<HostReply> {
    const process = this.#open.get(handle);
    if (process === undefined) return { errno: CgiErrno.INVALID_HANDLE };
    return await this.#guard("read", async () => ({
      errno: CgiErrno.SUCCESS,
      data: await process.read(stream, max),
    }));
  }

  /** Performs `cgi_close`. */
  async close(handle: number): Promise<HostReply> {
    const process = this.#open.get(handle);
    if (process === undefined) return { errno: CgiErrno.INVALID_HANDLE };
    this.#open.delete(handle);
    await process.close();
    return { errno: CgiErrno.SUCCESS };
  }

  /** Kills every open extension; called when the execution ends. */
  async closeAll(): Promise<void> {
    const processes = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(processes.map((process) => process.close().catch(() => {})));
  }

  async #guard(action: string, run: () => Promise<HostReply>): Promise<HostReply> {
    try {
      return await run();
    } catch (error) {
      this.#options.logger.warn(`cgi ${action} failed`, { error: describeError(error) });
      return { errno: CgiErrno.RUNTIME_ERROR };
    }
  }
}

/**
 * An external extension executable. Its stdin is closed at the first read: reads wait for a
 * full buffer or the end of output, so a write-then-read exchange is the supported protocol.
 */
class ExternalExtension implements ExtensionProcess {
  readonly #process: CapturedProcess;
  #written = 0;

  constructor(process: CapturedProcess) {
    this.#process = process;
  }

  async write(data: Uint8Array): Promise<number> {
    if (this.#written + data.length > CGI_STDIN_BYTES) return 0;
    this.#written += data.length;
    return await this.#process.write(data);
  }

  async read(stream: "stdout" | "stderr", max: number): Promise<Uint8Array> {
    await this.#process.closeStdin();
    return await this.#process[stream].readFull(max);
  }

  async close(): Promise<void> {
    await this.#process.kill();
  }
}

/** Accepts `envs` entries as `{name, value}` (the SDK) or `{env_name, env_val}` (bls-runtime). */
function parseOpenParams(text: string): OpenParams | null {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== "object" || typeof raw.command !== "string") return null;

  const args = raw.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === "string")) return null;
  const env: Record<string, string> = {};
  const envs = raw.envs ?? [];
  if (!Array.isArray(envs)) return null;
  for (const item of envs) {
    const name = item?.name ?? item?.env_name;
    const value = item?.value ?? item?.env_val;
    if (typeof name !== "string" || name === "" || name.includes("=")) return null;
    env[name] = String(value ?? "");
  }
  return { command: raw.command, args, env };
}
