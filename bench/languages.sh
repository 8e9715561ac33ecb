#!/usr/bin/env bash
# Side by side: size and per-document time of smart-quotes in five
# languages (Rust, Python and JavaScript components; C and Zig WASI preview
# 1 commands speaking JSON protocol 0.2.0), against the no-op Rust plugin.
#
#   bench/languages.sh [FIXTURE.md] [COPIES]
#
# Runs `dochost run PLUGIN DIR --check --jobs 1` over COPIES (default 200)
# copies of FIXTURE (default tests/fixtures/languages/prose.md), best of
# RUNS (default 3) runs, after one warm-up run that fills the compiled-plugin
# cache; without arguments, also on a larger document (all language fixtures
# ten times over). Sizes and start-up (one empty document) first. The
# dochost binary is $DOCHOST, else a release build in target/measure (built
# if missing). The ports are built by plugins/examples/setup.sh + build.sh
# into target/example-plugins (NO_EXAMPLE_BUILD=1 reuses what is there).
# Prints Markdown tables.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
examples="$root/plugins/examples"
fixture="${1:-$root/tests/fixtures/languages/prose.md}"
big=$([ $# -eq 0 ] && echo 1 || echo 0)
copies="${2:-200}"
runs="${RUNS:-3}"
work="$root/target/measure-work"
plugins="$root/target/example-plugins"

if [ -z "${DOCHOST:-}" ]; then
  DOCHOST="$root/target/measure/release/dochost"
  if [ ! -x "$DOCHOST" ]; then
    echo "languages.sh: building a release dochost in target/measure" >&2
    (cd "$root" && cargo build --release -p dochost --target-dir target/measure >&2)
  fi
fi
export DOCHOST_CACHE_DIR="$work/cache"

echo "languages.sh: building the plugins" >&2
(cd "$root" && cargo build --release --target wasm32-wasip2 --target-dir target/measure-plugins \
  -p dochost-plugin-smart-quotes -p test-plugin-noop >&2)
if [ -z "${NO_EXAMPLE_BUILD:-}" ] || [ ! -f "$plugins/smart_quotes_js.wasm" ]; then
  bash "$examples/setup.sh" >&2
  bash "$examples/build.sh" "$plugins" smart-quotes >&2
fi
wasm_dir="$root/target/measure-plugins/wasm32-wasip2/release"
names=(noop rust python js c zig)
files=("$wasm_dir/test_plugin_noop.wasm" "$wasm_dir/dochost_plugin_smart_quotes.wasm"
       "$plugins/smart_quotes_py.wasm" "$plugins/smart_quotes_js.wasm"
       "$plugins/smart_quotes_c.wasm" "$plugins/smart_quotes_zig.wasm")
for i in "${!files[@]}"; do
  [ -f "${files[$i]}" ] || { echo "languages.sh: error: ${files[$i]} is missing (${names[$i]})" >&2; exit 1; }
done

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

echo "$("$DOCHOST" --version), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start."
echo
echo "| plugin | kind | size | start-up |"
echo "| --- | --- | ---: | ---: |"
for i in "${!names[@]}"; do
  kind=$("$DOCHOST" inspect "${files[$i]}" | sed -n 's/^contract: //p') # also compiles and caches it
  t=$(best_of sh -c "printf '' | \"$DOCHOST\" run \"${files[$i]}\" -")
  printf '| %s | %s | %s | %.0f ms |\n' "${names[$i]}" "$kind" \
    "$(numfmt --to=iec-i --suffix=B --format=%.1f "$(stat -c %s "${files[$i]}")")" "$(echo "$t * 1000" | bc -l)"
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
  echo "| plugin | $copies docs | per doc | per doc over no-op | × Rust |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  declare -A total
  for i in "${!names[@]}"; do
    "$DOCHOST" run "${files[$i]}" "$docs" --check --jobs 1 -q >/dev/null 2>&1 || true # warm-up
    total[${names[$i]}]=$(best_of "$DOCHOST" run "${files[$i]}" "$docs" --check --jobs 1 -q)
  done
  for i in "${!names[@]}"; do
    local name=${names[$i]} t=${total[${names[$i]}]}
    printf '| %s | %.2f s | %.2f ms | %.2f ms | %.1f |\n' "$name" "$t" \
      "$(echo "$t / $copies * 1000" | bc -l)" "$(echo "($t - ${total[noop]}) / $copies * 1000" | bc -l)" \
      "$(echo "$t / ${total[rust]}" | bc -l)"
  done
}

measure "$fixture"
if [ "$big" = 1 ]; then
  # A larger document: every language fixture, ten times over.
  large="$work/large.md"
  for _ in $(seq 10); do cat "$root"/tests/fixtures/languages/*.md; echo; done >"$large"
  measure "$large"
fi
