/**
 * The HTTP side of the chain double: JSON-RPC 2.0 over POST (single calls and batches) and the
 * CometBFT URI form `GET /<method>?name=value`, where strings are "quoted" and bytes are 0x hex.
 *
 * @module
 */
import { fromHex, toBase64 } from "@cosmjs/encoding";
import { describeError, type Logger } from "../log.ts";
import { type Method, type Params, RPC_ERROR, RpcError } from "./rpc.ts";

/** The listening server. */
export interface RpcServer {
  /** Base URL, e.g. "http://127.0.0.1:26657". */
  url: string;
  port: number;
  /** Stops accepting requests and waits for open ones to finish. */
  close(): Promise<void>;
}

interface JsonRpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** Serves `methods` on `hostname:port`; port 0 picks a free port. */
export async function serveRpc(
  methods: Record<string, Method>,
  options: { hostname: string; port: number; logger: Logger },
): Promise<RpcServer> {
  const { hostname, port, logger } = options;
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    { hostname, port, onListen: (address) => resolve(address as Deno.NetAddr) },
    (request) => handle(methods, request, logger),
  );
  const address = await listening;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () => server.shutdown(),
  };
}

async function handle(methods: Record<string, Method>, request: Request, logger: Logger) {
  if (request.method === "GET") {
    const url = new URL(request.url);
    const name = url.pathname.slice(1);
    if (name === "") {
      return json({ jsonrpc: "2.0", id: -1, result: { methods: Object.keys(methods) } });
    }
    return json(
      await call(methods, { jsonrpc: "2.0", id: -1, method: name, params: uriParams(url) }, logger),
    );
  }
  if (request.method !== "POST") return new Response("method not allowed\n", { status: 405 });
  let body: unknown;
  try {
    body = await request.json();
  } catch (error) {
    return json(errorResponse(null, new RpcError(RPC_ERROR.parse, describeError(error))), 500);
  }
  if (Array.isArray(body)) {
    return json(await Promise.all(body.map((item) => call(methods, item, logger))));
  }
  return json(await call(methods, body as JsonRpcRequest, logger));
}

async function call(methods: Record<string, Method>, request: JsonRpcRequest, logger: Logger) {
  const id = typeof request?.id === "number" || typeof request?.id === "string" ? request.id : null;
  if (request?.jsonrpc !== "2.0" || typeof request.method !== "string") {
    return errorResponse(
      id,
      new RpcError(RPC_ERROR.invalidRequest, "expected a JSON-RPC 2.0 request"),
    );
  }
  const method = methods[request.method];
  if (method === undefined) {
    return errorResponse(
      id,
      new RpcError(
        RPC_ERROR.methodNotFound,
        `method '${request.method}' is not served by the devnet`,
      ),
    );
  }
  const params = (request.params ?? {}) as Params;
  if (typeof params !== "object" || Array.isArray(params)) {
    return errorResponse(id, new RpcError(RPC_ERROR.invalidParams, "params must be an object"));
  }
  try {
    return { jsonrpc: "2.0", id, result: await method(params) };
  } catch (error) {
    if (error instanceof RpcError) return errorResponse(id, error);
    logger.error("rpc method failed", { method: request.method, error });
    return errorResponse(id, new RpcError(RPC_ERROR.internal, describeError(error)));
  }
}

function errorResponse(id: unknown, error: RpcError) {
  return {
    jsonrpc: "2.0",
    id,
    error: { code: error.code, message: error.message, data: error.data },
  };
}

/** Converts URI parameters: "quoted" strings lose their quotes; 0x hex of tx and hash becomes base64. */
function uriParams(url: URL): Params {
  const params: Params = {};
  for (const [name, raw] of url.searchParams) {
    if (/^".*"$/.test(raw)) params[name] = raw.slice(1, -1);
    else if ((name === "tx" || name === "hash") && /^0x([0-9a-fA-F]{2})*$/.test(raw)) {
      params[name] = toBase64(fromHex(raw.slice(2)));
    } else if (raw === "true" || raw === "false") params[name] = raw === "true";
    else params[name] = raw;
  }
  return params;
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}
