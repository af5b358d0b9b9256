/**
 * Cost of the wallet keystore: scrypt at the default parameters dominates both creating and
 * unlocking. Run with `deno bench -A bench/keystore_bench.ts`; figures are in bench/README.md.
 *
 * @module
 */
import { join } from "node:path";
import {
  createKeystore,
  deriveAccount,
  generateMnemonic,
  unlockKeystore,
} from "../node/wallet/mod.ts";

const PASSWORD = "benchmark password";
const dir = await Deno.makeTempDir({ prefix: "allora-bench-" });
const mnemonic = generateMnemonic();
const path = join(dir, "wallet.json");
await createKeystore(path, mnemonic, PASSWORD);

Deno.bench("deriveAccount() 24 words", async () => {
  await deriveAccount(mnemonic);
});

Deno.bench("createKeystore() default scrypt", { n: 10, warmup: 1 }, async () => {
  await createKeystore(join(dir, "new.json"), mnemonic, PASSWORD, { force: true });
});

Deno.bench("unlockKeystore() default scrypt", { n: 10, warmup: 1 }, async () => {
  await unlockKeystore(path, PASSWORD);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
