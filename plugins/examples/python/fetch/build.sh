#!/usr/bin/env bash
# Build the Python fetch plugin: build.sh OUT.wasm
# Needs componentize-py 0.25.1 on PATH (plugins/examples/setup.sh installs it).
# It makes HTTP requests, so it is built against the world `plugin-with-http`
# (wit/plugin-with-http.wit, with the WASI packages in wit/deps/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/fetch_py.wasm}")"
cd "$here"
componentize-py -d ../../../../wit -w plugin-with-http componentize app -p . -p .. -o "$out"
