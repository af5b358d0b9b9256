/**
 * Shared setup of the store tests: temporary folders, packages and a loopback gateway that
 * serves them the way w3s.link does (manifest at `/<cid>/manifest.json` here, archive at the
 * host root, where the original installer looks for a relative `runtime.url`).
 *
 * @module
 */
import type { TestGateway } from "../../../testing/gateway.ts";
import { type FunctionPackage, packFunction } from "../package.ts";
import { EMPTY_MODULE } from "./modules.ts";

/** A temporary folder removed on dispose. */
export interface TempDir extends AsyncDisposable {
  path: string;
}

/** Creates a temporary folder. */
export async function tempDir(): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix: "allora-store-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

/** Packs a one-module function named `name`. */
export function demoPackage(name = "demo", wasm = EMPTY_MODULE): Promise<FunctionPackage> {
  return packFunction({ name, version: "1.0.0", wasm: new Map([[`${name}.wasm`, wasm]]) });
}

/** Serves a package on the gateway, under `cid` (default: its own CID). */
export function servePackage(gateway: TestGateway, pkg: FunctionPackage, cid = pkg.cid): void {
  gateway.routes.set(`/${cid}/manifest.json`, pkg.manifestBytes);
  gateway.routes.set(`/${pkg.archiveName}`, pkg.archive);
}

/** Writes a package's folder (manifest.json and archive) under `dir`. */
export async function writePackage(dir: string, pkg: FunctionPackage): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, bytes] of pkg.files) await Deno.writeFile(`${dir}/${name}`, bytes);
}

/** Lists the names in a folder, or [] when it does not exist. */
export async function listDir(path: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}
