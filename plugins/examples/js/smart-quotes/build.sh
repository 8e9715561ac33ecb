#!/usr/bin/env bash
# Build the JavaScript smart-quotes plugin: build.sh OUT.wasm
# Needs the npm packages of plugins/examples/js (plugins/examples/setup.sh).
#
# `jco componentize` reads one source file (its imports of other files are
# not resolved), so the plugin and ../dochost-pdk.js are bundled into one
# ES module with rolldown first; the host imports (`log` and the `index`
# interface) stay external.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/smart_quotes_js.wasm}")"
bin="$here/../node_modules/.bin"
[ -x "$bin/jco" ] || { echo "error: $bin/jco is missing: run plugins/examples/setup.sh" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$(dirname "$out")"
"$bin/rolldown" "$here/plugin.js" --file "$stage/plugin.js" --format esm --external log \
  --external dochost:plugin/index@0.3.0 --platform neutral >/dev/null
"$bin/jco" componentize "$stage/plugin.js" --wit "$here/../../../../wit" -n plugin \
  -d http -d fetch-event -o "$out"
