/**
 * The CGI extension registry, built once when the runtime starts: every executable in the
 * extensions folder that responds to `--ext_verify` with `{"alias","description","is_cgi":true}`,
 * plus the built-in `cgi-allora-infer`. Unlike bls-runtime, `cgi_open` resolves aliases
 * without a prior `cgi_list_exec`, and there is no on-disk cache.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "../../log.ts";
import { describeError } from "../../log.ts";
import { CGI_VERIFY_TIMEOUT_MS } from "../constants.ts";
import { spawnCaptured } from "./spawn.ts";

const VERIFY_OUTPUT_BYTES = 65_536;

/** One extension as listed to guests. `path` is unset for the built-in. */
export interface ExtensionEntry {
  fileName: string;
  alias: string;
  md5: string;
  description: string;
  path?: string;
}

/** The extensions a guest can list and open. */
export interface CgiRegistry {
  entries: readonly ExtensionEntry[];
  /** The `cgi_list_read` JSON. */
  listJson: string;
  find(alias: string): ExtensionEntry | undefined;
}

/** Options of {@link buildRegistry}. */
export interface RegistryOptions {
  extensionsDir?: string;
  builtins: readonly ExtensionEntry[];
  /** Environment of the `--ext_verify` probes. */
  env: Record<string, string>;
  logger: Logger;
}

/** Probes the extensions folder and returns the registry. */
export async function buildRegistry(options: RegistryOptions): Promise<CgiRegistry> {
  const { extensionsDir, builtins, logger } = options;
  const external = extensionsDir === undefined ? [] : await probeFolder(extensionsDir, options);
  const byAlias = new Map<string, ExtensionEntry>();
  for (const entry of builtins) byAlias.set(entry.alias, entry);
  for (const entry of external) {
    // An extension the operator installed replaces a built-in of the same alias.
    if (byAlias.has(entry.alias)) {
      logger.info("extension replaces built-in", { alias: entry.alias });
    }
    byAlias.set(entry.alias, entry);
  }

  const entries = [...byAlias.values()];
  const listJson = JSON.stringify(
    entries.map(({ fileName, alias, md5, description }) => ({ fileName, alias, md5, description })),
  );
  logger.info("cgi extensions ready", { aliases: entries.map((entry) => entry.alias).join(",") });
  return { entries, listJson, find: (alias) => byAlias.get(alias) };
}

/** Returns the MD5 hex of `data`, the checksum format of the extension list. */
export function md5Hex(data: Uint8Array | string): string {
  return createHash("md5").update(data).digest("hex");
}

async function probeFolder(dir: string, options: RegistryOptions): Promise<ExtensionEntry[]> {
  const files: string[] = [];
  try {
    for await (const item of Deno.readDir(dir)) {
      if (!item.name.startsWith(".")) files.push(item.name);
    }
  } catch (error) {
    options.logger.warn("cannot read extensions folder", { dir, error: describeError(error) });
    return [];
  }
  const probed = await Promise.all(files.sort().map((name) => probe(dir, name, options)));
  return probed.filter((entry) => entry !== null);
}

async function probe(
  dir: string,
  fileName: string,
  options: RegistryOptions,
): Promise<ExtensionEntry | null> {
  const path = join(dir, fileName);
  const info = await Deno.stat(path).catch(() => null);
  if (info === null || !info.isFile || ((info.mode ?? 0) & 0o111) === 0) return null;

  const skip = (reason: string) => {
    options.logger.warn("skipping extension", { file: path, reason });
    return null;
  };
  let output: string;
  try {
    const process = spawnCaptured(path, {
      args: ["--ext_verify"],
      cwd: dir,
      env: options.env,
      stdin: false,
      capBytes: VERIFY_OUTPUT_BYTES,
      timeoutMs: CGI_VERIFY_TIMEOUT_MS,
    });
    const status = await process.status;
    if (status.timedOut) return skip(`--ext_verify timed out after ${CGI_VERIFY_TIMEOUT_MS} ms`);
    if (status.code !== 0) return skip(`--ext_verify exited with code ${status.code}`);
    output = new TextDecoder().decode(process.stdout.bytes());
  } catch (error) {
    return skip(`cannot run --ext_verify: ${describeError(error)}`);
  }

  const line = output.split("\n").find((text) => text.trim() !== "") ?? "";
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(line);
  } catch {
    return skip(`--ext_verify printed no JSON object: ${JSON.stringify(line.slice(0, 200))}`);
  }
  const { alias, description, is_cgi: isCgi, md5 } = answer ?? {};
  if (
    isCgi !== true || typeof alias !== "string" || alias === "" || typeof description !== "string"
  ) {
    return skip("--ext_verify answer lacks is_cgi=true, alias or description");
  }
  const checksum = typeof md5 === "string" && md5 !== "" ? md5 : md5Hex(await Deno.readFile(path));
  options.logger.debug("extension found", { alias, file: path });
  return { fileName, alias, md5: checksum, description, path };
}
