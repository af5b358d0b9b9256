/**
 * The head's REST API (b7s compatible): execute, install, result lookup, health and metrics.
 * Every error is JSON `{"message": "…"}`; stack traces never reach clients.
 *
 * @example
 * ```ts
 * const app = createApi(headNode, { logger });
 * Deno.serve({ port: 6000 }, app.fetch);
 * ```
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Logger, silentLogger } from "../log.ts";
import {
  DEFAULT_MANIFEST_URL_TEMPLATE,
  DEFAULT_MAX_NODES,
  DEFAULT_MAX_ROLL_CALL_TIMEOUT_MS,
} from "../head/constants.ts";
import { InstallPublishError, InvalidRequestError, ShutdownError } from "../head/errors.ts";
import { type InstallApiRequest, planInstall } from "../head/install.ts";
import { type ExecuteApiRequest, planExecution } from "../head/job.ts";
import type {
  ExecuteResponseBody,
  ExecutionJob,
  ExecutionLimits,
  InstallPlan,
  InstallResponseBody,
} from "../head/types.ts";
import { compileBodySchema, readJsonBody } from "./body.ts";
import { EXECUTE_SCHEMA, INSTALL_SCHEMA, RESULT_SCHEMA } from "./schemas.ts";

/** What the REST API calls; a {@link HeadNode} fits, and tests pass stubs. */
export interface ApiComponents {
  execute(job: ExecutionJob): Promise<ExecuteResponseBody>;
  install(plan: InstallPlan): Promise<InstallResponseBody>;
  result(requestId: string): ExecuteResponseBody | undefined;
  renderMetrics(): Promise<{ contentType: string; body: string }>;
}

/** Options of {@link createApi}. */
export interface ApiOptions {
  /** @default { maxNodes: 100, maxRollCallTimeoutMs: 60_000 } */
  limits?: ExecutionLimits;
  /** Manifest URL for installs by CID; `{cid}` is replaced. @default the w3s.link gateway */
  manifestUrlTemplate?: string;
  /** Largest request body. @default 1 MiB */
  maxBodyBytes?: number;
  logger?: Logger;
}

/** Default {@link ApiOptions.maxBodyBytes}. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The health body of the allora-inference-base fork, newline included as Go's echo writes it. */
export const HEALTH_BODY = '{"type":"health","code":200}\n';

const validateExecute = compileBodySchema<ExecuteApiRequest>(EXECUTE_SCHEMA);
const validateInstall = compileBodySchema<InstallApiRequest>(INSTALL_SCHEMA);
const validateResult = compileBodySchema<{ id?: string }>(RESULT_SCHEMA);

/** Creates the Hono app of the head's REST API. */
export function createApi(components: ApiComponents, options: ApiOptions = {}): Hono {
  const {
    limits = {
      maxNodes: DEFAULT_MAX_NODES,
      maxRollCallTimeoutMs: DEFAULT_MAX_ROLL_CALL_TIMEOUT_MS,
    },
    manifestUrlTemplate = DEFAULT_MANIFEST_URL_TEMPLATE,
    maxBodyBytes = MAX_BODY_BYTES,
    logger = silentLogger,
  } = options;
  const app = new Hono();

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        sendJson(c, { message: `request body too large: the limit is ${maxBodyBytes} bytes` }, 413),
    }),
  );

  app.post("/api/v1/functions/execute", async (c) => {
    const body = await readJsonBody(c, validateExecute);
    const job = planExecution(body, limits);
    return sendJson(c, await components.execute(job));
  });

  app.post("/api/v1/functions/install", async (c) => {
    const body = await readJsonBody(c, validateInstall);
    const plan = planInstall(body, manifestUrlTemplate);
    return sendJson(c, await components.install(plan));
  });

  app.post("/api/v1/functions/requests/result", async (c) => {
    const { id } = await readJsonBody(c, validateResult);
    if (!id) return sendJson(c, { message: "missing request ID" }, 400);
    const result = components.result(id);
    if (result === undefined) return sendJson(c, { message: "result not found" }, 404);
    return sendJson(c, result);
  });

  app.get("/api/v1/health", (c) => c.body(HEALTH_BODY, 200, JSON_HEADERS));

  app.get("/metrics", async (c) => {
    const { contentType, body } = await components.renderMetrics();
    return c.body(body, 200, { "content-type": contentType });
  });

  app.notFound((c) =>
    sendJson(c, { message: `not found: ${c.req.method} ${new URL(c.req.url).pathname}` }, 404)
  );

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return sendJson(c, { message: error.message }, error.status as ContentfulStatusCode);
    }
    if (error instanceof InvalidRequestError) return sendJson(c, { message: error.message }, 400);
    if (error instanceof ShutdownError) return sendJson(c, { message: error.message }, 503);
    if (error instanceof InstallPublishError) {
      logger.error("function installation failed", { topic: error.topic, error });
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
      return sendJson(c, { message: `function installation failed: ${cause}` }, 500);
    }
    logger.error("request handler failed", { path: c.req.path, error });
    return sendJson(c, { message: "internal error: see the head node log" }, 500);
  });

  return app;
}

const JSON_HEADERS = { "content-type": "application/json" };

// Go's echo ends every JSON body with a newline; doing the same keeps bodies byte-identical.
function sendJson(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(JSON.stringify(body) + "\n", status, JSON_HEADERS);
}
