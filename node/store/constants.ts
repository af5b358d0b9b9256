/**
 * Defaults and limits of the function store. The original installer (b7s fstore) has only the
 * 10 s manifest timeout; every other limit here is ours.
 *
 * @module
 */

/** Manifest URL template of a worker; `{cid}` is replaced by the function CID. */
export const DEFAULT_GATEWAY = "https://{cid}.ipfs.w3s.link/manifest.json";

/** Largest manifest accepted. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Largest archive accepted. */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
/** Largest total size of the files unpacked from one archive. */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
/** Most tar entries (files and directories) accepted in one archive. */
export const MAX_ARCHIVE_ENTRIES = 1000;
/** Time allowed for fetching a manifest, body included. */
export const MANIFEST_TIMEOUT_MS = 10_000;
/** Time allowed for downloading an archive, body included. */
export const ARCHIVE_TIMEOUT_MS = 60_000;

/** Function ids accepted as folder names: the `function_id` rule of the execute API. */
export const FUNCTION_ID_REGEXP = /^[A-Za-z0-9._-]{1,128}$/;
/** Maximum length of a method (module file name) in bytes. */
export const MAX_METHOD_BYTES = 255;

/** Folder under the workspace that contains one folder per installed function. */
export const FUNCTIONS_DIR = "functions";
/** Prefix of the temporary folders an install builds before its atomic rename. */
export const TEMP_PREFIX = ".tmp-";
/** Age after which a left-over temporary folder counts as abandoned by a crashed install. */
export const STALE_TEMP_MS = 60 * 60 * 1000;
