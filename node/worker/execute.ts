/**
 * `MsgExecute`: run the function and send one `MsgExecuteResponse` to the sender, with this
 * worker's result under its own peer ID. Code "200" when the function exits 0, "500"
 * otherwise (output kept), "404" when the function or method is missing.
 *
 * @module
 */
import type { ExecutionResult, MsgExecute, MsgExecuteResponse } from "../p2p/messages.ts";
import type { MessageSource } from "../p2p/host.ts";
import { describeError, type Logger } from "../log.ts";
import type { WorkerContext } from "./context.ts";
import type { RunResult } from "./ports.ts";
import { checkMethod, RequestError, toRunRequest } from "./run_request.ts";
import { applyOutputCheck, isInferenceRequest } from "./output_check.ts";
import { type InferencePayload, payloadOfRequest } from "./submission.ts";

/** Exit code reported for requests rejected before they run (configuration error). */
export const EXIT_NOT_RUN = 128;
/** Extra time given to the executor past its own limit before the worker aborts the run. */
const EXECUTOR_GRACE_MS = 5_000;

/** Runs an execute request and replies to the peer that sent it. */
export async function handleExecute(
  context: WorkerContext,
  message: MsgExecute,
  source: MessageSource,
): Promise<void> {
  const peer = source.peer.toString();
  if (!message.request_id) {
    context.logger.warn("execute dropped: empty request id", { peer, cid: message.function_id });
    return;
  }
  const logger = context.logger.child({
    request_id: message.request_id,
    peer,
    cid: message.function_id,
  });
  const started = performance.now();
  const outcome = await executeRequest(context, message, peer, logger);
  if (outcome === undefined) return;

  const { result, note, payload } = outcome;
  const response: MsgExecuteResponse = {
    type: "MsgExecuteResponse",
    request_id: message.request_id,
    function_id: message.function_id,
    code: result.code,
    results: { [context.peerId]: result },
    message: note,
  };
  try {
    await context.reply(source.peer, response);
    logger.info("execute response sent", {
      code: result.code,
      exit_code: result.result.exit_code,
      wall_ms: Math.round(performance.now() - started),
      run_ms: Math.round((result.usage.wall_clock_time ?? 0) / 1e6),
    });
  } catch (error) {
    logger.warn("cannot send execute response", { error, code: result.code });
  }
  // After the reply, so the head's latency does not include the chain. The payload is valid
  // whether or not the head got the reply.
  if (payload !== undefined && context.payloads !== undefined) {
    void context.payloads.submit(payload);
  }
}

type Outcome = { result: ExecutionResult; note?: string; payload?: InferencePayload };

async function executeRequest(
  context: WorkerContext,
  message: MsgExecute,
  peer: string,
  logger: Logger,
): Promise<Outcome | undefined> {
  const requestId = message.request_id;
  const reject = (code: string, note: string, exitCode = EXIT_NOT_RUN): Outcome => {
    logger.warn("execute rejected", { code, reason: note });
    return { result: emptyResult(requestId, code, note, exitCode), note };
  };

  const consensus = message.config?.consensus_algorithm?.trim() ?? "";
  if (consensus !== "") {
    return reject("501", `consensus ${JSON.stringify(consensus)} is not supported by this worker`);
  }
  let request;
  try {
    checkMethod(message.method);
    const fn = await context.installer.get(message.function_id);
    if (!fn) return reject("404", `function ${message.function_id} is not installed`, 0);
    let modulePath: string;
    try {
      modulePath = context.installer.modulePath(fn, message.method);
    } catch (error) {
      return reject(
        "404",
        `method ${JSON.stringify(message.method)} not found: ${describeError(error)}`,
        0,
      );
    }
    request = toRunRequest(message, modulePath, context.limits);
  } catch (error) {
    if (error instanceof RequestError) return reject(error.code, error.message);
    return reject("500", `Cannot prepare request: ${describeError(error)}`);
  }

  const claim = await context.slots.claim(requestId, peer, {
    waitMs: context.limits.slotWaitMs,
    signal: context.signal,
  });
  if ("rejected" in claim) {
    if (claim.rejected === "duplicate" || claim.rejected === "conflict") {
      logger.warn("execute dropped", { reason: claim.rejected });
      return undefined;
    }
    const reason = claim.rejected === "busy"
      ? `worker busy: ${context.slots.capacity} executions running`
      : "worker is shutting down";
    return reject("500", reason);
  }

  try {
    const run = await runWithGuard(context, request);
    if (run.error) {
      logger.warn("execution failed", { kind: run.error.kind, error: run.error.message });
    }
    const result = toExecutionResult(requestId, run);
    if (result.code !== "200" || !isInferenceRequest(request.env, message.topic)) {
      return { result };
    }
    const checked = applyOutputCheck(result);
    if (checked.verdict.kind === "invalid") {
      logger.warn("invalid inference output", {
        reason: checked.verdict.reason,
        stdout: result.result.stdout.slice(0, 1024),
      });
    }
    const payload = checked.verdict.kind === "valid"
      ? payloadOfRequest(requestId, request.env, result.result.stdout)
      : undefined;
    return { result: checked.result, payload };
  } catch (error) {
    const stopping = context.signal.aborted;
    const reason = stopping
      ? "worker is shutting down"
      : `execution failed: ${describeError(error)}`;
    // A shutdown cancelling a run is expected; anything else is a fault worth an error line.
    if (stopping) logger.warn("execution cancelled: worker is stopping");
    else logger.error("execution failed", { error });
    return { result: emptyResult(requestId, "500", reason, EXIT_NOT_RUN), note: reason };
  } finally {
    claim.lease.release();
  }
}

// Runs with the worker's stop signal plus a deadline past the executor's own limit, so a stuck
// executor cannot hold a slot forever.
async function runWithGuard(
  context: WorkerContext,
  request: ReturnType<typeof toRunRequest>,
): Promise<RunResult> {
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Error("executor did not return in time")),
    context.limits.timeoutMs + EXECUTOR_GRACE_MS,
  );
  try {
    return await context.executor.run(request, {
      signal: AbortSignal.any([context.signal, deadline.signal]),
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Converts an executor result into the wire result: "200" on exit 0, else "500". */
export function toExecutionResult(requestId: string, run: RunResult): ExecutionResult {
  let stderr = run.stderr;
  if (run.error && stderr.trim() === "") stderr = `${run.error.kind}: ${run.error.message}`;
  return {
    code: run.exitCode === 0 && run.error === undefined ? "200" : "500",
    result: { stdout: run.stdout, stderr, exit_code: run.exitCode },
    request_id: requestId,
    usage: {
      wall_clock_time: Math.round(run.usage.wallClockNs),
      memory_max_kb: Math.round(run.usage.memoryMaxKb),
    },
  };
}

/** Builds the result of a request that did not run, with the reason in stderr. */
export function emptyResult(
  requestId: string,
  code: string,
  reason: string,
  exitCode: number,
): ExecutionResult {
  return {
    code,
    result: { stdout: "", stderr: reason, exit_code: exitCode },
    request_id: requestId,
    usage: {},
  };
}
