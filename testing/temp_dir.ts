/**
 * Temporary folders for tests, removed when the `await using` scope ends.
 *
 * @module
 */

/** A temporary folder that removes itself. */
export interface TempDir extends AsyncDisposable {
  path: string;
}

/** Creates a temporary folder; `await using dir = await tempDir()` removes it afterwards. */
export async function tempDir(prefix = "allora-test-"): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}
