/**
 * `MsgInstallFunction`: install from the given manifest URL and tell the sender the outcome.
 * The original sent nothing when an install failed; this worker responds "500" with the reason.
 *
 * @module
 */
import type { MsgInstallFunction, MsgInstallFunctionResponse } from "../p2p/messages.ts";
import type { MessageSource } from "../p2p/host.ts";
import { describeError } from "../log.ts";
import type { WorkerContext } from "./context.ts";
import { FUNCTION_ID_REGEXP } from "./roll_call.ts";

/** Installs the function named by `message` and replies to the sender. */
export async function handleInstallFunction(
  context: WorkerContext,
  message: MsgInstallFunction,
  source: MessageSource,
): Promise<void> {
  const logger = context.logger.child({ peer: source.peer, cid: message.cid });
  const response = await installFunction(context, message);
  if (response.code === "202") logger.info("function installed", { url: message.manifest_url });
  else {logger.warn("cannot install function", {
      url: message.manifest_url,
      error: response.message,
    });}
  try {
    await context.reply(source.peer, response);
  } catch (error) {
    logger.warn("cannot send install response", { error });
  }
}

async function installFunction(
  context: WorkerContext,
  message: MsgInstallFunction,
): Promise<MsgInstallFunctionResponse> {
  const failure = (reason: string): MsgInstallFunctionResponse => ({
    type: "MsgInstallFunctionResponse",
    code: "500",
    message: `Cannot install function ${JSON.stringify(message.cid ?? "")}: ${reason}`,
    cid: message.cid,
  });
  if (!FUNCTION_ID_REGEXP.test(message.cid ?? "")) {
    return failure("the cid must be 1 to 128 letters, digits, '.', '_' or '-'");
  }
  try {
    await context.installer.install({
      cid: message.cid,
      manifestUrl: message.manifest_url || undefined,
    });
  } catch (error) {
    return failure(describeError(error));
  }
  return {
    type: "MsgInstallFunctionResponse",
    code: "202",
    message: "installed",
    cid: message.cid,
  };
}
