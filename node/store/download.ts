/**
 * Bounded HTTP downloads: status checked, size capped while streaming, and a deadline that
 * covers the whole body.
 *
 * @module
 */
import { InstallError, type InstallErrorCode } from "./errors.ts";

/** Options of {@link downloadBytes}. */
export interface DownloadOptions {
  fetch: typeof fetch;
  /** Largest body accepted. */
  maxBytes: number;
  /** Deadline for headers and body together. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Error code for a failed request; a body over `maxBytes` always gets "limit". */
  code: InstallErrorCode;
  cid: string;
  /** Name of the downloaded item in messages: "manifest" or "archive". */
  label: string;
}

/**
 * Downloads `url` into memory.
 *
 * @throws {InstallError} with `options.code` for network errors, timeouts and non-2xx
 *   statuses (with `status` set), and "limit" for a body over `options.maxBytes`
 * @throws the abort reason when `options.signal` aborts
 */
export async function downloadBytes(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const { maxBytes, timeoutMs, code, cid, label } = options;
  const deadline = new AbortController();
  // A cleared timer instead of AbortSignal.timeout(), whose pending timer keeps Deno alive.
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  const fail = (message: string, extra: { status?: number; cause?: unknown } = {}) =>
    new InstallError(code, cid, `Cannot download ${label} from ${url}: ${message}`, {
      source: url,
      ...extra,
    });

  try {
    let response: Response;
    try {
      response = await options.fetch(url, { signal, redirect: "follow" });
    } catch (error) {
      throw deadline.signal.aborted
        ? fail(`timed out after ${timeoutMs} ms`)
        : fail(describe(error), {
          cause: error,
        });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw fail(`HTTP ${response.status} ${response.statusText}`.trim(), {
        status: response.status,
      });
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge(url, options, `${declared} bytes declared`);
    }
    return await readCapped(response, url, options, deadline.signal);
  } catch (error) {
    options.signal?.throwIfAborted();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(
  response: Response,
  url: string,
  options: DownloadOptions,
  deadline: AbortSignal,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body!.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        throw tooLarge(url, options, `more than ${options.maxBytes} bytes received`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof InstallError) throw error;
    const message = deadline.aborted
      ? `timed out after ${options.timeoutMs} ms`
      : `reading the body failed: ${describe(error)}`;
    throw new InstallError(
      options.code,
      options.cid,
      `Cannot download ${options.label} from ${url}: ${message}`,
      {
        source: url,
        cause: error,
      },
    );
  }
  return concat(chunks, total);
}

function tooLarge(url: string, options: DownloadOptions, detail: string): InstallError {
  return new InstallError(
    "limit",
    options.cid,
    `Cannot download ${options.label} from ${url}: larger than the ${options.maxBytes}-byte limit (${detail})`,
    { source: url },
  );
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
