import assert from "node:assert/strict";
import { assertThrows } from "../../testing/assert.ts";
import { InstallError } from "./errors.ts";
import { archiveFileName, archiveRef, parseManifest, resolveArchiveUrls } from "./manifest.ts";

const hrefs = (location: string, manifestUrl: string) =>
  resolveArchiveUrls(location, manifestUrl, "c1").map((url) => url.href);

Deno.test("resolveArchiveUrls() roots a relative URL at the manifest host", () => {
  assert.deepEqual(hrefs("x.tar.gz", "https://bafy.ipfs.w3s.link/manifest.json"), [
    "https://bafy.ipfs.w3s.link/x.tar.gz",
  ]);
  // The original ignores the manifest's folder; ours tries it second.
  assert.deepEqual(hrefs("x.tar.gz?v=1", "http://127.0.0.1:8080/ipfs/bafy/manifest.json"), [
    "http://127.0.0.1:8080/x.tar.gz?v=1",
    "http://127.0.0.1:8080/ipfs/bafy/x.tar.gz?v=1",
  ]);
  assert.deepEqual(hrefs("/dist/x.tar.gz", "https://h.example/a/manifest.json"), [
    "https://h.example/dist/x.tar.gz",
  ]);
});

Deno.test("resolveArchiveUrls() keeps absolute and scheme-relative URLs", () => {
  assert.deepEqual(hrefs("https://cdn.example/x.tar.gz", "http://h.example/manifest.json"), [
    "https://cdn.example/x.tar.gz",
  ]);
  assert.deepEqual(hrefs("//cdn.example/x.tar.gz", "http://h.example/manifest.json"), [
    "http://cdn.example/x.tar.gz",
  ]);
});

Deno.test("resolveArchiveUrls() rejects schemes other than http(s)", () => {
  for (const location of ["file:///etc/passwd", "data:,x", "ftp://h/x.tar.gz"]) {
    const error = assertThrows(() => hrefs(location, "http://h.example/m.json"), InstallError);
    assert.equal(error.code, "manifest");
  }
});

Deno.test("archiveRef() prefers runtime.url over deployment.uri", () => {
  const checksum = "AB".repeat(32);
  const both = {
    runtime: { url: "a.tar.gz", checksum },
    deployment: { uri: "https://h/b.tar.gz", checksum: "0".repeat(64) },
  };
  assert.deepEqual(archiveRef(both, "c1", "m"), {
    location: "a.tar.gz",
    checksum: "ab".repeat(32),
  });
  const deployment = { runtime: { url: "" }, deployment: { uri: "https://h/b.tar.gz", checksum } };
  assert.equal(archiveRef(deployment, "c1", "m").location, "https://h/b.tar.gz");
  assert.equal(assertThrows(() => archiveRef({}, "c1", "m"), InstallError).code, "manifest");
  const short = { runtime: { url: "a.tar.gz", checksum: "abc" } };
  assert.equal(assertThrows(() => archiveRef(short, "c1", "m"), InstallError).code, "manifest");
});

Deno.test("parseManifest() rejects non-objects and wrong field types", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  for (const text of ["[]", "null", "42", '{"runtime":"x"}', '{"function":[]}', "{", "\xff"]) {
    const error = assertThrows(() => parseManifest(bytes(text), "c1", "m"), InstallError);
    assert.equal(error.code, "manifest", text);
  }
  assert.deepEqual(parseManifest(bytes('{"extra":1}'), "c1", "m"), { extra: 1 });
});

Deno.test("archiveFileName() takes the last URL segment", () => {
  assert.equal(archiveFileName("https://h/a/x.tar.gz?sig=1#f"), "x.tar.gz");
  assert.equal(archiveFileName("my%20fn.tar.gz"), "my fn.tar.gz");
  assert.equal(archiveFileName("https://h/dir/"), "archive.tar.gz");
  assert.equal(archiveFileName("https://h/a/%2e%2e"), "archive.tar.gz");
  assert.equal(archiveFileName("https://h/a%2fb"), "archive.tar.gz");
  assert.equal(archiveFileName("manifest.json"), "archive.tar.gz");
});
