#!/usr/bin/env bash
# Build the JavaScript fetch plugin: build.sh OUT.wasm
# Needs the npm packages of plugins/examples/js (plugins/examples/setup.sh).
#
# It makes HTTP requests with ../dochost-http.js, which imports wasi:http, so
# it is built against the world `plugin-with-http` (wit/plugin-with-http.wit,
# with the WASI packages in wit/deps/), and the bundle keeps the two wasi:http
# modules external along with the host imports. `-d http` still turns off
# componentize-js's own `fetch` (the kit calls wasi:http itself).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/fetch_js.wasm}")"
bin="$here/../node_modules/.bin"
[ -x "$bin/jco" ] || { echo "error: $bin/jco is missing: run plugins/examples/setup.sh" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$(dirname "$out")"
"$bin/rolldown" "$here/plugin.js" --file "$stage/plugin.js" --format esm --external log \
  --external dochost:plugin/index@0.3.0 --external wasi:http/outgoing-handler@0.2.12 \
  --external wasi:http/types@0.2.12 --platform neutral >/dev/null
"$bin/jco" componentize "$stage/plugin.js" --wit "$here/../../../../wit" -n plugin-with-http \
  -d http -d fetch-event -o "$out"
