/**
 * The main-thread side of one execution: routes the sandbox's host calls to its HTTP and CGI
 * sessions and releases everything they hold when the execution ends.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import { describeError } from "../log.ts";
import type { HostReply, HostRequest } from "./broker.ts";
import { CgiErrno, HttpErrno } from "./errno.ts";
import type { CgiSession } from "./host/cgi.ts";
import type { HttpSession } from "./host/http.ts";

/** Host state of one execution. */
export class ExecutionHost {
  readonly #http: HttpSession;
  readonly #cgi: CgiSession;
  readonly #logger: Logger;
  readonly #abort: AbortController;

  /** `abort` is the controller whose signal the sessions' pending I/O listens to. */
  constructor(
    sessions: { http: HttpSession; cgi: CgiSession; abort: AbortController },
    logger: Logger,
  ) {
    this.#http = sessions.http;
    this.#cgi = sessions.cgi;
    this.#abort = sessions.abort;
    this.#logger = logger;
  }

  /** Serves one host call. Never rejects: a host failure becomes the module's runtime errno. */
  async handle(request: HostRequest): Promise<HostReply> {
    try {
      return await this.#dispatch(request);
    } catch (error) {
      this.#logger.error("host call failed", { op: request.op, error: describeError(error) });
      return {
        errno: request.op.startsWith("http_") ? HttpErrno.RUNTIME_ERROR : CgiErrno.RUNTIME_ERROR,
      };
    }
  }

  /** Logs a warning the sandbox sent, with the execution's request id. */
  warn(message: string, fields: Record<string, unknown>): void {
    this.#logger.warn(message, fields);
  }

  /** Aborts pending I/O, closes HTTP handles and kills extension processes. */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#http.closeAll();
    await this.#cgi.closeAll();
  }

  #dispatch(request: HostRequest): Promise<HostReply> | HostReply {
    switch (request.op) {
      case "http_req":
        return this.#http.request(request.url, request.options);
      case "http_read_header":
        return this.#http.readHeader(request.handle, request.name);
      case "http_read_body":
        return this.#http.readBody(request.handle, request.max);
      case "http_close":
        return this.#http.close(request.handle);
      case "cgi_open":
        return this.#cgi.open(request.params);
      case "cgi_stdin_write":
        return this.#cgi.write(request.handle, request.data);
      case "cgi_read":
        return this.#cgi.read(request.handle, request.stream, request.max);
      case "cgi_close":
        return this.#cgi.close(request.handle);
    }
  }
}
