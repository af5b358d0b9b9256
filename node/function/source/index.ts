// The Allora inference node function: reads the request's Allora variables, runs the model
// through the `cgi-allora-infer` host extension, and prints the model's answer on stdout.
//
// Host imports are declared here instead of going through @blockless/sdk's helpers because
// those read the environment into a fixed 1024-byte buffer and read the extension's output
// only once into 65535 bytes; this function reads both in full.
import { json } from "@blockless/sdk/assembly";

@external("blockless_memory", "env_var_read")
declare function env_var_read(buf: usize, len: u32, num: usize): u32;
@external("blockless_cgi", "cgi_list_exec")
declare function cgi_list_exec(handle: usize): u32;
@external("blockless_cgi", "cgi_list_read")
declare function cgi_list_read(handle: u32, buf: usize, len: u32, num: usize): u32;
@external("blockless_cgi", "cgi_open")
declare function cgi_open(params: usize, len: u32, handle: usize): u32;
@external("blockless_cgi", "cgi_stdin_write")
declare function cgi_stdin_write(handle: u32, buf: usize, len: u32, num: usize): u32;
@external("blockless_cgi", "cgi_stdout_read")
declare function cgi_stdout_read(handle: u32, buf: usize, len: u32, num: usize): u32;
@external("blockless_cgi", "cgi_stderr_read")
declare function cgi_stderr_read(handle: u32, buf: usize, len: u32, num: usize): u32;
@external("blockless_cgi", "cgi_close")
declare function cgi_close(handle: u32): u32;

const EXTENSION = "cgi-allora-infer";
const ENV_BUFFER_BYTES: u32 = 64 * 1024;
const READ_CHUNK_BYTES: u32 = 64 * 1024;

const handleSlot = memory.data(8);
const countSlot = memory.data(8);

function fail(message: string): void {
  process.stdout.write(`{"error":${quote(message)},"source":"allora-inference-function"}\n`);
  process.exit(1);
}

// JSON string literal with the escapes JSON requires.
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code == 0x22) out += '\\"';
    else if (code == 0x5c) out += "\\\\";
    else if (code == 0x0a) out += "\\n";
    else if (code == 0x0d) out += "\\r";
    else if (code == 0x09) out += "\\t";
    else if (code < 0x20) out += "\\u00" + (code < 0x10 ? "0" : "") + code.toString(16);
    else out += String.fromCharCode(code);
  }
  return out + '"';
}

function readEnvironment(): json.JSON.Obj | null {
  const buffer = new ArrayBuffer(ENV_BUFFER_BYTES);
  if (env_var_read(changetype<usize>(buffer), ENV_BUFFER_BYTES, countSlot) != 0) return null;
  const text = String.UTF8.decodeUnsafe(changetype<usize>(buffer), load<u32>(countSlot));
  if (text.length == 0) return null;
  const value = json.JSON.parse(text);
  return value.isObj ? <json.JSON.Obj>value : null;
}

function variable(env: json.JSON.Obj, name: string): string | null {
  const value = env.getString(name);
  return value == null ? null : value.valueOf();
}

// Reads a handle's stream until the host reports the end, whatever the total size.
function readAll(handle: u32, stderr: bool): string {
  const chunk = new ArrayBuffer(READ_CHUNK_BYTES);
  let text = "";
  while (true) {
    const rc = stderr
      ? cgi_stderr_read(handle, changetype<usize>(chunk), READ_CHUNK_BYTES, countSlot)
      : cgi_stdout_read(handle, changetype<usize>(chunk), READ_CHUNK_BYTES, countSlot);
    const count = load<u32>(countSlot);
    if (rc != 0 || count == 0) break;
    text += String.UTF8.decodeUnsafe(changetype<usize>(chunk), count);
  }
  return text;
}

function extensionListed(): bool {
  if (cgi_list_exec(handleSlot) != 0) return false;
  const handle = load<u32>(handleSlot);
  const list = readListing(handle);
  cgi_close(handle);
  return list.includes(`"alias":"${EXTENSION}"`) || list.includes(`"fileName":"${EXTENSION}"`);
}

function readListing(handle: u32): string {
  const chunk = new ArrayBuffer(4096);
  let text = "";
  while (cgi_list_read(handle, changetype<usize>(chunk), 4096, countSlot) == 0) {
    const count = load<u32>(countSlot);
    if (count == 0) break;
    text += String.UTF8.decodeUnsafe(changetype<usize>(chunk), count);
  }
  return text;
}

function writeAll(handle: u32, text: string): bool {
  const bytes = String.UTF8.encode(text);
  return cgi_stdin_write(handle, changetype<usize>(bytes), bytes.byteLength, countSlot) == 0;
}

function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code != 0x0a && code != 0x0d && code != 0x20 && code != 0x09) break;
    end--;
  }
  return text.substring(0, end);
}

function main(): void {
  const env = readEnvironment();
  if (env == null) return fail("cannot read the request environment");
  const argument = variable(env, "ALLORA_ARG_PARAMS");
  const topic = variable(env, "TOPIC_ID");
  const height = variable(env, "ALLORA_BLOCK_HEIGHT_CURRENT");
  const evalHeight = variable(env, "ALLORA_BLOCK_HEIGHT_EVAL");
  if (argument === null) return fail("missing variable ALLORA_ARG_PARAMS");
  if (topic === null) return fail("missing variable TOPIC_ID");
  if (height === null) return fail("missing variable ALLORA_BLOCK_HEIGHT_CURRENT");
  if (!extensionListed()) return fail(`extension ${EXTENSION} is not available on this worker`);

  const params = `{"command":"${EXTENSION}"}`;
  const paramBytes = String.UTF8.encode(params);
  if (cgi_open(changetype<usize>(paramBytes), paramBytes.byteLength, handleSlot) != 0) {
    return fail(`cannot start extension ${EXTENSION}`);
  }
  const handle = load<u32>(handleSlot);

  const request = `{"arguments":[${quote(argument)}],"topicid":${quote(topic)},` +
    `"blockheight":${quote(height)},"blockheighteval":${quote(evalHeight === null ? "" : evalHeight)}}`;
  const framed = `${String.UTF8.byteLength(request)}\r\n${request}\r\n`;
  if (!writeAll(handle, framed)) {
    cgi_close(handle);
    return fail(`cannot send the request to extension ${EXTENSION}`);
  }

  const output = trimEnd(readAll(handle, false));
  const errors = readAll(handle, true);
  cgi_close(handle);
  if (errors.length > 0) process.stderr.write(errors);
  if (output.length == 0) return fail("the model printed nothing");
  process.stdout.write(output + "\n");

  // An {"error": …} object from the model or the extension is a failed inference.
  if (startsWithErrorKey(output)) process.exit(1);
}

// Checks whether `text` opens a JSON object whose first key is "error". The SDK's JSON parser
// aborts the module on text that is not JSON, so this reads only the opening. The worker's
// output check finds an "error" key in any other place.
function startsWithErrorKey(text: string): bool {
  let index = skipSpace(text, 0);
  if (index >= text.length || text.charCodeAt(index) != 0x7b) return false;
  index = skipSpace(text, index + 1);
  if (text.substr(index, 7) != '"error"') return false;
  index = skipSpace(text, index + 7);
  return index < text.length && text.charCodeAt(index) == 0x3a;
}

function skipSpace(text: string, from: i32): i32 {
  let index = from;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code != 0x20 && code != 0x0a && code != 0x0d && code != 0x09) break;
    index++;
  }
  return index;
}

// With the WASI shim's `exportStart`, top-level code becomes `_start`.
main();
