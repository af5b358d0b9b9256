;; Declares 5000 initial pages (312.5 MiB), above the default 4096-page cap.
(module
  (memory (export "memory") 5000)
  (func (export "_start"))
)
