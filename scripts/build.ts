/**
 * `deno task build`: compiles the `allora` executable with `deno compile`, embedding
 * `templates/` (what `allora init` writes) and, when it exists, `node/function/build/` (the
 * built node function packages).
 *
 * `deno compile` downloads its runtime, denort, on first use. Where that download is not
 * possible, set DENORT_BIN to a denort binary of the same Deno version; this script detects
 * the failed download and prints how to set DENORT_BIN.
 *
 * Usage: deno run --allow-all scripts/build.ts [--output PATH]   (default: dist/allora)
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseArgs } from "node:util";

/** Project root: the folder above this script. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));
/** Default path of the executable, relative to the root. */
export const DEFAULT_OUTPUT = "dist/allora";
/** Folders embedded in the executable when they exist, relative to the root. */
export const INCLUDED_FOLDERS = ["templates", "node/function/build"];
/**
 * Modules that no static import reaches, so `deno compile` needs an `--include` for each. The
 * runtime's sandbox worker is started with `new Worker(url)`.
 */
export const INCLUDED_MODULES = ["node/runtime/sandbox_worker.ts"];

/** Returns the `deno compile` arguments for the folders that exist. */
export async function compileArgs(output: string, root = ROOT): Promise<string[]> {
  const includes: string[] = [];
  for (const folder of INCLUDED_FOLDERS) {
    const info = await Deno.stat(join(root, folder)).catch(() => undefined);
    if (info?.isDirectory) includes.push("--include", folder);
  }
  for (const module of INCLUDED_MODULES) includes.push("--include", module);
  return ["compile", "--allow-all", ...includes, "-o", output, "main.ts"];
}

/** Returns whether `deno compile` failed because it could not download denort. */
export function isDenortDownloadFailure(stderr: string): boolean {
  return /denort/i.test(stderr) &&
    /error sending request|dns error|Setting up base binary|timed out|connection/i.test(stderr);
}

/** Explains how to build without a download; printed after a failed denort download. */
export function denortHelp(version = Deno.version.deno, target = Deno.build.target): string {
  return `error: deno compile could not download its runtime (denort), so no executable was built.
hint: set DENORT_BIN to a denort binary of Deno ${version} for ${target}, for example
  DENORT_BIN=/opt/denort-${version}/denort deno task build
  Take it from the release asset denort-${target}.zip of Deno v${version}, downloaded on a
  machine with network access and unzipped. The deno binary itself does not work as
  DENORT_BIN: the result would run as the deno CLI instead of allora.
`;
}

/** Outcome of {@link build}. */
export interface BuildResult {
  code: number;
  output: string;
}

/**
 * Runs `deno compile`; its output passes through to standard error.
 *
 * @param output path of the executable, relative to the root or absolute
 */
export async function build(output = DEFAULT_OUTPUT): Promise<BuildResult> {
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    const info = await Deno.stat(denort).catch(() => undefined);
    if (!info?.isFile) {
      console.error(`error: Cannot use DENORT_BIN '${denort}': no such file`);
      console.error("hint: point DENORT_BIN at an unzipped denort binary, or unset it");
      return { code: 1, output };
    }
  }

  const args = await compileArgs(output);
  console.error(`deno ${args.join(" ")}${denort ? ` (DENORT_BIN=${denort})` : ""}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  const stderr = await new Response(child.stderr).text();
  const status = await child.status;
  Deno.stderr.writeSync(new TextEncoder().encode(stderr));
  if (!status.success && denort === undefined && isDenortDownloadFailure(stderr)) {
    console.error(denortHelp());
  }
  return { code: status.code, output };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { output: { type: "string", default: DEFAULT_OUTPUT } },
  });
  const result = await build(values.output);
  if (result.code === 0) console.error(`built ${result.output}`);
  Deno.exit(result.code);
}
