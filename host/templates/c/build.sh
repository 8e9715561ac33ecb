#!/usr/bin/env bash
# Build {{name}}.wasm, a WASI preview 1 command. Needs clang with the
# wasm32-wasi target, wasm-ld and wasi-libc; on Debian 12:
#   apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")"
"${CC:-clang}" --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-all -o {{name}}.wasm plugin.c dochost.c
