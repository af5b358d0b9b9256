import assert from "node:assert/strict";
import { assertRejects } from "../testing/assert.ts";
import { silentLogger } from "../node/log.ts";
import type { Context } from "./command.ts";
import { CliError } from "./errors.ts";
import { memoryIo } from "./io.ts";
import { obtainMnemonic, obtainPassword } from "./wallet_input.ts";

const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";

function contextWith(options: Parameters<typeof memoryIo>[0]): Context {
  const io = memoryIo(options);
  return {
    io,
    global: { logLevel: "info", logFormat: "text", json: false, yes: !io.stdinIsTerminal },
    logger: silentLogger,
    signal: new AbortController().signal,
  };
}

Deno.test("obtainPassword() prefers the environment over a prompt", async () => {
  const context = contextWith({ env: { ALLORA_WALLET_PASSWORD: "from env 123" }, answers: [] });
  assert.equal(await obtainPassword(context, { confirm: true }), "from env 123");
});

Deno.test("obtainPassword() rejects an empty environment value", async () => {
  const context = contextWith({ env: { ALLORA_WALLET_PASSWORD: "" } });
  const error = await assertRejects(() => obtainPassword(context, { confirm: false }), CliError);
  assert.match(error.message, /ALLORA_WALLET_PASSWORD: it is empty/);
});

Deno.test("obtainPassword() accepts a short password when unlocking", async () => {
  const context = contextWith({ answers: ["short"] });
  assert.equal(await obtainPassword(context, { confirm: false }), "short");
});

Deno.test("obtainPassword() reports input that ends", async () => {
  const context = contextWith({ answers: [] });
  const error = await assertRejects(() => obtainPassword(context, { confirm: false }), CliError);
  assert.match(error.message, /Cannot read the password: the input ended/);
});

Deno.test("obtainMnemonic() normalizes a prompted phrase", async () => {
  const context = contextWith({ answers: [`  ${MNEMONIC.toUpperCase()}  `] });
  assert.equal(await obtainMnemonic(context), MNEMONIC);
});

Deno.test("obtainMnemonic() reads standard input off a terminal", async () => {
  const context = contextWith({ stdin: `${MNEMONIC.replaceAll(" ", "\n")}\n` });
  assert.equal(await obtainMnemonic(context), MNEMONIC);
});

Deno.test("obtainMnemonic() turns an invalid phrase into a CliError", async () => {
  const context = contextWith({ stdin: "enlist hip relief" });
  const error = await assertRejects(() => obtainMnemonic(context), CliError);
  assert.match(error.message, /has 3 words/);
  assert.match(error.hint ?? "", /BIP39 English list/);
});
