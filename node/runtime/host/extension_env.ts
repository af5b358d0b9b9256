/**
 * The environment of extension processes: allowlisted node variables, then the request
 * variables with `BLS_LIST_VARS`. Node secrets never pass because nothing else is inherited.
 *
 * Request variables come from the network, so they may not replace an allowlisted node
 * variable (such as PATH) or set a loader or interpreter hook (such as LD_PRELOAD or
 * PYTHONPATH) in the extension's process.
 *
 * @module
 */

/** Variables that change how a program is loaded or interpreted; `*` is a suffix wildcard. */
export const EXTENSION_ENV_DENY = [
  "LD_*",
  "DYLD_*",
  "PYTHON*",
  "BASH_ENV",
  "ENV",
  "NODE_OPTIONS",
  "PERL5LIB",
  "PERL5OPT",
  "RUBYOPT",
  "GCONV_PATH",
];

/** Returns whether `name` matches one of `patterns` (exact, or prefix with a final `*`). */
export function matchesName(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern
  );
}

/** Returns the node variables whose names match `patterns`. */
export function allowedNodeEnv(patterns: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(Deno.env.toObject())) {
    if (matchesName(name, patterns)) env[name] = value;
  }
  return env;
}

/**
 * Adds `vars` to `base`, skipping names that `base` already sets and denied names. Returns the
 * merged environment and the skipped names.
 */
export function addRequestEnv(
  base: Record<string, string>,
  vars: Iterable<[string, string]>,
): { env: Record<string, string>; skipped: string[] } {
  const env = { ...base };
  const skipped: string[] = [];
  for (const [name, value] of vars) {
    if (Object.hasOwn(base, name) || matchesName(name, EXTENSION_ENV_DENY)) {
      skipped.push(name);
      continue;
    }
    env[name] = value;
  }
  return { env, skipped };
}
