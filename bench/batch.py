#!/usr/bin/env python3
"""Batch throughput of dochost over a Markdown tree, against the floor and
against pandoc and mdformat, in one run.

    python3 bench/batch.py [CORPUS] [--runs N] [--subset N] [--no-install] [--no-build]

CORPUS defaults to $DOCHOST_CORPUS, else ../shared/corpus. What it runs
(every corpus run walks hidden files too, `--hidden -q`):

- the floor, `target/release/examples/floor` (host/examples/floor.rs; the
  target directory is $CARGO_TARGET_DIR when set, for every binary): read
  and parse every file with dochost's pulldown-cmark options, and the same
  plus writing a new tree;
- dochost with the no-op test plugin, `--check` and `--out-dir`;
- each shipped plugin that rewrites or checks a tree (smart-quotes,
  mojibake, versions with plugins/versions/tests/fixtures/versions.toml,
  links) and the pipeline mojibake → versions → smart-quotes, `--check`;
- the no-op `--check` and the floor pinned to one core and to two
  (`taskset`): what a second core gives dochost, and the machine;
- pandoc with a no-op Lua filter, one process per file, and mdformat
  `--check`, over an evenly spaced subset of the files (`--subset`), one
  worker per core for both; dochost's no-op over the same subset;
- cold start (an empty compiled-plugin cache, `DOCHOST_CACHE_DIR`) and warm
  start of `dochost run smart-quotes SMALL.md --check` on one small file;
- the no-op and mojibake `--check` over the corpus's clean Chinese
  documents (those whose letters are at least a third Han characters),
  copied to a tree of their own: what repairing costs on text with no
  damage (issue 13: within 2x of the no-op). Skipped with a notice when
  the corpus has none.

Every case runs --runs times, interleaved (one round runs every case once)
after one warm-up round, and the median wall time is reported; peak RSS is
the child's own `ru_maxrss` from wait4 (what GNU time's %M reports). Every
`--out-dir` run writes into a fresh temporary directory removed after it.
Corpus runs use a compiled-plugin cache of their own, warmed by the
warm-up round, so no run compiles a plugin.

It builds dochost, the floor and the no-op plugin (cargo, release), and
installs what is missing: pandoc with apt-get (as root, or with `sudo -n`)
and mdformat from PyPI into a venv under bench/.cache
($DOCHOST_BENCH_CACHE). A tool that cannot be installed is skipped with a
notice.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no bench/__pycache__ from importing translate.py
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from translate import ROOT, ensure_cache, sample, short, venv  # noqa: E402

# Cargo's own target directory, so a build with $CARGO_TARGET_DIR set is the one timed.
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
NOOP = os.path.join(TARGET, "test-plugins", "wasm32-wasip2", "release", "test_plugin_noop.wasm")
FLOOR = os.path.join(TARGET, "release", "examples", "floor")
MANIFEST = os.path.join(ROOT, "plugins", "versions", "tests", "fixtures", "versions.toml")
NOOP_LUA = "-- a Lua filter that changes nothing\nreturn {}\n"


def note(message):
    print(f"batch.py: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- building and installing


def build():
    note("building dochost, the floor and the no-op plugin (cargo, release)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "dochost", "--bin", "dochost", "--example", "floor"],
                   cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "-q", "--target", "wasm32-wasip2", "-p", "test-plugin-noop",
                    "--target-dir", os.path.join(TARGET, "test-plugins")], cwd=ROOT, check=True)


def apt(package, command, install):
    """Path of `command`, installing Debian's `package` if missing; or (None, why)."""
    if shutil.which(command):
        return shutil.which(command), None
    if not install:
        return None, f"{command} not installed and --no-install given"
    if not shutil.which("apt-get"):
        return None, f"{command} not installed and no apt-get here"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return None, f"{command} not installed; apt-get needs root and there is no sudo"
    note(f"installing {package} from Debian (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = prefix + ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        subprocess.run(prefix + ["apt-get", "update", "-q"], capture_output=True, text=True, env=env)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not shutil.which(command):
        return None, f"apt-get install {package} failed: " + short(proc.stderr or proc.stdout)
    return shutil.which(command), None


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()
        return out[0] if out else "?"
    except OSError:
        return "?"


# ---------------------------------------------------------------- running


def run_one(argv, env=None, ok=(0, 1)):
    """(seconds, peak RSS in KiB) of one process; raises on an unexpected exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv[:6])} … exited {proc.returncode}: {short(err.decode(errors='replace'))}")
    return elapsed, usage.ru_maxrss


def run_pool(argvs, workers, ok=(0, 1)):
    """(seconds, peak RSS of the largest process, failures) for many processes, `workers` at a time."""
    def one(argv):
        try:
            return run_one(argv, ok=ok)[1], None
        except RuntimeError as e:
            return 0, str(e)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, argvs))
    elapsed = time.perf_counter() - start
    failures = [why for _, why in results if why]
    return elapsed, max(rss for rss, _ in results), failures


class Case:
    """One row: a command (or a callable) run once per round."""

    def __init__(self, name, size, run):
        self.name, self.size, self.run = name, size, run
        self.times, self.rss, self.failures, self.skipped = [], [], [], None

    def once(self):
        seconds, rss, failures = self.run()
        self.times.append(seconds)
        self.rss.append(rss)
        self.failures = failures

    @property
    def median(self):
        return statistics.median(self.times)


def dochost_case(name, binary, plugin, target, size, env, mode="--check", pin=None):
    def run():
        argv = ([ "taskset", "-c", pin] if pin else []) + [binary, "run", *plugin, "--hidden", "-q"]
        if mode == "--out-dir":
            out = tempfile.mkdtemp(prefix="dochost-bench-out-")
            try:
                return (*run_one(argv + ["--out-dir", os.path.join(out, "tree"), target], env=env), [])
            finally:
                shutil.rmtree(out, ignore_errors=True)
        return (*run_one(argv + ["--check", target], env=env), [])
    return Case(name, size, run)


def floor_case(name, target, size, write, pin=None):
    def run():
        if pin:
            return (*run_one(["taskset", "-c", pin, FLOOR, target], ok=(0,)), [])
        if write:
            out = tempfile.mkdtemp(prefix="dochost-bench-floor-")
            try:
                return (*run_one([FLOOR, target, "--out-dir", os.path.join(out, "tree")], ok=(0,)), [])
            finally:
                shutil.rmtree(out, ignore_errors=True)
        return (*run_one([FLOOR, target], ok=(0,)), [])
    return Case(name, size, run)


def chinese_documents(root):
    """Markdown files under root, relative, whose letters are at least a third Han characters."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".md", ".markdown")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            letters = sum(1 for c in text if c.isalpha())
            han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
            if letters and han * 3 >= letters:
                found.append(os.path.relpath(path, root))
    return found


def tree_bytes(root):
    total = files = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            if n.endswith((".md", ".markdown")):
                total += os.path.getsize(os.path.join(dirpath, n))
                files += 1
    return files, total


# ---------------------------------------------------------------- report


def fmt_s(seconds):
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def main():
    default_corpus = os.environ.get("DOCHOST_CORPUS") or os.path.join(ROOT, "..", "shared", "corpus")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=default_corpus)
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (after one warm-up round)")
    parser.add_argument("--subset", type=int, default=200, help="files for pandoc and mdformat, evenly spaced")
    parser.add_argument("--bin", default=os.path.join(TARGET, "release", "dochost"))
    parser.add_argument("--no-install", action="store_true", help="install nothing; skip pandoc/mdformat if absent")
    parser.add_argument("--no-build", action="store_true", help="use the binaries already built")
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"batch.py: no corpus at {corpus}: give a directory of Markdown files or set DOCHOST_CORPUS")
    if not args.no_build:
        build()
    install = not args.no_install
    ensure_cache()
    cores = len(os.sched_getaffinity(0))
    notices = []

    pandoc, why = apt("pandoc", "pandoc", install)
    if not pandoc:
        notices.append(f"pandoc skipped: {why}")
    md_bin, why = venv("venv-mdformat", ["mdformat"], install)
    mdformat = md_bin and os.path.join(md_bin, "mdformat")
    if not mdformat:
        notices.append(f"mdformat skipped: {why}")
    taskset = shutil.which("taskset")
    if not taskset:
        notices.append("one core vs two skipped: no taskset")
    elif cores < 2:
        notices.append("one core vs two skipped: this process may use only one core")
        taskset = None

    work = tempfile.mkdtemp(prefix="dochost-bench-batch-")
    try:
        env = dict(os.environ, DOCHOST_CACHE_DIR=os.path.join(work, "plugin-cache"))
        files, size = tree_bytes(corpus)
        # The subset, copied into a tree of its own so dochost can be run on the same files.
        chosen = sample(corpus, args.subset)
        sub = os.path.join(work, "subset")
        for rel in chosen:
            os.makedirs(os.path.dirname(os.path.join(sub, rel)), exist_ok=True)
            shutil.copyfile(os.path.join(corpus, rel), os.path.join(sub, rel))
        sub_files = [os.path.join(sub, rel) for rel in chosen]
        sub_size = sum(os.path.getsize(f) for f in sub_files)
        lua = os.path.join(work, "noop.lua")
        with open(lua, "w") as f:
            f.write(NOOP_LUA)

        noop = [NOOP]
        versions = ["versions", "--allow-read", MANIFEST, "--set", "manifest=" + MANIFEST]
        pipeline = ["mojibake", "--then", "versions", "--then", "smart-quotes",
                    "--allow-read", MANIFEST, "--set", "manifest=" + MANIFEST]
        b = args.bin
        cases = [
            floor_case("floor: read + parse", corpus, size, write=False),
            dochost_case("dochost no-op --check", b, noop, corpus, size, env),
            floor_case("floor: read + parse + write a new tree", corpus, size, write=True),
            dochost_case("dochost no-op --out-dir", b, noop, corpus, size, env, mode="--out-dir"),
            dochost_case("smart-quotes --check", b, ["smart-quotes"], corpus, size, env),
            dochost_case("mojibake --check", b, ["mojibake"], corpus, size, env),
            dochost_case("versions --check", b, versions, corpus, size, env),
            dochost_case("links --check", b, ["links"], corpus, size, env),
            dochost_case("mojibake → versions → smart-quotes --check", b, pipeline, corpus, size, env),
        ]
        if taskset:
            cases += [
                dochost_case("no-op --check, 1 core (taskset -c 0)", b, noop, corpus, size, env, pin="0"),
                dochost_case("no-op --check, 2 cores (taskset -c 0,1)", b, noop, corpus, size, env, pin="0,1"),
                floor_case("floor: read + parse, 1 core (taskset -c 0)", corpus, size, False, pin="0"),
                floor_case("floor: read + parse, 2 cores (taskset -c 0,1)", corpus, size, False, pin="0,1"),
            ]
        cases.append(dochost_case("subset: dochost no-op --check", b, noop, sub, sub_size, env))
        chinese = chinese_documents(corpus)
        zh = os.path.join(work, "chinese")
        for rel in chinese:
            os.makedirs(os.path.dirname(os.path.join(zh, rel)), exist_ok=True)
            shutil.copyfile(os.path.join(corpus, rel), os.path.join(zh, rel))
        if chinese:
            zh_size = tree_bytes(zh)[1]
            cases.append(dochost_case("clean Chinese: no-op --check", b, noop, zh, zh_size, env))
            cases.append(dochost_case("clean Chinese: mojibake --check", b, ["mojibake"], zh, zh_size, env))
        else:
            notices.append("clean Chinese skipped: no document of the corpus is mostly Han characters")
        if pandoc:
            argvs = [[pandoc, "-f", "commonmark_x", "-t", "commonmark_x", "--lua-filter", lua, f, "-o", "/dev/null"]
                     for f in sub_files]
            cases.append(Case("subset: pandoc, no-op Lua filter, a process per file", sub_size,
                              lambda argvs=argvs: run_pool(argvs, cores, ok=(0,))))
        if mdformat:
            chunks = [sub_files[i::cores] for i in range(cores)]
            argvs = [[mdformat, "--check", *chunk] for chunk in chunks if chunk]
            cases.append(Case(f"subset: mdformat --check, {len(argvs)} processes", sub_size,
                              lambda argvs=argvs: run_pool(argvs, cores, ok=(0, 1))))

        # Cold and warm start on one small file: a fresh cache directory per cold run.
        small = min((f for f in sub_files if os.path.getsize(f) >= 1000), key=os.path.getsize, default=sub_files[0])

        def start(cold):
            def run():
                cache = tempfile.mkdtemp(prefix="dochost-bench-cache-", dir=work)
                e = dict(os.environ, DOCHOST_CACHE_DIR=cache)
                try:
                    first = run_one([b, "run", "smart-quotes", small, "--check"], env=e)
                    return (*(first if cold else run_one([b, "run", "smart-quotes", small, "--check"], env=e)), [])
                finally:
                    shutil.rmtree(cache, ignore_errors=True)
            return run
        small_size = os.path.getsize(small)
        cases.append(Case("cold start: smart-quotes, one small file, empty cache", small_size, start(True)))
        cases.append(Case("warm start: the same, second run", small_size, start(False)))

        note(f"{len(cases)} cases, 1 warm-up round + {args.runs} timed rounds")
        load_before = os.getloadavg()[0]
        for round_ in range(args.runs + 1):
            for case in cases:
                if case.skipped:
                    continue
                try:
                    case.once()
                except RuntimeError as e:
                    case.skipped = str(e)
                    notices.append(f"{case.name} skipped: {e}")
            if round_ == 0:
                for case in cases:
                    case.times.clear()
                    case.rss.clear()
            note(f"round {round_}/{args.runs} done")

        by = {c.name: c for c in cases}

        def med(name):
            c = by.get(name)
            return c.median if c and not c.skipped and c.times else None

        def best(name):
            c = by.get(name)
            return min(c.times) if c and not c.skipped and c.times else None

        # ------------------------------------------------------------ print
        print(f"corpus: {corpus}: {files} files, {size / 1e6:.1f} MB; subset: {len(chosen)} files, "
              f"{sub_size / 1e6:.2f} MB, evenly spaced; small file: {os.path.relpath(small, sub)} ({small_size} bytes)")
        if chinese:
            print(f"clean Chinese: {len(chinese)} files, {zh_size / 1e6:.1f} MB")
        print(f"{cores} cores usable, {os.cpu_count()} online; medians of {args.runs} interleaved rounds after a warm-up")
        tools = [f"dochost {version([b, '--version']).split()[-1]}"]
        if pandoc:
            tools.append(version([pandoc, "--version"]))
        if mdformat:
            tools.append("mdformat " + version([mdformat, "--version"]).split()[-1])
        print("tools: " + ", ".join(tools))
        print("load average (1 min) before the rounds {:.2f}, after {:.2f}\n".format(load_before, os.getloadavg()[0]))
        print("| run | median s | min–max s | MB/s | peak RSS MB |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for c in cases:
            if c.skipped or not c.times:
                print(f"| {c.name} | skipped | | | |")
                continue
            mbs = c.size / 1e6 / c.median
            mbs_s = "" if "start" in c.name else f"{mbs:.1f}" if mbs >= 1 else f"{mbs:.3f}"
            print(f"| {c.name} | {fmt_s(c.median)} | {fmt_s(min(c.times))}–{fmt_s(max(c.times))} | {mbs_s} "
                  f"| {max(c.rss) / 1024:.0f} |")
            if c.failures:
                notices.append(f"{c.name}: {len(c.failures)} of its processes failed, e.g. {c.failures[0]}")

        print("\n| ratio | of medians | of best runs | target |")
        print("| --- | ---: | ---: | --- |")

        def ratio(label, num, den, target=None, better="low", num_best=None, den_best=None):
            if num is None or den is None:
                print(f"| {label} | n/a | | {target or ''} |")
                return
            r = num / den
            r_best = f"{num_best / den_best:.2f}×" if num_best and den_best else ""
            verdict = ""
            if target is not None:
                ok = r <= target if better == "low" else r >= target
                verdict = f"{'≤' if better == 'low' else '≥'}{target}×: {'met' if ok else 'not met'}"
            print(f"| {label} | {r:.2f}× | {r_best} | {verdict} |")

        def time_ratio(label, num, den, target=None, better="low"):
            ratio(label, med(num), med(den), target, better, best(num), best(den))

        time_ratio("no-op --check / floor read + parse", "dochost no-op --check", "floor: read + parse", 2.0)
        time_ratio("no-op --out-dir / floor read + parse + write", "dochost no-op --out-dir",
                   "floor: read + parse + write a new tree", 1.5)
        time_ratio("two-core speed-up of no-op --check (1-core / 2-core time)",
                   "no-op --check, 1 core (taskset -c 0)", "no-op --check, 2 cores (taskset -c 0,1)", 1.8, "high")
        # What the machine itself gives a second core: the floor is read and
        # parse alone, with nothing to share.
        time_ratio("two-core speed-up of the floor read + parse (1-core / 2-core time)",
                   "floor: read + parse, 1 core (taskset -c 0)", "floor: read + parse, 2 cores (taskset -c 0,1)")
        # Issue 8's targets for the shipped plugins (contract 0.2 sessions).
        plugin_targets = {"mojibake --check": 2.0, "versions --check": 1.5,
                          "mojibake → versions → smart-quotes --check": 3.0}
        for c in cases[4:9]:
            time_ratio(f"{c.name} / no-op --check", c.name, "dochost no-op --check", plugin_targets.get(c.name))
        if chinese:
            # Issue 13's target: the mojibake plugin on text with no damage.
            time_ratio("mojibake / no-op --check, clean Chinese", "clean Chinese: mojibake --check",
                       "clean Chinese: no-op --check", 2.0)
        for c in cases:
            if c.name.startswith("subset: ") and "dochost" not in c.name:
                tool = c.name.split(":")[1].split(",")[0].strip()
                t = med(c.name)
                if t is None:
                    ratio(f"dochost no-op vs {tool}, throughput", None, None)
                    continue
                other = sub_size / t
                for label, name, sz in (("no-op, same subset", "subset: dochost no-op --check", sub_size),
                                        ("no-op, whole corpus", "dochost no-op --check", size),
                                        ("versions, whole corpus", "versions --check", size)):
                    d, d_best = med(name), best(name)
                    ratio(f"dochost {label} vs {tool}, MB/s", d and sz / d, other,
                          num_best=d_best and sz / d_best, den_best=sub_size / best(c.name))
        time_ratio("cold / warm start, one small file", "cold start: smart-quotes, one small file, empty cache",
                   "warm start: the same, second run")
        for n in notices:
            print(f"\nnotice: {n}", end="")
        print()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
