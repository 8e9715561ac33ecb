#!/usr/bin/env bash
# Build {{name}}.wasm. Needs the npm packages of package.json: `npm ci` once.
#
# `jco componentize` takes one source file, so plugin.js and the modules it
# imports are bundled with rolldown first (`log` and the `index` interface
# are the host's imports, and so are the two wasi:http modules
# dochost-http.js imports).
#
# WORLD=plugin-with-http ./build.sh builds against the world that adds
# outgoing HTTP (`import * as http from "./dochost-http.js"`; see README.md).
set -euo pipefail
cd "$(dirname "$0")"
tool() {
  if [ -x "node_modules/.bin/$1" ]; then echo "node_modules/.bin/$1"
  elif command -v "$1" >/dev/null; then command -v "$1"
  else echo "build.sh: $1 is missing: run npm ci" >&2; exit 1
  fi
}
rolldown="$(tool rolldown)"
jco="$(tool jco)"
mkdir -p dist
"$rolldown" plugin.js --file dist/plugin.js --format esm --external log \
  --external dochost:plugin/index@0.3.0 --external wasi:http/outgoing-handler@0.2.12 \
  --external wasi:http/types@0.2.12 --platform neutral >/dev/null
# `-d http` turns off componentize-js's own `fetch`: dochost-http.js calls
# wasi:http itself.
"$jco" componentize dist/plugin.js --wit wit -n "${WORLD:-plugin}" -d http -d fetch-event -o {{name}}.wasm
