/**
 * A loopback HTTP server that replaces an IPFS gateway in tests. It serves bytes or
 * handlers by path on 127.0.0.1 and records every request path.
 *
 * @module
 */

/** A route: fixed bytes (served with 200) or a handler. */
export type Route = Uint8Array | ((request: Request) => Response | Promise<Response>);

/** A running test gateway. Dispose it (or call `close`) to stop the server. */
export interface TestGateway extends AsyncDisposable {
  /** Origin, e.g. "http://127.0.0.1:41234". */
  origin: string;
  /** Manifest URL template with `{cid}` as a path segment: `<origin>/{cid}/manifest.json`. */
  template: string;
  /** Routes by path; tests may add or replace routes while the server runs. */
  routes: Map<string, Route>;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts a gateway on 127.0.0.1 with a free port. Unknown paths get 404. */
export function startGateway(routes: Record<string, Route> = {}): Promise<TestGateway> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: resolve },
    async (request) => {
      const path = new URL(request.url).pathname;
      requests.push(path);
      const route = table.get(path);
      if (route === undefined) return new Response("not found", { status: 404 });
      if (route instanceof Uint8Array) return new Response(route as Uint8Array<ArrayBuffer>);
      return await route(request);
    },
  );

  return listening.then((address) => {
    const origin = `http://127.0.0.1:${address.port}`;
    const close = async () => {
      await server.shutdown();
    };
    return {
      origin,
      template: `${origin}/{cid}/manifest.json`,
      routes: table,
      requests,
      close,
      [Symbol.asyncDispose]: close,
    };
  });
}
