#!/usr/bin/env bash
# Builds the Allora inference function to ../build/allora-inference-function.wasm.
# Needs Node.js and npm; the AssemblyScript toolchain is installed into a throwaway folder so
# the project itself keeps no node_modules for it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  assemblyscript@0.28.20 @assemblyscript/wasi-shim@0.1.0 @blockless/sdk@1.1.3
cp "$here/index.ts" "$work/index.ts"
npx asc index.ts --config node_modules/@assemblyscript/wasi-shim/asconfig.json \
  -O3 --noAssert --runtime stub -o "$here/../build/allora-inference-function.wasm"
ls -l "$here/../build/allora-inference-function.wasm"
