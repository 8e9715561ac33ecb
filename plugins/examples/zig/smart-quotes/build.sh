#!/usr/bin/env bash
# Build the Zig smart-quotes plugin: build.sh OUT.wasm
# Needs Zig 0.14.1: $ZIG if set (a command, e.g. `python3 -m ziglang`), else
# `zig` on PATH, else the PyPI package ziglang==0.14.1 run as
# `python3 -m ziglang` (plugins/examples/setup.sh installs it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/smart_quotes_zig.wasm}")"
if [ -n "${ZIG:-}" ]; then read -r -a zig <<<"$ZIG"
elif command -v zig >/dev/null; then zig=(zig)
else zig=(python3 -m ziglang); fi
cd "$here"
"${zig[@]}" build-exe -target wasm32-wasi -O ReleaseSmall -fstrip \
  --dep dochost -Mroot=smart_quotes.zig -Mdochost=../dochost.zig \
  --cache-dir "${ZIG_CACHE_DIR:-/tmp/dochost-zig-cache}" -femit-bin="$out"
rm -f "$out.o" # the object zig leaves beside the binary
