import assert from "node:assert/strict";
import { httpRequest } from "./client.ts";

Deno.test("httpRequest() posts JSON and reads the body", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const body = await request.json();
    return Response.json({
      method: request.method,
      type: request.headers.get("content-type"),
      body,
    });
  });
  try {
    const result = await httpRequest(`http://127.0.0.1:${server.addr.port}/x`, { json: { a: 1 } });
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(result.body), {
      method: "POST",
      type: "application/json",
      body: { a: 1 },
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test("httpRequest() rejects when nothing listens", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await assert.rejects(() => httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 5000 }));
});

Deno.test("httpRequest() times out on a server that never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) accepted.push(conn);
  })();
  try {
    await assert.rejects(
      () =>
        httpRequest(`http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`, {
          timeoutMs: 200,
        }),
      /timed out after 200 ms/,
    );
  } finally {
    listener.close();
    for (const conn of accepted) conn.close();
  }
});
