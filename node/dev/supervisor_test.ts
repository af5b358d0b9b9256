import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../testing/temp_dir.ts";

const PARENT = fileURLToPath(new URL("./testdata/parent.ts", import.meta.url));

function isRunning(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test("Supervisor children exit when the parent is killed", async () => {
  await using tmp = await tempDir();
  const parent = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", PARENT, tmp.path],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const { pid } = JSON.parse(text.trim());
  assert.ok(isRunning(pid), "the head should run while its parent lives");

  parent.kill("SIGKILL");
  await parent.status;
  reader.releaseLock();
  await parent.stdout.cancel().catch(() => {});

  const deadline = Date.now() + 20_000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const stillRunning = isRunning(pid);
  if (stillRunning) Deno.kill(pid, "SIGKILL");
  assert.equal(stillRunning, false, "the head outlived its killed parent");
});
