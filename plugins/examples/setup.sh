#!/usr/bin/env bash
# Install the toolchains the example plugins build with:
#   - componentize-py 0.25.1 (PyPI) in a venv under target/example-toolchain/
#   - jco 1.35 + componentize-js 0.23 + rolldown (npm) in plugins/examples/js,
#     exactly as package-lock.json pins them;
#   - C: clang, lld, wasi-libc and the wasm32 compiler-rt from Debian
#     (apt-get, as root), unless clang already builds wasm32-wasi commands;
#   - Zig 0.14.1: the PyPI package ziglang in the same venv, unless `zig`
#     0.14.1 is on PATH.
# Idempotent: a second run checks versions and returns in a few seconds.
# Needs python3 (with venv) and node >= 18 with npm. Where apt-get or pip
# cannot install the C or Zig toolchain it says so and goes on: those
# examples are then skipped (tests/languages.rs fails instead under CI=true).
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

# --- C: clang + wasi-libc (Debian) -------------------------------------------
# shellcheck source=toolchains.sh
. "$here/toolchains.sh"
c_packages=(clang lld wasi-libc libclang-rt-14-dev-wasm32)
if c_toolchain_works; then
  echo "setup.sh: clang builds wasm32-wasi commands ($(clang --version | head -1))"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "setup.sh: apt-get install ${c_packages[*]}"
  if { apt-get install -y -qq --no-install-recommends "${c_packages[@]}" >/dev/null 2>&1 ||
       { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${c_packages[@]}"; }; } &&
     c_toolchain_works; then
    echo "setup.sh: clang builds wasm32-wasi commands ($(clang --version | head -1))"
  else
    echo "setup.sh: notice: apt-get could not install a working C toolchain (${c_packages[*]}); the C examples are skipped"
  fi
else
  echo "setup.sh: notice: no C toolchain for wasm32-wasi and no apt-get as root to install one; the C examples" \
       "are skipped (install ${c_packages[*]}, or wasi-sdk's clang, and run this again)"
fi

# --- Zig 0.14.1 (PyPI: ziglang) -----------------------------------------------
if PYTHON="$venv/bin/python" zig_command >/dev/null; then
  echo "setup.sh: zig $zig_version: $(PYTHON="$venv/bin/python" zig_command)"
elif "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ziglang==$zig_version" &&
     PYTHON="$venv/bin/python" zig_command >/dev/null; then
  echo "setup.sh: installed ziglang==$zig_version into $venv"
else
  echo "setup.sh: notice: pip could not install ziglang==$zig_version; the Zig examples are skipped"
fi

echo "setup.sh: ready (componentize-py: $venv/bin, jco: $js/node_modules/.bin)"
