#!/usr/bin/env bash
# Build {{name}}.wasm, a WASI preview 1 command. Needs Zig 0.14.1: `zig` on
# PATH, or the PyPI package (`pip install ziglang==0.14.1`, run as
# `python3 -m ziglang`).
set -euo pipefail
cd "$(dirname "$0")"
if command -v zig >/dev/null; then zig=(zig); else zig=(python3 -m ziglang); fi
"${zig[@]}" build-exe -target wasm32-wasi -O ReleaseSmall -fstrip \
  --dep dochost -Mroot=plugin.zig -Mdochost=dochost.zig \
  --cache-dir .zig-cache -femit-bin={{name}}.wasm
rm -f {{name}}.wasm.o # the object zig leaves beside the binary
