import assert from "node:assert/strict";
import { fromBech32, toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { assertRejects } from "../../testing/assert.ts";
import { deriveAccount } from "./account.ts";
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
    assert.deepEqual(fromBech32(account.address, 90).data, fromBech32(vector.documented, 90).data);
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
