/**
 * The files under `templates/` and a strict placeholder renderer.
 *
 * Templates are read through a URL relative to this module, so `deno compile --include
 * templates` embeds them in the binary and the same code reads them from the source tree or
 * from the executable.
 *
 * The renderer is written here instead of taken from npm because its guarantees are small and
 * unusual. A missing value is an error, never an empty string or "undefined"; allocmd wrote
 * `/p2p/None` into configs that way. Values can also be emitted as JSON, which is a valid YAML
 * scalar or flow sequence.
 *
 * @module
 */

/** Folder of the templates, relative to this module. */
export const TEMPLATES_URL: URL = new URL("../../templates/", import.meta.url);

// {{ key }} or {{ key | json }}, with dotted keys such as head.port.
const PLACEHOLDER_REGEXP = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g;

/** A template that cannot be read or rendered; always a bug in the toolkit, not user input. */
export class TemplateError extends Error {
  override name = "TemplateError";
  /** Path of the template below `templates/`. */
  readonly template: string;

  constructor(template: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.template = template;
  }
}

/**
 * Reads a template file as bytes.
 *
 * @param name path below `templates/`, e.g. "project/main.py"
 * @throws {TemplateError} when the file is missing from the source tree or the binary
 */
export async function readTemplate(name: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(new URL(name, TEMPLATES_URL));
  } catch (error) {
    throw new TemplateError(
      name,
      `Cannot read template ${name}: ${
        (error as Error).message
      } (was the binary built with --include templates?)`,
      { cause: error },
    );
  }
}

/** Reads a template file as UTF-8 text. */
export async function readTemplateText(name: string): Promise<string> {
  return new TextDecoder().decode(await readTemplate(name));
}

/** Values for {@link renderTemplate}: nested objects are reached with dotted keys. */
export type TemplateValues = Record<string, unknown>;

/**
 * Replaces `{{ key }}` with the value's text and `{{ key | json }}` with its JSON form.
 *
 * @param name template name for error messages
 * @throws {TemplateError} on a missing value, an unknown filter, an object without `| json`,
 *   or a `{{` left over that is not a placeholder
 */
export function renderTemplate(text: string, values: TemplateValues, name: string): string {
  const rendered = text.replace(PLACEHOLDER_REGEXP, (_match, key: string, filter?: string) => {
    const value = lookup(values, key);
    if (value === undefined || value === null) {
      throw new TemplateError(name, `Cannot render template ${name}: no value for '${key}'`);
    }
    if (filter === "json") return JSON.stringify(value);
    if (filter !== undefined) {
      throw new TemplateError(name, `Cannot render template ${name}: unknown filter '${filter}'`);
    }
    if (typeof value === "object") {
      throw new TemplateError(
        name,
        `Cannot render template ${name}: '${key}' is not text; write {{ ${key} | json }}`,
      );
    }
    return String(value);
  });
  const stray = rendered.indexOf("{{");
  if (stray !== -1) {
    const excerpt = rendered.slice(stray, stray + 40).split("\n")[0];
    throw new TemplateError(
      name,
      `Cannot render template ${name}: malformed placeholder '${excerpt}'`,
    );
  }
  return rendered;
}

function lookup(values: TemplateValues, key: string): unknown {
  let node: unknown = values;
  for (const segment of key.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
