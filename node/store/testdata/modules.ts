/**
 * Tiny WebAssembly modules for the store tests, written out as bytes.
 *
 * @module
 */

/** The smallest valid module: magic number and version 1, no sections. */
export const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A module with the right magic number but an unknown version, which validation rejects. */
export const BAD_VERSION_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]);

/** A module that imports `env.f: () -> ()`: valid, but its import is not one the runtime offers. */
export const IMPORTING_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: one type, () -> ()
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  // import section: "env" "f" func type 0
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
]);
