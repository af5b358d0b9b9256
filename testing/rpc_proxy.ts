/**
 * A recording JSON-RPC proxy in front of a devnet, for chain client tests that need to see the
 * client's requests or to inject what a devnet does not produce (a missing feemarket module, a
 * chain of another era, a window that closes during a broadcast). It keeps no chain state, so
 * every request it does not intercept goes to the devnet unchanged.
 *
 * @module
 */
import { fromBase64, toBase64 } from "@cosmjs/encoding";

/** One JSON-RPC request the proxy received, with the result it returned. */
export interface ProxiedCall {
  method: string;
  /** The ABCI path of an `abci_query`. */
  path?: string;
  params: Record<string, unknown>;
  /** The JSON-RPC result returned to the client; unset while pending or on error. */
  result?: Record<string, unknown>;
}

/**
 * Decides the result of one call: return `forward()` (or a changed copy of what it resolves
 * to) or a result of its own.
 */
export type CallHandler = (
  call: ProxiedCall,
  forward: () => Promise<Record<string, unknown>>,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A running proxy; `await using` stops it. */
export interface RpcProxy extends AsyncDisposable {
  url: string;
  calls: ProxiedCall[];
  /** The function that returns each call's result; the default forwards every call. */
  handler: CallHandler;
  /** Returns how many calls of `method` (and ABCI `path`, when given) arrived. */
  count(method: string, path?: string): number;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (a devnet's RPC URL) on 127.0.0.1 with a free port. */
export function startRpcProxy(target: string): RpcProxy {
  const calls: ProxiedCall[] = [];
  const proxy: RpcProxy = {
    url: "",
    calls,
    handler: (_call, forward) => forward(),
    count: (method, path) =>
      calls.filter((call) => call.method === method && (path === undefined || call.path === path))
        .length,
    close: async () => await server.shutdown(),
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      const params = body.params ?? {};
      const call: ProxiedCall = { method: body.method, params };
      if (body.method === "abci_query") call.path = params.path;
      calls.push(call);
      const forward = () => forwardCall(target, body);
      try {
        call.result = await proxy.handler(call, forward);
        return Response.json({ jsonrpc: "2.0", id: body.id, result: call.result });
      } catch (error) {
        return Response.json({
          jsonrpc: "2.0",
          id: body.id,
          error: { code: -32603, message: "Internal error", data: String(error) },
        });
      }
    },
  );
  proxy.url = `http://127.0.0.1:${server.addr.port}`;
  return proxy;
}

async function forwardCall(target: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const document = await response.json();
  if (document.error !== undefined) throw new Error(JSON.stringify(document.error));
  return document.result;
}

/** Returns an `abci_query` result with `value` and code 0, shaped like the devnet's. */
export function queryValue(
  forwarded: Record<string, unknown>,
  value: Uint8Array,
): Record<string, unknown> {
  const response = forwarded.response as Record<string, unknown>;
  return { response: { ...response, code: 0, codespace: "", log: "", value: toBase64(value) } };
}

/** Returns an `abci_query` result that failed with `code` in `codespace`. */
export function queryFailure(
  forwarded: Record<string, unknown>,
  failure: { code: number; codespace: string; log: string },
): Record<string, unknown> {
  const response = forwarded.response as Record<string, unknown>;
  return { response: { ...response, ...failure, value: "" } };
}

/** Returns the value bytes of a recorded `abci_query` result. */
export function resultValue(call: ProxiedCall): Uint8Array {
  const response = call.result?.response as { value?: string } | undefined;
  return fromBase64(response?.value ?? "");
}
