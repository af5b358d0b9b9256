/**
 * Temporary folders for tests, removed with their contents when the test body settles.
 *
 * @module
 */

/** Runs `fn` with a new temporary folder and removes the folder afterwards. */
export async function withTempDir<T>(
  fn: (dir: string) => Promise<T>,
  { prefix = "allora-test-" }: { prefix?: string } = {},
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

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
