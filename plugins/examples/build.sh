#!/usr/bin/env bash
# Build the example plugins into OUTDIR:
#   build.sh OUTDIR [EXAMPLE...]     (EXAMPLE: smart-quotes, fetch; default: all)
#
#   OUTDIR/smart_quotes_py.wasm   smart-quotes in Python (componentize-py)
#   OUTDIR/smart_quotes_js.wasm   smart-quotes in JavaScript (jco componentize)
#   OUTDIR/smart_quotes_c.wasm    smart-quotes in C (clang, JSON protocol)
#   OUTDIR/smart_quotes_zig.wasm  smart-quotes in Zig (zig, JSON protocol)
#   OUTDIR/fetch_py.wasm          fetch (HTTP through the kit) in Python
#   OUTDIR/fetch_js.wasm          fetch (HTTP through the kit) in JavaScript
#
# smart-quotes builds against the world `plugin`; fetch makes HTTP requests
# and builds against `plugin-with-http` (see each example's build.sh).
# Run setup.sh first (it installs the toolchains). The C and Zig plugins are
# skipped, with a notice, when their toolchain is missing.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [smart-quotes|fetch]..." >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
toolchain="${DOCHOST_EXAMPLES_TOOLCHAIN:-$root/target/example-toolchain}"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
shift
examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=(smart-quotes fetch)
[ -x "$toolchain/venv/bin/componentize-py" ] ||
  { echo "build.sh: error: componentize-py is missing: run $here/setup.sh" >&2; exit 1; }
export PATH="$toolchain/venv/bin:$PATH"
# shellcheck source=toolchains.sh
. "$here/toolchains.sh"

for example in "${examples[@]}"; do
  case "$example" in
    smart-quotes | fetch) ;;
    *) echo "build.sh: error: unknown example \`$example\` (smart-quotes, fetch)" >&2; exit 2 ;;
  esac
  file="${example//-/_}"
  echo "build.sh: python -> $out/${file}_py.wasm"
  "$here/python/$example/build.sh" "$out/${file}_py.wasm"
  echo "build.sh: js -> $out/${file}_js.wasm"
  "$here/js/$example/build.sh" "$out/${file}_js.wasm"
  [ -d "$here/c/$example" ] || continue # fetch needs HTTP: components only
  rm -f "$out/${file}_c.wasm" "$out/${file}_zig.wasm"
  if c_toolchain_works; then
    echo "build.sh: c -> $out/${file}_c.wasm"
    "$here/c/$example/build.sh" "$out/${file}_c.wasm"
  else
    echo "build.sh: notice: no C toolchain for wasm32-wasi (run setup.sh); skipping $example in C"
  fi
  if PYTHON=python3 zig_command >/dev/null; then
    echo "build.sh: zig -> $out/${file}_zig.wasm"
    ZIG="$(PYTHON=python3 zig_command)" ZIG_CACHE_DIR="$root/target/zig-cache" \
      "$here/zig/$example/build.sh" "$out/${file}_zig.wasm"
  else
    echo "build.sh: notice: no zig $zig_version (run setup.sh); skipping $example in Zig"
  fi
done
