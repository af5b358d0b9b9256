// Starts one head through the Supervisor, prints its process id, then waits forever, so a
// test can SIGKILL this parent and check that the head exits by itself.
import { Supervisor } from "../supervisor.ts";
import { selfCommand } from "../self.ts";
import { silentLogger } from "../../log.ts";

const supervisor = new Supervisor(() => {}, silentLogger);
const head = supervisor.start({
  name: "head",
  command: selfCommand(["head", "--json", "--rest-api", "127.0.0.1:0", "--port", "0"]),
  cwd: Deno.args[0],
  readyTimeoutMs: 60_000,
});
await head.ready;
console.log(JSON.stringify({ pid: head.process.pid }));
await new Promise(() => {});
