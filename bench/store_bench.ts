/**
 * Cost of the function store: packing and CID computation for a module of realistic size, a
 * full install from a loopback gateway, and the lookup a worker does on every roll call.
 * Run with `deno bench -A bench/store_bench.ts`; figures are in bench/README.md.
 *
 * @module
 */
import { join } from "node:path";
import { computeDirectoryCid, createFunctionStore, packFunction } from "../node/store/mod.ts";
import { startGateway } from "../testing/gateway.ts";

// 8 MiB of poorly compressible bytes, about the size of a Python-calling WASI module.
const MODULE_BYTES = 8 * 1024 * 1024;
const wasm = new Uint8Array(MODULE_BYTES);
for (let offset = 0; offset < wasm.length; offset += 65_536) {
  crypto.getRandomValues(wasm.subarray(offset, offset + 65_536));
}
wasm.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
// A custom section (id 0) named "pad" covers the rest, so the module stays valid.
const padLength = MODULE_BYTES - 8 - 1 - 5;
wasm.set([0x00, ...leb128Fixed(padLength), 0x03, 0x70, 0x61, 0x64], 8);

const modules = new Map([["bench.wasm", wasm]]);
const pkg = await packFunction({ name: "bench", version: "1.0.0", wasm: modules });
const gateway = await startGateway();
gateway.routes.set(`/${pkg.cid}/manifest.json`, pkg.manifestBytes);
gateway.routes.set(`/${pkg.archiveName}`, pkg.archive);
const root = await Deno.makeTempDir({ prefix: "allora-bench-" });
const installed = createFunctionStore({ workspace: join(root, "warm"), gateway: gateway.template });
await installed.install({ cid: pkg.cid });
let round = 0;

Deno.bench("packFunction() 8 MiB module", { n: 10, warmup: 1 }, async () => {
  await packFunction({ name: "bench", version: "1.0.0", wasm: modules });
});

Deno.bench("computeDirectoryCid() 8 MiB package", { n: 10, warmup: 1 }, async () => {
  await computeDirectoryCid(pkg.files);
});

Deno.bench("install() 8 MiB package from loopback gateway", { n: 10, warmup: 1 }, async () => {
  round += 1;
  const store = createFunctionStore({
    workspace: join(root, `cold-${round}`),
    gateway: gateway.template,
  });
  await store.install({ cid: pkg.cid });
});

Deno.bench("ensure() installed function", async () => {
  await installed.ensure(pkg.cid);
});

globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
globalThis.addEventListener("beforeunload", () => void gateway.close());

// A 5-byte LEB128 encoding of `value`, so the section header has a fixed length.
function leb128Fixed(value: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < 5; i++) {
    bytes.push((value & 0x7f) | (i < 4 ? 0x80 : 0));
    value >>>= 7;
  }
  return bytes;
}
