/**
 * The Allora inference function as a b7s package, built from the `.wasm` embedded in this
 * program. Packing is deterministic, so the package's CID is fixed for a given build. New projects
 * put that CID in `function.id`, and workers install the package from this copy without any
 * network.
 *
 * @module
 */
import { type FunctionPackage, packFunction } from "../store/package.ts";
import type { FunctionSource } from "../store/sources.ts";
import { FUNCTION_METHOD } from "./reference.ts";

/** Package name of the inference function; also the archive's base name. */
export const FUNCTION_NAME = "allora-inference-function";
/** Version written into the package manifest. */
export const FUNCTION_VERSION = "0.1.0";

const MODULE_URL = new URL(`./build/${FUNCTION_METHOD}`, import.meta.url);

let cached: Promise<FunctionPackage> | undefined;

/** Packs the embedded inference function once per process and returns the package. */
export function embeddedFunctionPackage(): Promise<FunctionPackage> {
  cached ??= (async () => {
    const wasm = await Deno.readFile(MODULE_URL);
    return await packFunction({
      name: FUNCTION_NAME,
      version: FUNCTION_VERSION,
      wasm: new Map([[FUNCTION_METHOD, wasm]]),
    });
  })();
  return cached;
}

/** Returns a function-store source that serves the embedded package under its CID. */
export async function embeddedFunctionSource(): Promise<FunctionSource> {
  const pkg = await embeddedFunctionPackage();
  return { kind: "package", cid: pkg.cid, files: pkg.files };
}
