import assert from "node:assert/strict";
import { join } from "node:path";
import { assertRejects } from "../../testing/assert.ts";
import { withTempDir } from "../../testing/temp_dir.ts";
import { createKeystore, readKeystore, unlockKeystore } from "./keystore.ts";
import { WalletError } from "./errors.ts";

// Public cosmjs test mnemonic ("alice") and the allo address it derives.
const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const ADDRESS = "allo14qemq0vw6y3gc3u3e0aty2e764u4gs5lhzd76y";
const PASSWORD = "correct horse battery staple";
// Cheap scrypt cost so the tests stay fast. The round-trip test keeps the default.
const FAST = { scrypt: { n: 2 ** 10, r: 8, p: 1 } };

Deno.test("createKeystore() round-trips through unlockKeystore()", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    const info = await createKeystore(path, MNEMONIC, PASSWORD);
    assert.equal(info.address, ADDRESS);
    assert.equal(info.path, path);
    assert.equal(await unlockKeystore(path, PASSWORD), MNEMONIC);
    const stored = JSON.parse(await Deno.readTextFile(path));
    assert.equal(stored.kdf.n, 2 ** 17);
  });
});

Deno.test("createKeystore() normalizes the mnemonic it stores", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await createKeystore(path, `  ${MNEMONIC.toUpperCase()}\n`, PASSWORD, FAST);
    assert.equal(await unlockKeystore(path, PASSWORD), MNEMONIC);
  });
});

Deno.test("readKeystore() returns the address without a password", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    const created = await createKeystore(path, MNEMONIC, PASSWORD, FAST);
    const info = await readKeystore(path);
    assert.deepEqual(info, created);
    assert.ok(!Number.isNaN(Date.parse(info.createdAt)));
  });
});

Deno.test("createKeystore() writes mode 0600 in a new folder", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "keys", "wallet.json");
    await createKeystore(path, MNEMONIC, PASSWORD, FAST);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(dir, "keys"))).mode! & 0o777, 0o700);
    const leftovers = [...Deno.readDirSync(join(dir, "keys"))].map((entry) => entry.name);
    assert.deepEqual(leftovers, ["wallet.json"]);
  });
});

Deno.test("createKeystore() never writes the mnemonic in plain text", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await createKeystore(path, MNEMONIC, PASSWORD, FAST);
    const text = await Deno.readTextFile(path);
    // Whole words only: "cry" is part of "scrypt".
    MNEMONIC.split(" ").forEach((word, index) => {
      assert.doesNotMatch(text, new RegExp(`\\b${word}\\b`), `word ${index + 1} is in the file`);
    });
    assert.ok(!text.includes(PASSWORD));
    const stored = JSON.parse(text);
    assert.equal(stored.address, ADDRESS);
    assert.equal(stored.version, 1);
    assert.equal(stored.kdf.name, "scrypt");
    assert.equal(stored.cipher.name, "aes-256-gcm");
    assert.match(stored.kdf.salt, /^[0-9a-f]{32}$/);
    assert.match(stored.cipher.nonce, /^[0-9a-f]{24}$/);
  });
});

Deno.test("createKeystore() uses a fresh salt and nonce each time", async () => {
  await withTempDir(async (dir) => {
    const first = join(dir, "a.json");
    const second = join(dir, "b.json");
    await createKeystore(first, MNEMONIC, PASSWORD, FAST);
    await createKeystore(second, MNEMONIC, PASSWORD, FAST);
    const a = JSON.parse(await Deno.readTextFile(first));
    const b = JSON.parse(await Deno.readTextFile(second));
    assert.notEqual(a.kdf.salt, b.kdf.salt);
    assert.notEqual(a.cipher.nonce, b.cipher.nonce);
    assert.notEqual(a.ciphertext, b.ciphertext);
  });
});

Deno.test("createKeystore() rejects an existing file without force", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await Deno.writeTextFile(path, "precious");
    const error = await assertRejects(
      () => createKeystore(path, MNEMONIC, PASSWORD, FAST),
      WalletError,
    );
    assert.equal(error.code, "exists");
    assert.equal(error.path, path);
    assert.equal(await Deno.readTextFile(path), "precious");
  });
});

Deno.test("createKeystore() replaces an existing file with force", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await Deno.writeTextFile(path, "old", { mode: 0o644 });
    await createKeystore(path, MNEMONIC, PASSWORD, { ...FAST, force: true });
    assert.equal((await readKeystore(path)).address, ADDRESS);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  });
});

Deno.test("createKeystore() rejects an invalid mnemonic", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    const error = await assertRejects(
      () => createKeystore(path, "one two three", PASSWORD, FAST),
      WalletError,
    );
    assert.equal(error.code, "invalid-mnemonic");
    await assertRejects(() => Deno.stat(path), Deno.errors.NotFound);
  });
});

Deno.test("unlockKeystore() reports a wrong password", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await createKeystore(path, MNEMONIC, PASSWORD, FAST);
    const error = await assertRejects(() => unlockKeystore(path, "wrong"), WalletError);
    assert.equal(error.code, "wrong-password");
    assert.match(error.message, /password is wrong/);
    assert.ok(!error.message.includes('wrong"'));
  });
});

Deno.test("unlockKeystore() rejects an edited address", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wallet.json");
    await createKeystore(path, MNEMONIC, PASSWORD, FAST);
    const stored = JSON.parse(await Deno.readTextFile(path));
    stored.address = "allo1pkptre7fdkl6gfrzlesjjvhxhlc3r4gm49aq8r";
    await Deno.writeTextFile(path, JSON.stringify(stored));
    const error = await assertRejects(() => unlockKeystore(path, PASSWORD), WalletError);
    assert.equal(error.code, "corrupt");
    assert.match(error.message, /does not match the encrypted mnemonic/);
  });
});

Deno.test("readKeystore() reports a missing file", async () => {
  await withTempDir(async (dir) => {
    const error = await assertRejects(() => readKeystore(join(dir, "none.json")), WalletError);
    assert.equal(error.code, "not-found");
    assert.match(error.message, /file not found/);
  });
});

const CORRUPTIONS: [string, (stored: Record<string, unknown>) => unknown, RegExp][] = [
  ["not JSON", () => "{", /not JSON/],
  ["an array", () => [], /not a JSON object/],
  ["a newer version", (stored) => ({ ...stored, version: 2 }), /version 2 is not supported/],
  ["a bad address", (stored) => ({ ...stored, address: "cosmos1xyz" }), /"address"/],
  [
    "a huge scrypt cost",
    (stored) => ({ ...stored, kdf: { ...stored.kdf as object, n: 2 ** 30 } }),
    /out of range/,
  ],
  [
    "a short nonce",
    (stored) => ({ ...stored, cipher: { name: "aes-256-gcm", nonce: "00" } }),
    /"cipher.nonce"/,
  ],
  ["non-hex ciphertext", (stored) => ({ ...stored, ciphertext: "zz" }), /"ciphertext"/],
];

for (const [name, corrupt, message] of CORRUPTIONS) {
  Deno.test(`readKeystore() rejects ${name}`, async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "wallet.json");
      await createKeystore(path, MNEMONIC, PASSWORD, FAST);
      const replaced = corrupt(JSON.parse(await Deno.readTextFile(path)));
      await Deno.writeTextFile(
        path,
        typeof replaced === "string" ? replaced : JSON.stringify(replaced),
      );
      const error = await assertRejects(() => readKeystore(path), WalletError);
      assert.equal(error.code, "corrupt");
      assert.match(error.message, message);
      assert.equal(error.path, path);
    });
  });
}
