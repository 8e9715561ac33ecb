#!/usr/bin/env bash
# Build the C smart-quotes plugin: build.sh OUT.wasm
# Needs clang with the wasm32-wasi target, wasm-ld and wasi-libc
# (Debian: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32;
# plugins/examples/setup.sh installs them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/smart_quotes_c.wasm}"
cd "$here"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -I.. -Wl,--strip-all -o "$out" smart_quotes.c ../dochost.c
