/**
 * The guest-side imports of `blockless_cgi`. The extension list is served here from the registry
 * JSON the worker received at start; process calls go to the main thread through the broker.
 * Both kinds of handle share one numbering, so `cgi_close` works on either.
 *
 * `cgi_stdout_read` and `cgi_stderr_read` read full: they return when `buf_len` bytes arrived
 * or the stream ended, so a guest that reads once (like the Allora inference function) still
 * gets the whole output up to its buffer size.
 *
 * @module
 */
import type { BrokerClient } from "../broker.ts";
import { BROKER_WINDOW_BYTES } from "../constants.ts";
import { CgiErrno } from "../errno.ts";
import type { GuestMemory } from "./guest_memory.ts";

type Handle =
  | { kind: "list"; data: Uint8Array; offset: number }
  | { kind: "process"; remote: number };

/** Builds the `blockless_cgi` import object. */
export function cgiImports(
  memory: GuestMemory,
  broker: BrokerClient,
  listJson: Uint8Array,
): WebAssembly.ModuleImports {
  const handles = new Map<number, Handle>();
  let nextHandle = 1;

  function open(handle: Handle, handlePtr: number): number {
    const id = nextHandle++;
    handles.set(id, handle);
    return memory.writeU32(handlePtr, id) ? CgiErrno.SUCCESS : CgiErrno.INVALID_PARAMETER;
  }

  function cgi_list_exec(handlePtr: number): number {
    if (!memory.fits(handlePtr, 4)) return CgiErrno.INVALID_PARAMETER;
    return open({ kind: "list", data: listJson, offset: 0 }, handlePtr);
  }

  function cgi_list_read(handle: number, buf: number, bufLen: number, numPtr: number): number {
    const list = handles.get(handle >>> 0);
    if (list?.kind !== "list") return CgiErrno.INVALID_HANDLE;
    const chunk = list.data.subarray(list.offset, list.offset + (bufLen >>> 0));
    if (!memory.write(buf, chunk) || !memory.writeU32(numPtr, chunk.length)) {
      return CgiErrno.INVALID_PARAMETER;
    }
    list.offset += chunk.length;
    return CgiErrno.SUCCESS;
  }

  function cgi_open(paramsPtr: number, paramsLen: number, handlePtr: number): number {
    const params = memory.readText(paramsPtr, paramsLen);
    if (params === "bounds" || params === "encoding" || !memory.fits(handlePtr, 4)) {
      return CgiErrno.INVALID_PARAMETER;
    }
    const reply = broker.call({ op: "cgi_open", params });
    if (reply.errno !== CgiErrno.SUCCESS) return reply.errno;
    return open({ kind: "process", remote: reply.values[0] }, handlePtr);
  }

  function cgi_stdin_write(handle: number, buf: number, bufLen: number, numPtr: number): number {
    const process = handles.get(handle >>> 0);
    if (process?.kind !== "process") return CgiErrno.INVALID_HANDLE;
    const data = memory.read(buf, bufLen);
    if (data === null || !memory.fits(numPtr, 4)) return CgiErrno.INVALID_PARAMETER;
    const reply = broker.call({ op: "cgi_stdin_write", handle: process.remote, data });
    if (reply.errno !== CgiErrno.SUCCESS) return reply.errno;
    memory.writeU32(numPtr, reply.values[0]);
    return CgiErrno.SUCCESS;
  }

  function readStream(stream: "stdout" | "stderr") {
    return (handle: number, buf: number, bufLen: number, numPtr: number): number => {
      const process = handles.get(handle >>> 0);
      if (process?.kind !== "process") return CgiErrno.INVALID_HANDLE;
      const size = bufLen >>> 0;
      if (!memory.fits(buf, size) || !memory.writeU32(numPtr, 0)) {
        return CgiErrno.INVALID_PARAMETER;
      }

      // Each call returns up to `max` bytes and fewer only at the end of the stream.
      let filled = 0;
      while (filled < size) {
        const max = Math.min(size - filled, BROKER_WINDOW_BYTES);
        const reply = broker.call({ op: "cgi_read", handle: process.remote, stream, max });
        if (reply.errno !== CgiErrno.SUCCESS) return reply.errno;
        memory.write((buf >>> 0) + filled, reply.data);
        filled += reply.data.length;
        if (reply.data.length < max) break;
      }
      memory.writeU32(numPtr, filled);
      return CgiErrno.SUCCESS;
    };
  }

  function cgi_close(handle: number): number {
    const entry = handles.get(handle >>> 0);
    if (entry === undefined) return CgiErrno.INVALID_HANDLE;
    handles.delete(handle >>> 0);
    if (entry.kind === "list") return CgiErrno.SUCCESS;
    return broker.call({ op: "cgi_close", handle: entry.remote }).errno;
  }

  return {
    cgi_list_exec,
    cgi_list_read,
    cgi_open,
    cgi_stdin_write,
    cgi_stdout_read: readStream("stdout"),
    cgi_stderr_read: readStream("stderr"),
    cgi_close,
  };
}
