/**
 * Helpers for the runtime tests: a disposable runtime, requests for the committed test
 * modules, a loopback HTTP server and temporary folders with scripts.
 *
 * @module
 */
import { createRuntime } from "./runtime.ts";
import type { RunRequest, Runtime, RuntimeOptions } from "./types.ts";

/** Folder of the committed test modules. */
export const TESTDATA = new URL("./testdata/", import.meta.url);

/** Path of a committed test module. */
export function fixture(name: string): string {
  return new URL(name, TESTDATA).pathname;
}

/** Starts a runtime that closes itself at the end of the `await using` scope. */
export async function startRuntime(
  options: RuntimeOptions = {},
): Promise<Runtime & AsyncDisposable> {
  const runtime = await createRuntime({ poolSize: 1, ...options });
  return Object.assign(runtime, { [Symbol.asyncDispose]: () => runtime.close() });
}

/** A request running `probe.wasm` (or `module`) with `args`. */
export function probe(args: string[], overrides: Partial<RunRequest> = {}): RunRequest {
  return {
    requestId: `test-${args[0] ?? "none"}`,
    module: { path: fixture("probe.wasm") },
    method: "probe.wasm",
    args,
    env: [],
    stdin: "",
    permissions: [],
    ...overrides,
  };
}

/** A loopback HTTP server on a free port. */
export interface LoopbackServer extends AsyncDisposable {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Requests received, as "METHOD /path". */
  requests: string[];
}

/** Serves `handler` on 127.0.0.1 until disposed. */
export function serveLoopback(handler: (request: Request) => Response | Promise<Response>) {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return handler(request);
  });
  const { port } = server.addr as Deno.NetAddr;
  const loopback: LoopbackServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
  return loopback;
}

/** A temporary folder removed at the end of the `await using` scope. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "allora-runtime-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Writes `text` to `path`, optionally executable. */
export async function writeScript(path: string, text: string, executable = false): Promise<void> {
  await Deno.writeTextFile(path, text);
  if (executable) await Deno.chmod(path, 0o755);
}
