#!/usr/bin/env bash
# Build the example plugins into OUTDIR:
#   OUTDIR/smart_quotes_py.wasm   (Python, componentize-py)
#   OUTDIR/smart_quotes_js.wasm   (JavaScript, jco componentize)
# Run setup.sh first (it installs the toolchains).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
toolchain="${DOCHOST_EXAMPLES_TOOLCHAIN:-$root/target/example-toolchain}"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
[ -x "$toolchain/venv/bin/componentize-py" ] ||
  { echo "build.sh: error: componentize-py is missing: run $here/setup.sh" >&2; exit 1; }
export PATH="$toolchain/venv/bin:$PATH"

echo "build.sh: python -> $out/smart_quotes_py.wasm"
"$here/python/smart-quotes/build.sh" "$out/smart_quotes_py.wasm"
echo "build.sh: js -> $out/smart_quotes_js.wasm"
"$here/js/smart-quotes/build.sh" "$out/smart_quotes_js.wasm"
