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
