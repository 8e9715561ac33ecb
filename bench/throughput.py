#!/usr/bin/env python3
"""Throughput of dochost plugins over a Markdown tree, as ratios against the
no-op plugin measured in the same run.

    python3 bench/throughput.py [CORPUS] [--runs N] [--bin target/release/dochost]

Every plugin runs `dochost run PLUGIN --check --hidden -q CORPUS` (parse,
plugin call, apply; nothing written). Runs are interleaved and the best of N
is kept, so load from other processes on a shared machine hurts every plugin
alike. The no-op plugin is built from plugins/testing/noop.
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(args):
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "dochost"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "-q", "--target", "wasm32-wasip2", "-p", "test-plugin-noop",
                    "--target-dir", os.path.join(ROOT, "target", "test-plugins")], cwd=ROOT, check=True)


def corpus_bytes(corpus):
    total = 0
    for dirpath, _, files in os.walk(corpus):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files if f.endswith((".md", ".markdown")))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=os.environ.get("DOCHOST_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "dochost"))
    args = parser.parse_args()
    build(args)
    noop = os.path.join(ROOT, "target", "test-plugins", "wasm32-wasip2", "release", "test_plugin_noop.wasm")
    manifest = os.path.join(ROOT, "plugins", "versions", "tests", "fixtures", "versions.toml")
    plugins = {
        "noop (baseline)": [noop],
        "smart-quotes": ["smart-quotes"],
        "mojibake": ["mojibake"],
        "versions": ["versions", "--allow-read", manifest, "--set", "manifest=" + manifest],
        "mojibake → versions → smart-quotes": [
            "mojibake", "--then", "versions", "--then", "smart-quotes",
            "--allow-read", manifest, "--set", "manifest=" + manifest,
        ],
    }
    size = corpus_bytes(args.corpus)
    best = {name: float("inf") for name in plugins}
    for _ in range(args.runs):
        for name, plugin in plugins.items():
            start = time.perf_counter()
            proc = subprocess.run([args.bin, "run", *plugin, "--check", "--hidden", "-q", args.corpus],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                sys.exit(f"{name} failed with exit code {proc.returncode}")
            best[name] = min(best[name], elapsed)
    base = best["noop (baseline)"]
    print(f"corpus: {args.corpus} ({size / 1e6:.1f} MB), best of {args.runs}, {os.cpu_count()} cores\n")
    print("| plugin | seconds | MB/s | time vs noop |")
    print("| --- | ---: | ---: | ---: |")
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.2f} | {size / 1e6 / seconds:.1f} | {seconds / base:.2f}x |")


if __name__ == "__main__":
    main()
