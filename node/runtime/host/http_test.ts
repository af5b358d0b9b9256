import assert from "node:assert/strict";
import { fixture, probe, serveLoopback, startRuntime } from "../_test_util.ts";
import { HttpErrno } from "../errno.ts";
import type { RunRequest } from "../types.ts";

/** Builds a request for the `http` mode of the AssemblyScript SDK probe. */
function sdkHttp(url: string, permissions: string[]): RunRequest {
  const module = { path: fixture("sdk_probe.wasm") };
  return probe(["http", url], { module, method: "sdk_probe.wasm", permissions });
}

function jsonServer() {
  return serveLoopback((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/big") return new Response("y".repeat(300_000));
    if (path === "/redirect") {
      return new Response(null, { status: 302, headers: { location: "http://127.0.0.2/x" } });
    }
    return Response.json({ price: "2514.37", path });
  });
}

Deno.test("http_req fetches a permitted loopback URL", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const url = `${server.url}/price`;
  const result = await runtime.run(probe(["http", url], { permissions: [server.url] }));
  assert.equal(result.exitCode, 0);
  const lines = result.stdout.split("\n");
  assert.equal(lines[0], "errno=0 status=200");
  assert.equal(lines[1], "content-type=application/json (errno 0)");
  assert.equal(lines[2], `x-missing errno=${HttpErrno.HEADER_NOT_FOUND}`);
  assert.deepEqual(JSON.parse(lines[3]), { price: "2514.37", path: "/price" });
  assert.equal(lines[4], `close=0 again=${HttpErrno.INVALID_HANDLE}`);
  assert.deepEqual(server.requests, ["GET /price"]);
});

Deno.test("http_req denies a URL outside the request permissions", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const url = `${server.url}/price`;
  const denied = await runtime.run(probe(["http", url], { permissions: ["http://127.0.0.1:1/"] }));
  assert.equal(denied.stdout, `errno=${HttpErrno.PERMISSION_DENIED} status=0\n`);
  const none = await runtime.run(probe(["http", url]));
  assert.equal(none.stdout, `errno=${HttpErrno.PERMISSION_DENIED} status=0\n`);
  assert.deepEqual(server.requests, []);
});

Deno.test("http_req applies the node allowlist after the permissions", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime({ httpAllow: ["http://127.0.0.1:1/"] });
  const url = `${server.url}/price`;
  const result = await runtime.run(probe(["http", url], { permissions: [server.url] }));
  assert.equal(result.stdout, `errno=${HttpErrno.DESTINATION_NOT_ALLOWED} status=0\n`);
  assert.deepEqual(server.requests, []);
});

Deno.test("http_req rejects bad URLs, methods and options", async () => {
  await using runtime = await startRuntime();
  const permissions = ["http", "ftp"];
  const cases: [string[], number][] = [
    [["http", "not a url"], HttpErrno.INVALID_URL],
    [["http", "ftp://127.0.0.1/file"], HttpErrno.INVALID_URL],
    [["http", "http://127.0.0.1:1/", '{"method":"BREW"}'], HttpErrno.INVALID_METHOD],
    [["http", "http://127.0.0.1:1/", "{not json"], HttpErrno.INVALID_ENCODING],
    [["http", "http://127.0.0.1:1/", '{"headers":"[1]"}'], HttpErrno.INVALID_ENCODING],
    [["http", "http://127.0.0.1:1/"], HttpErrno.REQUEST_ERROR],
  ];
  for (const [args, errno] of cases) {
    const result = await runtime.run(probe(args, { permissions }));
    assert.equal(result.stdout, `errno=${errno} status=0\n`, args.join(" "));
  }
});

Deno.test("http_req returns redirects instead of following them", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const url = `${server.url}/redirect`;
  const result = await runtime.run(probe(["http", url], { permissions: [server.url] }));
  assert.match(result.stdout, /^errno=0 status=302\n/);
});

Deno.test("http_req allows 16 requests per execution", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const url = `${server.url}/n`;
  const result = await runtime.run(probe(["http-repeat", url, "18"], { permissions: [url] }));
  const errnos = result.stdout.trim().split(" ").map(Number);
  assert.deepEqual(errnos, [...Array(16).fill(0), 12, 12]);
  assert.equal(server.requests.length, 16);

  // The count starts again in the next execution.
  const next = await runtime.run(probe(["http-repeat", url, "1"], { permissions: [url] }));
  assert.equal(next.stdout, "0 \n");
});

Deno.test("http_read_body streams a body larger than the broker window", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const url = `${server.url}/big`;
  const result = await runtime.run(probe(["http", url], { permissions: [server.url] }));
  const body = result.stdout.split("\n")[3];
  assert.equal(body.length, 300_000);
  assert.ok(/^y+$/.test(body));
});

Deno.test("HttpOpen of @blockless/sdk reads the whole body", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const result = await runtime.run(sdkHttp(`${server.url}/sdk`, [`${server.url}/`]));
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), { price: "2514.37", path: "/sdk" });
});

Deno.test("HttpOpen of @blockless/sdk gets null when denied", async () => {
  await using server = jsonServer();
  await using runtime = await startRuntime();
  const result = await runtime.run(sdkHttp(`${server.url}/sdk`, []));
  assert.equal(result.stdout, "no response\n");
  assert.deepEqual(server.requests, []);
});
