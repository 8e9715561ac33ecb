#!/usr/bin/env bash
# Install the toolchains the Python and JavaScript example plugins build with:
#   - componentize-py 0.25.1 (PyPI) in a venv under target/example-toolchain/
#   - jco 1.35 + componentize-js 0.23 + rolldown (npm) in plugins/examples/js,
#     exactly as package-lock.json pins them.
# Idempotent: a second run checks versions and returns in a second.
# Needs python3 (with venv) and node >= 18 with npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
toolchain="${DOCHOST_EXAMPLES_TOOLCHAIN:-$root/target/example-toolchain}"
venv="$toolchain/venv"
componentize_py_version="0.25.1"

fail() { echo "setup.sh: error: $*" >&2; exit 1; }

# --- Python: componentize-py ------------------------------------------------
command -v python3 >/dev/null || fail "python3 is not installed (needed for componentize-py)"
if [ -x "$venv/bin/componentize-py" ] &&
   [ "$("$venv/bin/componentize-py" --version 2>/dev/null)" = "componentize-py $componentize_py_version" ]; then
  echo "setup.sh: componentize-py $componentize_py_version already in $venv"
else
  echo "setup.sh: installing componentize-py $componentize_py_version into $venv"
  mkdir -p "$toolchain"
  python3 -m venv "$venv" ||
    fail "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "componentize-py==$componentize_py_version" ||
    fail "pip could not install componentize-py==$componentize_py_version from PyPI"
  [ "$("$venv/bin/componentize-py" --version)" = "componentize-py $componentize_py_version" ] ||
    fail "componentize-py in $venv is not version $componentize_py_version"
fi

# --- JavaScript: jco, componentize-js, rolldown -------------------------------
command -v node >/dev/null || fail "node is not installed (needed for jco)"
command -v npm >/dev/null || fail "npm is not installed (needed for jco)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || fail "node $(node --version) is too old: jco needs node 18 or newer"
js="$here/js"
stamp="$js/node_modules/.dochost-lock-sha"
want="$(sha256sum "$js/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$js/node_modules/.bin/jco" ]; then
  echo "setup.sh: npm packages already installed in $js/node_modules"
else
  echo "setup.sh: npm ci in $js"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error) ||
    fail "npm ci failed in $js (the npm registry must be reachable)"
  echo "$want" > "$stamp"
fi

echo "setup.sh: ready (componentize-py: $venv/bin, jco: $js/node_modules/.bin)"
