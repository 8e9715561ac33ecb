#!/usr/bin/env bash
# Build {{name}}.wasm. Needs componentize-py 0.25.1:
#   pip install componentize-py==0.25.1
set -euo pipefail
cd "$(dirname "$0")"
componentize-py -d wit -w plugin componentize app -p . -o {{name}}.wasm
