#!/usr/bin/env bash
# Build {{name}}.wasm. Needs componentize-py 0.25.1:
#   pip install componentize-py==0.25.1
#
# WORLD=plugin-with-http ./build.sh builds against the world that adds
# outgoing HTTP (`from dochost_pdk import http`; see README.md).
set -euo pipefail
cd "$(dirname "$0")"
componentize-py -d wit -w "${WORLD:-plugin}" componentize app -p . -o {{name}}.wasm
