#!/usr/bin/env bash
# Side by side: component size and per-document latency of the Rust, Python
# and JavaScript smart-quotes plugins, against the no-op Rust plugin.
#
#   plugins/examples/measure.sh [FIXTURE.md] [COPIES]
#
# Runs `dochost run PLUGIN DIR --check --jobs 1` over COPIES (default 200)
# copies of FIXTURE (default tests/fixtures/languages/prose.md), best of
# RUNS (default 3) runs, after one warm-up run that fills the compiled-plugin
# cache; without arguments, also on a larger document (all language fixtures
# ten times over). Component sizes and startup (one empty document) first.
# The dochost binary is $DOCHOST, else a release build in
# target/measure (built if missing). NO_EXAMPLE_BUILD=1 reuses the Python
# and JS components in target/example-plugins. Prints Markdown tables.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fixture="${1:-$root/tests/fixtures/languages/prose.md}"
big=$([ $# -eq 0 ] && echo 1 || echo 0)
copies="${2:-200}"
runs="${RUNS:-3}"
work="$root/target/measure-work"
plugins="$root/target/example-plugins"

if [ -z "${DOCHOST:-}" ]; then
  DOCHOST="$root/target/measure/release/dochost"
  if [ ! -x "$DOCHOST" ]; then
    echo "measure.sh: building a release dochost in target/measure" >&2
    (cd "$root" && cargo build --release -p dochost --target-dir target/measure >&2)
  fi
fi
export DOCHOST_CACHE_DIR="$work/cache"

# The components: Rust smart-quotes and no-op from source, Python and JS by
# the example scripts.
echo "measure.sh: building the plugins" >&2
(cd "$root" && cargo build --release --target wasm32-wasip2 --target-dir target/measure-plugins \
  -p dochost-plugin-smart-quotes -p test-plugin-noop >&2)
if [ -z "${NO_EXAMPLE_BUILD:-}" ] || [ ! -f "$plugins/smart_quotes_js.wasm" ]; then
  bash "$here/setup.sh" >&2
  bash "$here/build.sh" "$plugins" >&2
fi
wasm_dir="$root/target/measure-plugins/wasm32-wasip2/release"
names=(noop rust python js)
files=("$wasm_dir/test_plugin_noop.wasm" "$wasm_dir/dochost_plugin_smart_quotes.wasm"
       "$plugins/smart_quotes_py.wasm" "$plugins/smart_quotes_js.wasm")

now() { date +%s.%N; }
best_of() { # COMMAND... -> seconds, best of $runs
  local best="" start end t
  for _ in $(seq "$runs"); do
    start=$(now)
    "$@" >/dev/null 2>&1 || true
    end=$(now)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

echo "Sizes (bytes): noop $(stat -c %s "${files[0]}"), rust $(stat -c %s "${files[1]}"), python $(stat -c %s "${files[2]}"), js $(stat -c %s "${files[3]}")."
echo "Startup: one empty document from stdin, compiled plugin cached, best of $runs."
echo
echo "| plugin | component size | startup |"
echo "| --- | ---: | ---: |"
for i in "${!names[@]}"; do
  "$DOCHOST" inspect "${files[$i]}" >/dev/null 2>&1 # compile and cache
  t=$(best_of sh -c "printf '' | \"$DOCHOST\" run \"${files[$i]}\" -")
  printf '| %s | %s | %.0f ms |\n' "${names[$i]}" "$(numfmt --to=iec-i --suffix=B --format=%.1f "$(stat -c %s "${files[$i]}")")" "$(echo "$t * 1000" | bc -l)"
done

measure() { # FIXTURE
  local fixture=$1 docs="$work/docs" nodes
  rm -rf "$docs"
  mkdir -p "$docs"
  for i in $(seq -w 1 "$copies"); do cp "$fixture" "$docs/doc$i.md"; done
  nodes=$("$DOCHOST" ast "$fixture" --json | grep -c '"kind"' || true)
  echo
  echo "$copies copies of $(basename "$fixture") ($(wc -c <"$fixture") bytes, $nodes nodes); \`dochost run PLUGIN DIR --check --jobs 1\`, best of $runs:"
  echo
  echo "| plugin | $copies docs | per doc | per doc over no-op | × no-op | × Rust |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  declare -A total
  for i in "${!names[@]}"; do
    "$DOCHOST" run "${files[$i]}" "$docs" --check --jobs 1 -q >/dev/null 2>&1 || true # warm-up
    total[${names[$i]}]=$(best_of "$DOCHOST" run "${files[$i]}" "$docs" --check --jobs 1 -q)
  done
  for i in "${!names[@]}"; do
    local name=${names[$i]} t=${total[${names[$i]}]}
    printf '| %s | %.2f s | %.2f ms | %.2f ms | %.1f | %.1f |\n' "$name" "$t" \
      "$(echo "$t / $copies * 1000" | bc -l)" "$(echo "($t - ${total[noop]}) / $copies * 1000" | bc -l)" \
      "$(echo "$t / ${total[noop]}" | bc -l)" "$(echo "$t / ${total[rust]}" | bc -l)"
  done
}

echo
echo "$("$DOCHOST" --version), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start."
measure "$fixture"
if [ "$big" = 1 ]; then
  # A larger document: every language fixture, ten times over.
  large="$work/large.md"
  for _ in $(seq 10); do cat "$root"/tests/fixtures/languages/*.md; echo; done >"$large"
  measure "$large"
fi
