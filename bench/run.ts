/**
 * Runs every benchmark file in `bench/` (all `.ts` files but this one), one after another,
 * each in its own `deno run -A` process. Arguments are passed on to each benchmark.
 *
 * Run: `deno task bench`
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL(".", import.meta.url));
const files = [...Deno.readDirSync(folder)]
  .filter((entry) => entry.isFile && entry.name.endsWith(".ts") && entry.name !== "run.ts")
  .map((entry) => entry.name)
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`## ${file}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${folder}${file}`, ...Deno.args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`${file} failed with exit code ${code}`);
    failed++;
  }
}
Deno.exit(failed === 0 ? 0 : 1);
