/**
 * `allora demo`: the whole flow once, in a temporary folder: `allora init --env dev`, a local
 * network of one head and three workers, one execute request, the answer, and a clean stop.
 *
 * @module
 */
import { join } from "node:path";
import { parseFlags, parseInteger } from "./args.ts";
import type { Command, Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { main } from "./main.ts";
import { runRequest } from "./request.ts";
import { selfCommand } from "../node/dev/self.ts";
import { ChildStartError, Supervisor } from "../node/dev/supervisor.ts";

/** Time the local network gets to start, workers included. */
export const DEMO_START_TIMEOUT_MS = 120_000;

/** Help text of `allora demo`. */
export const HELP = `Usage: allora demo [options]

Run the whole flow once on this machine, in a temporary folder: create a dev project
('allora init'), start a head and workers ('allora dev'), send one inference request, print
the answer and the workers that agreed, then stop everything and remove the folder.
Needs python3; no Docker, no chain account, no network beyond loopback.

Options:
  --workers N   number of workers (default: 3)
  --keep        keep the temporary project folder and print its path
`;

/** Parsed options of `allora demo`. */
export interface DemoOptions {
  workers: number;
  keep: boolean;
}

/** Parses `allora demo` arguments. */
export function parseDemoOptions(argv: string[]): DemoOptions {
  const { values } = parseFlags("allora demo", argv, {
    workers: { type: "string" },
    keep: { type: "boolean" },
  });
  return {
    workers: values.workers === undefined
      ? 3
      : parseInteger("--workers", values.workers as string, { min: 1, max: 16 }),
    keep: values.keep === true,
  };
}

/** Runs the demo; exit code 0 when the network answered with code 200. */
export async function runDemo(options: DemoOptions, context: Context): Promise<number> {
  const { io, logger } = context;
  const folder = await Deno.makeTempDir({ prefix: "allora-demo-" });
  const project = join(folder, "demo-worker");
  const supervisor = new Supervisor((line) => io.err(line), logger);
  try {
    io.err(`1/4 creating a dev project in ${project}\n`);
    const initCode = await main(
      [
        "init",
        "--name",
        "demo-worker",
        "--topic",
        "1",
        "--env",
        "dev",
        "--dir",
        project,
        "--yes",
        "--log-level",
        "warn",
      ],
      { io: { ...io, out: () => {} } },
    );
    if (initCode !== 0) {
      throw new CliError(
        `Cannot create the demo project: 'allora init' exited with code ${initCode}`,
      );
    }

    io.err(
      `2/4 starting a head and ${options.workers} worker${options.workers === 1 ? "" : "s"}\n`,
    );
    const dev = supervisor.start({
      name: "dev",
      command: selfCommand([
        "dev",
        "--json",
        "--log-level",
        context.global.logLevel === "info" ? "warn" : context.global.logLevel,
        "--workers",
        String(options.workers),
        "--rest-api",
        "127.0.0.1:0",
        "--port",
        "0",
      ]),
      cwd: project,
      readyTimeoutMs: DEMO_START_TIMEOUT_MS,
    });
    const ready = await dev.ready;
    const rest = String(ready.rest);

    io.err(`3/4 sending an inference request to ${rest}\n`);
    const code = await runRequest({
      head: rest,
      config: join(project, "config.yaml"),
      nodes: options.workers,
      timeoutSeconds: 10,
      blockHeight: 1,
    }, context);

    io.err("4/4 stopping the local network\n");
    return code;
  } catch (error) {
    if (error instanceof ChildStartError) {
      throw new CliError(`Cannot run the demo: ${error.message}`, {
        hint: "see the log lines above; 'allora demo --keep' keeps the project to inspect",
      });
    }
    throw error;
  } finally {
    await supervisor.stopAll();
    if (options.keep) io.err(`project kept in ${project}\n`);
    else await Deno.remove(folder, { recursive: true }).catch(() => {});
  }
}

/** The `allora demo` command. */
export const command: Command = {
  name: "demo",
  summary: "run the whole flow once in a temporary folder",
  help: HELP,
  longRunning: true,
  run: (argv: string[], context: Context) => runDemo(parseDemoOptions(argv), context),
};
