/**
 * Runs every benchmark in `bench/`, one after another, each in its own process: files named
 * `*_bench.ts` with `deno bench -A`, other scripts with `deno run -A`. Arguments are passed on
 * to each script.
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
  const path = `${folder}${file}`;
  const args = file.endsWith("_bench.ts")
    ? ["bench", "-A", path]
    : ["run", "-A", path, ...Deno.args];
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`${file} failed with exit code ${code}`);
    failed++;
  }
}
Deno.exit(failed === 0 ? 0 : 1);
