/**
 * What `allora init` did, printed as text or, with `--json`, as one JSON document.
 *
 * @module
 */
import type { FileAction, FileResult } from "../node/project/writer.ts";
import type { Context } from "./command.ts";

/** The outcome of one `allora init` run. */
export interface InitReport {
  /** Absolute project folder. */
  dir: string;
  env: "dev" | "prod";
  dryRun: boolean;
  /** Every planned file with its action, keystore included. */
  files: FileResult[];
  /** Address of the chain wallet, for prod runs that were not dry runs. */
  walletAddress?: string;
  warnings: string[];
  /** Extra lines for the text output's next steps. */
  notes?: string[];
}

const WIDTH = 10;

const PAST: Record<FileAction, string> = {
  create: "created",
  overwrite: "overwrote",
  keep: "kept",
  unchanged: "unchanged",
};
const FUTURE: Record<FileAction, string> = {
  create: "create",
  overwrite: "overwrite",
  keep: "keep",
  unchanged: "unchanged",
};

/** Prints the report on standard output: text, or JSON with the global `--json`. */
export function printReport(report: InitReport, context: Context, shownDir: string): void {
  const { io } = context;
  if (context.global.json) {
    io.out(JSON.stringify(report, null, 2) + "\n");
    return;
  }
  const lines: string[] = [];
  lines.push(
    report.dryRun
      ? `Dry run, nothing was written. allora init --env ${report.env} would do this in ${shownDir}:`
      : `Project ${shownDir} (--env ${report.env}):`,
  );
  for (const file of report.files) {
    const verb = (report.dryRun ? FUTURE : PAST)[file.action];
    const reason = file.action === "keep"
      ? "  (exists with other contents; --force overwrites it)"
      : "";
    lines.push(`  ${verb.padEnd(WIDTH)} ${file.path}${reason}`);
  }
  if (report.walletAddress !== undefined) lines.push(`Wallet address: ${report.walletAddress}`);
  if (!report.dryRun) lines.push("", "Next:", ...nextSteps(report, shownDir));
  io.out(lines.join("\n") + "\n");
}

function nextSteps(report: InitReport, shownDir: string): string[] {
  const cd = shownDir === "." ? [] : [`  cd ${shownDir}`];
  const notes = (report.notes ?? []).map((note) => `  ${note}`);
  if (report.env === "dev") {
    return [
      ...cd,
      "  allora dev              # head + worker on this machine",
      "  allora request          # in a second terminal: ask for an inference",
      "  edit main.py            # your model; README.md explains the contract",
      ...notes,
    ];
  }
  return [
    ...cd,
    ...notes,
    "  docker compose -f prod-docker-compose.yaml up -d --build    # or the systemd unit:",
    "  sudo cp allora-worker.service /etc/systemd/system/ && sudo systemctl enable --now allora-worker",
  ];
}
