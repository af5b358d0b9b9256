import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli as run } from "../testing/cli.ts";
import { withTempDir } from "../testing/temp_dir.ts";
import { deriveAccount } from "../node/wallet/mod.ts";

// Public cosmjs test mnemonic ("alice") and the allo address it derives.
const MNEMONIC = "enlist hip relief stomach skate base shallow young switch frequent cry park";
const ADDRESS = "allo14qemq0vw6y3gc3u3e0aty2e764u4gs5lhzd76y";
const PASSWORD = "correct horse battery staple";
const ENV = { ALLORA_WALLET_PASSWORD: PASSWORD };

function mnemonicIn(text: string): string | undefined {
  return /^ {2}((?:[a-z]+ ){11,23}[a-z]+)$/m.exec(text)?.[1];
}

Deno.test("wallet new prints the address and the mnemonic once", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "keys", "wallet.json");
    const result = await run(["wallet", "new", "--keystore", keystore], { env: ENV });
    assert.equal(result.code, 0);
    const address = result.stdout.trim();
    assert.match(address, /^allo1[02-9ac-hj-np-z]{38}$/);

    const mnemonic = mnemonicIn(result.stderr);
    assert.ok(mnemonic, "stderr shows the mnemonic");
    assert.equal(mnemonic.split(" ").length, 24);
    assert.equal((await deriveAccount(mnemonic)).address, address);
    assert.match(result.stderr, /Write these words down/);
    assert.ok(!result.stderr.includes(PASSWORD));
    assert.equal((await Deno.stat(keystore)).mode! & 0o777, 0o600);
  });
});

Deno.test("wallet new --json leaves the mnemonic out", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["--json", "wallet", "new", "--keystore", keystore], { env: ENV });
    assert.equal(result.code, 0);
    const document = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(document).sort(), ["address", "created_at", "keystore"]);
    assert.equal(document.keystore, keystore);
    assert.equal(mnemonicIn(result.stderr), undefined);
    assert.match(result.stderr, /allora wallet show --show-mnemonic/);
  });
});

Deno.test("wallet new uses keys/wallet.json in the current folder", async () => {
  await withTempDir(async (dir) => {
    const previous = Deno.cwd();
    Deno.chdir(dir);
    try {
      const result = await run(["--json", "wallet", "new", "--show-mnemonic"], { env: ENV });
      assert.equal(result.code, 0);
      const document = JSON.parse(result.stdout);
      assert.equal(document.keystore, "keys/wallet.json");
      assert.equal((await deriveAccount(document.mnemonic)).address, document.address);
      assert.equal((await Deno.stat(join(dir, "keys", "wallet.json"))).isFile, true);
    } finally {
      Deno.chdir(previous);
    }
  });
});

Deno.test("wallet new rejects an existing keystore", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    await Deno.writeTextFile(keystore, "{}");
    const result = await run(["wallet", "new", "--keystore", keystore], { env: ENV });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /the file already exists/);
    assert.match(result.stderr, /hint: .*--force/);
    assert.equal(await Deno.readTextFile(keystore), "{}");
  });
});

Deno.test("wallet new needs a password source off a terminal", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["wallet", "new", "--keystore", keystore]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /standard input is not a terminal/);
    assert.match(result.stderr, /hint: set ALLORA_WALLET_PASSWORD/);
  });
});

Deno.test("wallet new rejects a short password", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const env = { ALLORA_WALLET_PASSWORD: "short" };
    const result = await run(["wallet", "new", "--keystore", keystore], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /fewer than 8 characters/);
    assert.ok(!result.stderr.includes("short\n"));
  });
});

Deno.test("wallet import reads the mnemonic from stdin", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["wallet", "import", "--keystore", keystore], {
      env: ENV,
      stdin: `${MNEMONIC}\n`,
    });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${ADDRESS}\n`);
    assert.match(result.stderr, /Stored the mnemonic encrypted/);
    assert.ok(!result.stderr.includes("enlist"));
    assert.ok(!(await Deno.readTextFile(keystore)).includes("enlist"));
  });
});

Deno.test("wallet import asks on a terminal", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["wallet", "import", "--keystore", keystore], {
      answers: [MNEMONIC, PASSWORD, PASSWORD],
    });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${ADDRESS}\n`);
    assert.match(result.stderr, /Mnemonic \(12 to 24 words, input hidden\): /);
    assert.match(result.stderr, /Repeat the password: /);
    assert.ok(!result.stderr.includes(PASSWORD));
  });
});

Deno.test("wallet import rejects differing password entries", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["wallet", "import", "--keystore", keystore], {
      answers: [MNEMONIC, PASSWORD, `${PASSWORD}!`],
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the two entries differ/);
    await assert.rejects(() => Deno.stat(keystore), Deno.errors.NotFound);
  });
});

Deno.test("wallet import rejects a bad checksum without echoing words", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const swapped = MNEMONIC.replace("cry park", "park cry");
    const result = await run(["wallet", "import", "--keystore", keystore], {
      env: ENV,
      stdin: swapped,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: Cannot use the mnemonic: its checksum does not match/);
    for (const word of ["enlist", "relief", "stomach", "frequent", "park"]) {
      assert.ok(!result.stderr.includes(word), `stderr contains a word of the mnemonic`);
    }
    await assert.rejects(() => Deno.stat(keystore), Deno.errors.NotFound);
  });
});

Deno.test("wallet import names an unknown word by position", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    const result = await run(["wallet", "import", "--keystore", keystore], {
      env: ENV,
      stdin: MNEMONIC.replace("skate", "skateboard"),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /word 5 is not in the BIP39 English word list/);
    assert.ok(!result.stderr.includes("skate"));
  });
});

Deno.test("wallet import rejects empty stdin", async () => {
  const result = await run(["wallet", "import", "--keystore", "unused.json"], {
    env: ENV,
    stdin: "\n",
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Cannot read the mnemonic: the input is empty/);
});

Deno.test("wallet show prints the address and, on request, the mnemonic", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    await run(["wallet", "import", "--keystore", keystore], { env: ENV, stdin: MNEMONIC });

    const plain = await run(["wallet", "show", "--keystore", keystore]);
    assert.equal(plain.code, 0);
    assert.equal(plain.stdout, `${ADDRESS}\n`);
    assert.equal(plain.stderr, "");

    const revealed = await run(["wallet", "show", "--keystore", keystore, "--show-mnemonic"], {
      env: ENV,
    });
    assert.equal(revealed.code, 0);
    assert.equal(revealed.stdout, `${ADDRESS}\n`);
    assert.equal(mnemonicIn(revealed.stderr), MNEMONIC);

    const json = await run(
      ["--json", "wallet", "show", "--keystore", keystore, "--show-mnemonic"],
      {
        answers: [PASSWORD],
      },
    );
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout).mnemonic, MNEMONIC);
    assert.equal(JSON.parse(json.stdout).address, ADDRESS);
  });
});

Deno.test("wallet show --show-mnemonic reports a wrong password", async () => {
  await withTempDir(async (dir) => {
    const keystore = join(dir, "wallet.json");
    await run(["wallet", "import", "--keystore", keystore], { env: ENV, stdin: MNEMONIC });
    const result = await run(["wallet", "show", "--keystore", keystore, "--show-mnemonic"], {
      env: { ALLORA_WALLET_PASSWORD: "not the password" },
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /error: Cannot unlock keystore .*: the password is wrong/);
    assert.match(result.stderr, /hint: .*ALLORA_WALLET_PASSWORD/);
  });
});

Deno.test("wallet show reports a missing or corrupt keystore", async () => {
  await withTempDir(async (dir) => {
    const missing = await run(["wallet", "show", "--keystore", join(dir, "none.json")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /file not found/);
    assert.match(missing.stderr, /hint: create one with 'allora wallet new'/);

    const corrupt = join(dir, "corrupt.json");
    await Deno.writeTextFile(corrupt, "not json");
    const result = await run(["wallet", "show", "--keystore", corrupt]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the file is not JSON/);
  });
});

Deno.test("wallet rejects invalid usage with exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [["wallet", "export"], /Unknown subcommand 'export' for 'allora wallet'/],
    [["wallet"], /Missing subcommand for 'allora wallet'/],
    [["wallet", "show", "--force"], /Unknown option '--force'/],
    [["wallet", "import", "--show-mnemonic"], /Unknown option '--show-mnemonic'/],
    [["wallet", "new", "--keystore"], /Missing value for option '--keystore'/],
  ];
  for (const [argv, message] of cases) {
    const result = await run(argv, { env: ENV });
    assert.equal(result.code, 2, argv.join(" "));
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
});

Deno.test("wallet prints the help of a subcommand", async () => {
  const result = await run(["wallet", "import", "--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: allora wallet import/);
});
