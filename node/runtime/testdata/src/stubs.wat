;; Imports stubbed Blockless modules; `_start` never calls them, `call_ipfs` prints the errno.
(module
  (import "blockless_ipfs" "ipfs_command" (func $ipfs (param i32 i32 i32 i32 i32) (result i32)))
  (import "blockless_s3" "bucket_command" (func $s3 (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start"))
  (func (export "call_ipfs")
    (call $exit (call $ipfs (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
)
