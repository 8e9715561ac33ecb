# Sourced by setup.sh and build.sh: how to tell whether the C and Zig
# toolchains the examples build with are there.
#   c_toolchain_works   clang builds a wasm32-wasi command (clang, wasm-ld,
#                       wasi-libc and the wasm32 compiler-rt builtins)
#   zig_command         prints the Zig 0.14.1 command (`zig`, else the
#                       PyPI package run by PYTHON), or fails
zig_version="0.14.1"

c_toolchain_works() {
  command -v clang >/dev/null || return 1
  local probe
  probe="$(mktemp -d)"
  printf '#include <stdio.h>\nint main(void) { return puts("ok") < 0; }\n' >"$probe/probe.c"
  clang --target=wasm32-wasi -O2 -o "$probe/probe.wasm" "$probe/probe.c" >/dev/null 2>&1
  local status=$?
  rm -rf "$probe"
  return $status
}

zig_command() {
  if command -v zig >/dev/null && [ "$(zig version 2>/dev/null)" = "$zig_version" ]; then
    echo zig
  elif [ -n "${PYTHON:-}" ] && [ "$("$PYTHON" -m ziglang version 2>/dev/null)" = "$zig_version" ]; then
    echo "$PYTHON -m ziglang"
  else
    return 1
  fi
}
