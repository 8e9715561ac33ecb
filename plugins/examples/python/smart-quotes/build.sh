#!/usr/bin/env bash
# Build the Python smart-quotes plugin: build.sh OUT.wasm
# Needs componentize-py 0.25.1 on PATH (plugins/examples/setup.sh installs it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/smart_quotes_py.wasm}"
cd "$here"
componentize-py -d ../../../../wit -w plugin componentize app -p . -p .. -o "$out"
