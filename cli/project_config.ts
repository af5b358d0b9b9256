/**
 * Finds and loads the project's config.yaml for commands that work with or without one.
 *
 * @module
 */
import { join } from "node:path";
import { type Config, ConfigError, loadConfig } from "../node/config/config.ts";
import { CliError } from "./errors.ts";

/** The default config file name, looked up in the current folder. */
export const CONFIG_FILE = "config.yaml";

/**
 * Loads `path`, or `config.yaml` in `cwd` when no path is given and the file exists.
 *
 * @returns undefined when no path was given and the current folder has no config.yaml
 * @throws {CliError} when the file is missing (given explicitly) or invalid
 */
export async function loadProjectConfig(
  path: string | undefined,
  cwd = Deno.cwd(),
): Promise<{ config: Config; path: string } | undefined> {
  const file = path ?? join(cwd, CONFIG_FILE);
  if (path === undefined) {
    try {
      await Deno.stat(file);
    } catch {
      return undefined;
    }
  }
  try {
    return { config: await loadConfig(file), path: file };
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(error.message, {
        hint: error.key !== ""
          ? `fix '${error.key}' in ${file}; its schema is config.schema.json beside it`
          : error.message.startsWith("Cannot find")
          ? "create a project with 'allora init --name NAME --topic ID --env dev'"
          : `fix the YAML syntax of ${file} at the place the message names`,
        cause: error.cause,
      });
    }
    throw error;
  }
}
