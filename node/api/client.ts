/**
 * A minimal HTTP(S) client for JSON APIs, such as a head's REST API or a chain's JSON-RPC.
 * It is built on `node:http` instead of `fetch` because Deno's fetch rejects the ports on the
 * WHATWG fetch "bad ports" list, and 6000 (the head's REST port in b7s and Allora's docs) is one.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";

/** Default time allowed for one request. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A response: status code and body text. */
export interface HttpResult {
  status: number;
  body: string;
}

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  method?: "GET" | "POST";
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** @default REQUEST_TIMEOUT_MS */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends one HTTP request and reads the whole response body.
 *
 * @throws {Error} when the connection fails or the timeout passes
 */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResult> {
  const { method = options.json === undefined ? "GET" : "POST", timeoutMs = REQUEST_TIMEOUT_MS } =
    options;
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const transport = url.startsWith("https:") ? https : http;
    const request = transport.request(url, {
      method,
      headers: payload === undefined
        ? {}
        : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      signal: options.signal,
    }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => body += chunk);
      response.on("end", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on("error", fail);
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    request.on("error", fail);
    request.end(payload);
  });
}
