/**
 * The guest-side imports of `blockless_http`: they read the arguments from guest memory,
 * forward the call to the main thread through the broker and write the results back.
 * Permission checks, fetch and the handle table live on the main thread (`host/http.ts`).
 *
 * @module
 */
import type { BrokerClient } from "../broker.ts";
import { BROKER_WINDOW_BYTES } from "../constants.ts";
import { HttpErrno } from "../errno.ts";
import type { GuestMemory } from "./guest_memory.ts";

/** Builds the `blockless_http` import object. */
export function httpImports(memory: GuestMemory, broker: BrokerClient): WebAssembly.ModuleImports {
  function text(pointer: number, length: number): string | number {
    const value = memory.readText(pointer, length);
    if (value === "bounds") return HttpErrno.MEMORY_ACCESS_ERROR;
    if (value === "encoding") return HttpErrno.UTF8_ERROR;
    return value;
  }

  function http_req(
    urlPtr: number,
    urlLen: number,
    optsPtr: number,
    optsLen: number,
    handlePtr: number,
    statusPtr: number,
  ): number {
    const url = text(urlPtr, urlLen);
    if (typeof url === "number") return url;
    const options = text(optsPtr, optsLen);
    if (typeof options === "number") return options;
    if (!memory.writeU32(handlePtr, 0) || !memory.writeU32(statusPtr, 0)) {
      return HttpErrno.MEMORY_ACCESS_ERROR;
    }

    const reply = broker.call({ op: "http_req", url, options });
    if (reply.errno !== HttpErrno.SUCCESS) return reply.errno;
    memory.writeU32(handlePtr, reply.values[0]);
    memory.writeU32(statusPtr, reply.values[1]);
    return HttpErrno.SUCCESS;
  }

  function http_read_header(
    handle: number,
    namePtr: number,
    nameLen: number,
    buf: number,
    bufLen: number,
    numPtr: number,
  ): number {
    const name = text(namePtr, nameLen);
    if (typeof name === "number") return name;
    const reply = broker.call({ op: "http_read_header", handle: handle >>> 0, name });
    if (reply.errno !== HttpErrno.SUCCESS) return reply.errno;
    if (reply.data.length > bufLen >>> 0) return HttpErrno.BUFFER_TOO_SMALL;
    if (!memory.write(buf, reply.data) || !memory.writeU32(numPtr, reply.data.length)) {
      return HttpErrno.MEMORY_ACCESS_ERROR;
    }
    return HttpErrno.SUCCESS;
  }

  function http_read_body(handle: number, buf: number, bufLen: number, numPtr: number): number {
    if (!memory.fits(buf, bufLen) || !memory.writeU32(numPtr, 0)) {
      return HttpErrno.MEMORY_ACCESS_ERROR;
    }
    const max = Math.min(bufLen >>> 0, BROKER_WINDOW_BYTES);
    const reply = broker.call({ op: "http_read_body", handle: handle >>> 0, max });
    if (reply.errno !== HttpErrno.SUCCESS) return reply.errno;
    memory.write(buf, reply.data);
    memory.writeU32(numPtr, reply.data.length);
    return HttpErrno.SUCCESS;
  }

  function http_close(handle: number): number {
    return broker.call({ op: "http_close", handle: handle >>> 0 }).errno;
  }

  return { http_req, http_read_header, http_read_body, http_close };
}
