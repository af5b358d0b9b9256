/**
 * File system checks shared by the CLI and the node modules.
 *
 * @module
 */

/**
 * Returns whether anything exists at `path`, without following a final symbolic link, so a
 * dangling link also counts as taken.
 *
 * @throws {Deno.errors.PermissionDenied} and other errors except NotFound
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
