/**
 * The request environment as the guest and extensions see it: the request variables in order
 * plus `BLS_LIST_VARS`, the names joined with ";". The node's own environment never appears.
 *
 * @module
 */

/** Name of the variable listing the request variable names. */
export const LIST_VARS_NAME = "BLS_LIST_VARS";

/** The request environment in its three forms. */
export interface RequestEnv {
  /** Variables in request order (a repeated name keeps its first position and last value), then `BLS_LIST_VARS`. */
  vars: Map<string, string>;
  /** WASI environ entries, `NAME=value`. */
  environ: string[];
  /** The `env_var_read` JSON: `{name: value}` for every listed name, properly escaped. */
  json: string;
}

/** Builds the request environment from the request's variables. */
export function buildRequestEnv(pairs: readonly [string, string][]): RequestEnv {
  const requested = new Map<string, string>();
  for (const [name, value] of pairs) {
    // The runtime owns BLS_LIST_VARS; a request cannot forge the list.
    if (name === LIST_VARS_NAME) continue;
    requested.set(name, value);
  }

  // Built by hand so that names keep request order (object keys that look like integers would
  // be sorted first).
  const members = [...requested].map(([name, value]) =>
    `${JSON.stringify(name)}:${JSON.stringify(value)}`
  );
  const json = `{${members.join(",")}}`;
  const vars = new Map(requested);
  vars.set(LIST_VARS_NAME, [...requested.keys()].join(";"));
  const environ = [...vars].map(([name, value]) => `${name}=${value}`);
  return { vars, environ, json };
}
