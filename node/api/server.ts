/**
 * Serves the REST app over HTTP with `Deno.serve`, and shuts it down with a bound.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Logger } from "../log.ts";
import { TIMED_OUT, withDeadline } from "../head/wait.ts";

/** How long a shutdown waits for open responses before closing connections anyway. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** A listening REST server. */
export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:6000`. */
  url: string;
  port: number;
  /** Stops accepting connections and waits (bounded) for open responses. */
  shutdown(): Promise<void>;
}

/**
 * Starts serving `app` on `hostname:port`; port 0 picks a free port.
 *
 * @throws {Deno.errors.AddrInUse} when the port is taken
 */
export function serveApi(
  app: Hono,
  { hostname, port, logger }: { hostname: string; port: number; logger: Logger },
): ApiServer {
  // onListen replaces Deno's default "Listening on" line, which would pollute stdout.
  const server = Deno.serve({ hostname, port, onListen: () => {} }, app.fetch);
  const address = server.addr;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    async shutdown() {
      const done = await withDeadline(server.shutdown(), SHUTDOWN_GRACE_MS);
      if (done === TIMED_OUT) {
        logger.warn("REST server shutdown timed out; closing connections", {
          grace_ms: SHUTDOWN_GRACE_MS,
        });
      }
    },
  };
}
