import assert from "node:assert/strict";
import { join } from "node:path";
import { assertRejects } from "../../testing/assert.ts";
import {
  decodePrivateKey,
  generateIdentity,
  IdentityError,
  loadIdentity,
  loadOrCreateIdentity,
  writeIdentity,
} from "./identity.ts";
import { privateKeyToProtobuf } from "@libp2p/crypto/keys";

// Ed25519 test vector from the libp2p peer-id specification (libp2p/specs, peer-ids/peer-ids.md).
const SPEC_PRIVATE_KEY =
  "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
const SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

Deno.test("decodePrivateKey() loads the spec vector byte-identically", async () => {
  const bytes = fromHex(SPEC_PRIVATE_KEY);
  const identity = await decodePrivateKey(bytes, "vector");
  assert.equal(identity.peerId.toString(), SPEC_PEER_ID);
  assert.deepEqual(privateKeyToProtobuf(identity.privateKey), bytes);
});

Deno.test("decodePrivateKey() rejects a key whose public half does not match", async () => {
  const bytes = fromHex(SPEC_PRIVATE_KEY);
  bytes[67] ^= 1;
  await assertRejects(() => decodePrivateKey(bytes, "bad"), IdentityError);
});

Deno.test("decodePrivateKey() rejects a truncated key", async () => {
  const error = await assertRejects(
    () => decodePrivateKey(fromHex(SPEC_PRIVATE_KEY).subarray(0, 40), "short"),
    IdentityError,
  );
  assert.match(error.message, /found 40 bytes/);
});

Deno.test("writeIdentity() round-trips through loadIdentity()", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const identity = await generateIdentity();
    await writeIdentity(folder, identity);
    const loaded = await loadIdentity(folder);
    assert.equal(loaded.peerId.toString(), identity.peerId.toString());
    assert.equal((await Deno.stat(join(folder, "priv.bin"))).mode! & 0o777, 0o600);
    assert.equal(
      (await Deno.readTextFile(join(folder, "identity"))).trim(),
      identity.peerId.toString(),
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("loadIdentity() rejects an identity file that disagrees", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await writeIdentity(folder, await generateIdentity());
    await Deno.writeTextFile(join(folder, "identity"), SPEC_PEER_ID);
    const error = await assertRejects(() => loadIdentity(folder), IdentityError);
    assert.match(error.message, /identity says 12D3KooWBtg3/);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("loadOrCreateIdentity() keeps the peer ID across calls", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const first = await loadOrCreateIdentity(join(folder, "key"));
    const second = await loadOrCreateIdentity(join(folder, "key"));
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.peerId.toString(), first.peerId.toString());
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
