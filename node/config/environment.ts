/**
 * Configuration from environment variables: every scalar or list key of config.yaml can be
 * set as `ALLORA_<SECTION>_<KEY>`, e.g. `head.rest_api` as `ALLORA_HEAD_REST_API` and
 * `network` as `ALLORA_NETWORK`. Lists are comma-separated. The generated compose files and
 * systemd unit use these variables to run the same config.yaml in a container or on a server.
 *
 * Precedence is flags > environment > file > defaults; this module applies the environment
 * layer on top of {@link loadConfig}'s result.
 *
 * @module
 */
import { type Config, CONFIG_SCHEMA, validateConfigDocument } from "./config.ts";

/** Prefix of every configuration variable. */
export const ENVIRONMENT_PREFIX = "ALLORA_";

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** One config key that an environment variable can set. */
export interface EnvironmentKey {
  /** Path of the key, e.g. ["head", "rest_api"]. */
  path: string[];
  /** Name of the variable, e.g. "ALLORA_HEAD_REST_API". */
  variable: string;
  /** How the text is converted. */
  kind: "string" | "integer" | "list";
}

/** Returns the variable name of a config key path, e.g. ALLORA_WORKER_BOOT_NODES. */
export function environmentVariableName(path: readonly string[]): string {
  return ENVIRONMENT_PREFIX + path.join("_").toUpperCase();
}

/** Lists every config key that can come from the environment, in schema order. */
export function environmentKeys(): EnvironmentKey[] {
  const keys: EnvironmentKey[] = [];
  const visit = (node: SchemaNode, path: string[]) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (name === "$schema") continue;
      const childPath = [...path, name];
      if (child.properties !== undefined) {
        visit(child, childPath);
        continue;
      }
      // Maps such as worker.attributes and lists of maps such as head.schedule have no flat
      // text form, so they stay file-only.
      if (child.type === "object" || child.items?.type === "object") continue;
      const kind = child.type === "integer"
        ? "integer"
        : child.type === "array"
        ? "list"
        : "string";
      keys.push({ path: childPath, variable: environmentVariableName(childPath), kind });
    }
  };
  visit(CONFIG_SCHEMA as SchemaNode, []);
  return keys;
}

/**
 * Applies `ALLORA_*` variables on top of a loaded config and validates each one.
 *
 * @param env variable lookup, e.g. `(name) => Deno.env.get(name)`
 * @returns the new config and the names of the variables that were applied
 * @throws {ConfigError} naming the variable (as the file) and the key when a value is invalid
 */
export function applyEnvironment(
  config: Config,
  env: (name: string) => string | undefined,
): { config: Config; applied: string[] } {
  const document = structuredClone(config) as unknown as Record<string, unknown>;
  const applied: string[] = [];
  for (const key of environmentKeys()) {
    const text = env(key.variable);
    if (text === undefined) continue;
    const value = convert(text, key.kind);

    // Check the one key on its own: defaults such as an empty function.id are not schema values.
    const single: Record<string, unknown> = { name: config.name, topic: config.topic };
    setPath(single, key.path, value);
    validateConfigDocument(single, key.variable);

    setPath(document, key.path, value);
    applied.push(key.variable);
  }
  return { config: document as unknown as Config, applied };
}

function convert(text: string, kind: EnvironmentKey["kind"]): unknown {
  const trimmed = text.trim();
  if (kind === "list") return trimmed.split(",").map((item) => item.trim()).filter(Boolean);
  // A non-numeric value stays a string so that the schema check names it as not an integer.
  if (kind === "integer" && /^-?\d+$/.test(trimmed)) return Number(trimmed);
  return kind === "integer" ? trimmed : text;
}

function setPath(document: Record<string, unknown>, path: string[], value: unknown): void {
  let node = document;
  for (const segment of path.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
