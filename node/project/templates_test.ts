import assert from "node:assert/strict";
import { assertRejects, assertThrows } from "../../testing/assert.ts";
import {
  readTemplate,
  readTemplateText,
  renderTemplate,
  TemplateError,
  TEMPLATES_URL,
} from "./templates.ts";

Deno.test("renderTemplate() fills dotted keys and JSON values", () => {
  const text = renderTemplate(
    "port: {{ head.port }}\nname: {{name|json}}\nlist: {{ items | json }}\n",
    { head: { port: 9010 }, name: 'a"b', items: ["x", "y"] },
    "t",
  );
  assert.equal(text, 'port: 9010\nname: "a\\"b"\nlist: ["x","y"]\n');
});

Deno.test("renderTemplate() rejects a missing value", () => {
  const error = assertThrows(
    () => renderTemplate("boot: /p2p/{{ head_peer_id }}", { head: {} }, "compose"),
    TemplateError,
  );
  assert.equal(error.template, "compose");
  assert.match(error.message, /no value for 'head_peer_id'/);
});

Deno.test("renderTemplate() rejects a null value", () => {
  assertThrows(() => renderTemplate("{{ id }}", { id: null }, "t"), TemplateError);
});

Deno.test("renderTemplate() rejects an object without the json filter", () => {
  const error = assertThrows(() => renderTemplate("{{ list }}", { list: [1] }, "t"), TemplateError);
  assert.match(error.message, /\{\{ list \| json \}\}/);
});

Deno.test("renderTemplate() rejects an unknown filter", () => {
  assertThrows(() => renderTemplate("{{ a | yaml }}", { a: "x" }, "t"), TemplateError);
});

Deno.test("renderTemplate() rejects a malformed placeholder", () => {
  const error = assertThrows(() => renderTemplate("x {{ a-b }}", { a: 1 }, "t"), TemplateError);
  assert.match(error.message, /malformed placeholder '\{\{ a-b \}\}'/);
});

Deno.test("readTemplate() reads every file under templates/", async () => {
  const names: string[] = [];
  const walk = async (url: URL, prefix: string) => {
    for await (const entry of Deno.readDir(url)) {
      const name = prefix + entry.name;
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, url), `${name}/`);
      else names.push(name);
    }
  };
  await walk(TEMPLATES_URL, "");
  assert.ok(names.includes("project/main.py"));
  assert.ok(names.includes("prod/allora-worker.service"));
  for (const name of names) assert.ok((await readTemplate(name)).length > 0, name);
});

Deno.test("readTemplateText() rejects a missing template", async () => {
  const error = await assertRejects(() => readTemplateText("project/nope.txt"), TemplateError);
  assert.equal(error.template, "project/nope.txt");
});
