#!/usr/bin/env bash
# Rebuilds the committed test modules from src/. Tests use the committed .wasm files, so this
# runs only when a source changes. Needs (Debian): clang lld wasi-libc libclang-rt-dev-wasm32
# wabt, and npm for the AssemblyScript toolchain, installed into a throwaway folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

# WAT: tiny modules for traps, unknown imports, stubbed modules and oversized memory.
for source in src/*.wat; do
  wat2wasm "$source" -o "$(basename "${source%.wat}").wasm"
done

# C: probe.wasm, the multi-mode guest (WASI plus every Blockless host module).
clang --target=wasm32-wasi --sysroot=/usr -Os -Wall -Wl,--strip-all -o probe.wasm src/probe.c

# AssemblyScript: sdk_probe.wasm, built against the SDK the Allora inference function uses.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --silent \
    assemblyscript@0.28.20 @assemblyscript/wasi-shim@0.1.0 @blockless/sdk@1.1.3
  cp "$here/src/sdk_probe.ts" .
  npx asc sdk_probe.ts --config node_modules/@assemblyscript/wasi-shim/asconfig.json \
    -O3 --noAssert -o "$here/sdk_probe.wasm"
)
ls -l "$here"/*.wasm
