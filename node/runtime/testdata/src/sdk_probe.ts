// Test guest written against @blockless/sdk 1.1.3, the SDK of the Allora inference function.
// argv[1] picks a behaviour. Built by ../build.sh into ../sdk_probe.wasm.
import { cgi, http, memory } from "@blockless/sdk/assembly";

function print(text: string): void {
  process.stdout.write(text + "\n");
}

// What the Allora inference function v0.2.0 does: env check, extension list, one framed
// request, one 65535-byte read of the response.
function infer(): void {
  const argument = memory.EnvVars.get("ALLORA_ARG_PARAMS");
  const topic = memory.EnvVars.get("TOPIC_ID");
  const height = memory.EnvVars.get("ALLORA_BLOCK_HEIGHT_CURRENT");
  const evalHeight = memory.EnvVars.get("ALLORA_BLOCK_HEIGHT_EVAL");
  if (argument == "" || topic == "" || height == "") {
    print("error: a required variable is missing");
    return;
  }
  const extensions = cgi.cgiExtendsList();
  if (extensions == null || extensions.length == 0) {
    print("error: inference extension not available");
    return;
  }
  const command = new cgi.CgiCommand("cgi-allora-infer", null, null);
  if (!command.exec()) {
    print("error: no response from the inference extension");
    return;
  }
  const request = `{"arguments":["${argument}"], "topicid":"${topic}", "blockheight":"${height}", "blockheighteval":"${evalHeight}"}`;
  command.stdinWriteString(request.length.toString() + "\r\n");
  command.stdinWriteString(request + "\r\n");
  const buffer = new Array<u8>(65535);
  const count = command.stdoutRead(buffer);
  print(String.UTF8.decodeUnsafe(buffer.dataStart, <usize>max<i32>(count, 0)));
  command.close();
}

const mode = process.argv.length > 1 ? process.argv[1] : "";
if (mode == "env") {
  print(memory.EnvVars.get(process.argv[2]));
} else if (mode == "stdin") {
  const text = new memory.Stdin().read().toString();
  // The SDK decodes its whole 1024-byte buffer; cut at the first NUL.
  const end = text.indexOf("\0");
  print(end >= 0 ? text.substring(0, end) : text);
} else if (mode == "http") {
  const options = new http.HttpOptions("GET");
  const handle = http.HttpOpen(process.argv[2], options);
  if (handle == null) {
    print("no response");
  } else {
    const body = handle.getAllBody();
    print(body == null ? "no body" : body);
    handle.close();
  }
} else if (mode == "infer") {
  infer();
} else {
  print("unknown mode " + mode);
  process.exit(2);
}
