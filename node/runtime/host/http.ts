/**
 * The main-thread half of `blockless_http` for one execution: permission checks, fetch, and
 * the table of response handles.
 *
 * A URL must start with one of the request's permission prefixes and, when the node has an
 * allowlist, with one of its prefixes too. Redirects are not followed, so a permitted URL
 * cannot forward the guest to an unpermitted one: the guest gets the 3xx status and the
 * `location` header and may request that URL itself, which is checked again.
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import { describeError } from "../../log.ts";
import type { HostReply } from "../broker.ts";
import {
  BROKER_WINDOW_BYTES,
  HTTP_DEFAULT_TIMEOUT_MS,
  HTTP_MAX_BODY_BYTES,
  HTTP_MAX_REQUESTS,
  HTTP_MAX_TIMEOUT_MS,
} from "../constants.ts";
import { HttpErrno } from "../errno.ts";
import { readCapped } from "./read_capped.ts";

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

interface Response {
  headers: Headers;
  body: Uint8Array;
  offset: number;
}

/** Settings of one execution's HTTP session. */
export interface HttpSessionOptions {
  /** The request's `config.permissions`. */
  permissions: readonly string[];
  /** The node allowlist; empty allows whatever the request permits. */
  allow: readonly string[];
  logger: Logger;
  /** Aborted when the execution ends. */
  signal: AbortSignal;
}

/** Parsed guest options JSON. */
interface RequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

/** HTTP requests and response handles of one execution. */
export class HttpSession {
  readonly #options: HttpSessionOptions;
  readonly #responses = new Map<number, Response>();
  #requests = 0;
  #nextHandle = 1;

  constructor(options: HttpSessionOptions) {
    this.#options = options;
  }

  /** Performs `http_req`: replies with [handle, status]. */
  async request(url: string, optionsJson: string): Promise<HostReply> {
    const { logger, signal } = this.#options;
    const checked = this.#checkUrl(url);
    if (checked !== HttpErrno.SUCCESS) return { errno: checked };
    const options = parseOptions(optionsJson);
    if (typeof options === "number") return { errno: options };
    if (this.#requests >= HTTP_MAX_REQUESTS) {
      logger.warn("http request limit reached", { url, limit: HTTP_MAX_REQUESTS });
      return { errno: HttpErrno.TOO_MANY_SESSIONS };
    }
    this.#requests++;

    const timeout = new AbortController();
    const abort = () => timeout.abort();
    signal.addEventListener("abort", abort, { once: true });
    let timer = setTimeout(abort, options.connectTimeoutMs);
    try {
      const response = await fetch(url, {
        method: options.method,
        headers: options.headers,
        body: options.body,
        redirect: "manual",
        signal: timeout.signal,
      });
      clearTimeout(timer);
      timer = setTimeout(abort, options.readTimeoutMs);
      const body = await readCapped(response.body, HTTP_MAX_BODY_BYTES);
      if (body === null) {
        logger.warn("http response body over limit", { url, limit: HTTP_MAX_BODY_BYTES });
        return { errno: HttpErrno.REQUEST_ERROR };
      }

      const handle = this.#nextHandle++;
      this.#responses.set(handle, { headers: response.headers, body, offset: 0 });
      logger.debug("http request done", { url, status: response.status, bytes: body.length });
      return { errno: HttpErrno.SUCCESS, values: [handle, response.status] };
    } catch (error) {
      logger.warn("http request failed", { url, error: describeError(error) });
      return { errno: HttpErrno.REQUEST_ERROR };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", abort);
    }
  }

  /** Performs `http_read_header`: replies with the value bytes. */
  readHeader(handle: number, name: string): HostReply {
    const response = this.#responses.get(handle);
    if (response === undefined) return { errno: HttpErrno.INVALID_HANDLE };
    let value: string | null;
    try {
      value = response.headers.get(name);
    } catch {
      return { errno: HttpErrno.INVALID_ENCODING };
    }
    if (value === null) return { errno: HttpErrno.HEADER_NOT_FOUND };
    const data = new TextEncoder().encode(value);
    if (data.length > BROKER_WINDOW_BYTES) return { errno: HttpErrno.BUFFER_TOO_SMALL };
    return { errno: HttpErrno.SUCCESS, data };
  }

  /** Performs `http_read_body`: replies with the next chunk, empty at the end. */
  readBody(handle: number, max: number): HostReply {
    const response = this.#responses.get(handle);
    if (response === undefined) return { errno: HttpErrno.INVALID_HANDLE };
    const chunk = response.body.subarray(response.offset, response.offset + max);
    response.offset += chunk.length;
    return { errno: HttpErrno.SUCCESS, data: chunk };
  }

  /** Performs `http_close`. */
  close(handle: number): HostReply {
    return { errno: this.#responses.delete(handle) ? HttpErrno.SUCCESS : HttpErrno.INVALID_HANDLE };
  }

  /** Releases every handle; called when the execution ends. */
  closeAll(): void {
    this.#responses.clear();
  }

  #checkUrl(url: string): number {
    const { permissions, allow, logger } = this.#options;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return HttpErrno.INVALID_URL;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return HttpErrno.INVALID_URL;
    if (!permissions.some((prefix) => url.startsWith(prefix))) {
      logger.warn("http request denied by request permissions", { url });
      return HttpErrno.PERMISSION_DENIED;
    }
    if (allow.length > 0 && !allow.some((prefix) => url.startsWith(prefix))) {
      logger.warn("http request denied by node allowlist", { url });
      return HttpErrno.DESTINATION_NOT_ALLOWED;
    }
    return HttpErrno.SUCCESS;
  }
}

/** Parses the guest's options JSON; returns an errno when it is unusable. */
function parseOptions(text: string): RequestOptions | number {
  let raw: Record<string, unknown>;
  try {
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return HttpErrno.INVALID_ENCODING;
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return HttpErrno.INVALID_ENCODING;
  }

  const method = String(raw.method ?? "GET").toUpperCase();
  if (!METHODS.includes(method)) return HttpErrno.INVALID_METHOD;
  const headers = parseHeaders(raw.headers);
  if (headers === null) return HttpErrno.INVALID_ENCODING;
  // fetch rejects a body on GET and HEAD; that surfaces as a logged request error.
  const body = raw.body === undefined || raw.body === null ? undefined : String(raw.body);
  return {
    method,
    headers,
    body,
    connectTimeoutMs: timeoutMs(raw.connectTimeout),
    readTimeoutMs: timeoutMs(raw.readTimeout),
  };
}

/** `headers` is a string holding a JSON object (the SDK's form) or an object. */
function parseHeaders(value: unknown): Record<string, string> | null {
  let parsed = value;
  if (typeof value === "string") {
    if (value.trim() === "") return {};
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) return null;
  return Object.fromEntries(Object.entries(parsed).map(([name, v]) => [name, String(v)]));
}

/** Seconds from the guest, capped; a missing or non-positive value takes the default. */
function timeoutMs(seconds: unknown): number {
  const value = Number(seconds);
  if (!Number.isFinite(value) || value <= 0) return HTTP_DEFAULT_TIMEOUT_MS;
  return Math.min(value * 1000, HTTP_MAX_TIMEOUT_MS);
}
