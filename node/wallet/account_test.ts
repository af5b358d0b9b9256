import assert from "node:assert/strict";
import { toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { assertRejects } from "../../testing/assert.ts";
import { decodeBech32, deriveAccount, isAlloAddress } from "./account.ts";
import { generateMnemonic } from "./mnemonic.ts";
import { WalletError } from "./errors.ts";

// Public test accounts of cosmos/cosmjs: "alice" in packages/cosmwasm-stargate/src/
// testutils.spec.ts and "faucet" in packages/stargate/src/testutils.spec.ts. Each gives the
// base64 compressed public key at m/44'/118'/0'/0/0 and the address cosmjs documents under
// its own bech32 prefix. Only the prefix and the checksum differ between prefixes.
const VECTORS = [
  {
    words: 12,
    mnemonic: "enlist hip relief stomach skate base shallow young switch frequent cry park",
    publicKey: "A9cXhWb8ZpqCzkA8dQCPV29KdeRLV3rUYxrkHudLbQtS",
    documented: "wasm14qemq0vw6y3gc3u3e0aty2e764u4gs5lndxgyk",
    address: "allo14qemq0vw6y3gc3u3e0aty2e764u4gs5lhzd76y",
  },
  {
    words: 24,
    mnemonic:
      "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone",
    publicKey: "A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ",
    documented: "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6",
    address: "allo1pkptre7fdkl6gfrzlesjjvhxhlc3r4gm49aq8r",
  },
];

for (const vector of VECTORS) {
  Deno.test(`deriveAccount() matches the ${vector.words}-word cosmjs vector`, async () => {
    const account = await deriveAccount(vector.mnemonic);
    assert.equal(toBase64(account.publicKey), vector.publicKey);
    assert.equal(account.address, vector.address);
    assert.deepEqual(decodeBech32(account.address).data, decodeBech32(vector.documented).data);
    assert.equal(account.publicKey.length, 33);
    assert.equal(account.privateKey.length, 32);
  });
}

Deno.test("deriveAccount() agrees with DirectSecp256k1HdWallet", async () => {
  const mnemonic = generateMnemonic();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "allo" });
  const [expected] = await wallet.getAccounts();
  const account = await deriveAccount(mnemonic);
  assert.equal(account.address, expected.address);
  assert.deepEqual(account.publicKey, expected.pubkey);
});

Deno.test("deriveAccount() rejects an invalid mnemonic", async () => {
  const error = await assertRejects(() => deriveAccount("not a mnemonic"), WalletError);
  assert.equal(error.code, "invalid-mnemonic");
});

Deno.test("decodeBech32() decodes an address fromBech32 rejects without a limit", async () => {
  const { fromBech32 } = await import("@cosmjs/encoding");
  const address = VECTORS[0].address;
  // The reason for the helper: with @scure/base 2.4 the default limit fails every input.
  assert.throws(() => fromBech32(address), RangeError);
  const { prefix, data } = decodeBech32(address);
  assert.equal(prefix, "allo");
  assert.equal(data.length, 20);
});

Deno.test("isAlloAddress() checks prefix, checksum and length", () => {
  const address = VECTORS[0].address;
  assert.equal(isAlloAddress(address), true);
  assert.equal(isAlloAddress(VECTORS[0].documented), false);
  const badChecksum = address.slice(0, -1) + (address.endsWith("y") ? "q" : "y");
  assert.equal(isAlloAddress(badChecksum), false);
  assert.equal(isAlloAddress("allo1xyz"), false);
  assert.equal(isAlloAddress(address, [32]), false);
});

Deno.test("decodeBech32() is the only fromBech32 caller in the sources", async () => {
  const root = new URL("../../", import.meta.url);
  const callers: string[] = [];
  for (const folder of ["node", "cli", "testing", "bench", "tests"]) {
    for await (const path of walkTypeScript(new URL(`${folder}/`, root))) {
      const text = await Deno.readTextFile(path);
      if (/\bfromBech32\(/.test(text)) callers.push(path.pathname.slice(root.pathname.length));
    }
  }
  assert.deepEqual(callers.sort(), ["node/wallet/account.ts", "node/wallet/account_test.ts"]);
});

async function* walkTypeScript(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory && entry.name !== "testdata") {
      yield* walkTypeScript(new URL(`${entry.name}/`, dir));
    } else if (entry.isFile && entry.name.endsWith(".ts")) yield new URL(entry.name, dir);
  }
}
