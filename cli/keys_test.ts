import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli as run } from "../testing/cli.ts";
import { withTempDir } from "../testing/temp_dir.ts";

const PEER_ID_REGEXP = /^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/;

Deno.test("keys generate then show round-trips the peer ID", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "head");
    const generated = await run(["keys", "generate", "--out", out]);
    assert.equal(generated.code, 0);
    const peerId = generated.stdout.trim();
    assert.match(peerId, PEER_ID_REGEXP);
    assert.match(generated.stderr, /Wrote priv\.bin, pub\.bin and identity/);
    assert.equal((await Deno.stat(join(out, "priv.bin"))).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(out, "priv.bin"))).size, 68);
    assert.equal((await Deno.readTextFile(join(out, "identity"))).trim(), peerId);

    const shown = await run(["keys", "show", out]);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout, `${peerId}\n`);
    assert.equal(shown.stderr, "");

    const byFile = await run(["keys", "show", join(out, "priv.bin")]);
    assert.equal(byFile.stdout, `${peerId}\n`);
  });
});

Deno.test("keys generate --json prints peer_id and dir", async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "worker");
    const result = await run(["--json", "keys", "generate", "--out", out]);
    assert.equal(result.code, 0);
    const document = JSON.parse(result.stdout);
    assert.match(document.peer_id, PEER_ID_REGEXP);
    assert.equal(document.dir, out);
    assert.equal(result.stderr, "");
  });
});

Deno.test("keys show --json prints the key and paths", async () => {
  await withTempDir(async (dir) => {
    const generated = await run(["keys", "generate", "--out", dir]);
    const result = await run(["keys", "show", dir, "--json"]);
    assert.equal(result.code, 0);
    const document = JSON.parse(result.stdout);
    assert.equal(document.peer_id, generated.stdout.trim());
    assert.match(document.public_key, /^[0-9a-f]{64}$/);
    assert.equal(document.dir, dir);
    assert.equal(document.private_key_file, join(dir, "priv.bin"));
    assert.equal(document.public_key_file, join(dir, "pub.bin"));
    assert.equal(document.identity_file, join(dir, "identity"));
  });
});

Deno.test("keys generate rejects an existing priv.bin without --force", async () => {
  await withTempDir(async (dir) => {
    await run(["keys", "generate", "--out", dir]);
    const before = await Deno.readFile(join(dir, "priv.bin"));

    const rejected = await run(["keys", "generate", "--out", dir]);
    assert.equal(rejected.code, 1);
    assert.equal(rejected.stdout, "");
    assert.match(rejected.stderr, /already exists/);
    assert.match(rejected.stderr, /hint: pass --force/);
    assert.deepEqual(await Deno.readFile(join(dir, "priv.bin")), before);

    const forced = await run(["keys", "generate", "--out", dir, "--force"]);
    assert.equal(forced.code, 0);
    assert.notDeepEqual(await Deno.readFile(join(dir, "priv.bin")), before);
    assert.equal((await run(["keys", "show", dir])).stdout, forced.stdout);
  });
});

Deno.test("keys show reports a corrupt priv.bin", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "priv.bin"), new Uint8Array(40));
    const result = await run(["keys", "show", dir]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /error: Cannot load private key .*found 40 bytes/);
    assert.match(result.stderr, /hint: restore the folder/);
  });
});

Deno.test("keys show reports an identity file that disagrees", async () => {
  await withTempDir(async (dir) => {
    await run(["keys", "generate", "--out", dir]);
    await Deno.writeTextFile(
      join(dir, "identity"),
      "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq\n",
    );
    const result = await run(["keys", "show", dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /identity says 12D3KooWBtg3/);
  });
});

Deno.test("keys show reports a missing identity", async () => {
  await withTempDir(async (dir) => {
    const result = await run(["keys", "show", join(dir, "none")]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /file not found/);
    assert.match(result.stderr, /hint: .*allora keys generate --out DIR/);
  });
});

Deno.test("keys rejects invalid usage with exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [["keys", "rotate"], /Unknown subcommand 'rotate' for 'allora keys'/],
    [["keys"], /Missing subcommand for 'allora keys'/],
    [["keys", "generate"], /Missing option '--out'/],
    [["keys", "generate", "--out", "x", "--bits", "2"], /Unknown option '--bits'/],
    [["keys", "show"], /Missing PATH/],
    [["keys", "show", "a", "b"], /Unexpected argument 'b'/],
  ];
  for (const [argv, message] of cases) {
    const result = await run(argv);
    assert.equal(result.code, 2, argv.join(" "));
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
});

Deno.test("keys prints the help of a subcommand", async () => {
  const generate = await run(["keys", "generate", "--help"]);
  assert.equal(generate.code, 0);
  assert.match(generate.stdout, /^Usage: allora keys generate --out DIR/);

  const show = await run(["help", "keys", "show"]);
  assert.equal(show.code, 0);
  assert.match(show.stdout, /^Usage: allora keys show PATH/);

  const overview = await run(["keys", "--help"]);
  assert.match(overview.stdout, /^Usage: allora keys <subcommand>/);
});
