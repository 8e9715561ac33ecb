#!/usr/bin/env python3
"""Whole files saved through a wrong decoder, repaired by `dochost run mojibake`.

Takes every STEP-th Markdown file of the corpus that holds non-ASCII text,
damages the whole file (its UTF-8 bytes read as cp1252 and saved again), runs
the mojibake plugin over the damaged tree and compares each output with the
original byte for byte. Also runs the plugin over the untouched files, which
must come out unchanged. Evaluation only: nothing here feeds the plugin.

Damage kinds:
  sloppy  cp1252, bytes it leaves undefined kept as C1 controls (no loss)
  latin1  Latin-1: every byte 0x80-0x9F kept as a C1 control (no loss)
  lossy   cp1252, bytes it leaves undefined dropped

    python3 bench/mojibake/whole_files.py [CORPUS] [--step 15] [--dochost PATH] [--plugin mojibake]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


def damage(raw: bytes, kind: str) -> str:
    if kind == "latin1":
        return raw.decode("latin-1")
    if kind == "lossy":
        return raw.decode("cp1252", errors="ignore")
    return "".join(chr(b) if b in UNDEFINED else bytes([b]).decode("cp1252") for b in raw)


def sample(corpus: str, step: int) -> list[str]:
    files = []
    for root, dirs, names in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [os.path.join(root, n) for n in names if n.endswith(".md")]
    files.sort()
    chosen = []
    for path in files[::step]:
        raw = open(path, "rb").read()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(b >= 0x80 for b in raw):
            chosen.append(path)
    return chosen


def run(dochost: str, plugin: str, tree: str, out: str) -> None:
    subprocess.run([dochost, "run", plugin, ".", "--out-dir", out, "-q"], cwd=tree,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    default_corpus = os.environ.get("DOCHOST_CORPUS") or os.path.join(os.path.dirname(__file__), "../../../shared/corpus")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.dirname(__file__), "../../target"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", nargs="?", default=default_corpus)
    p.add_argument("--step", type=int, default=15)
    p.add_argument("--dochost", default=os.path.join(target, "release", "dochost"))
    p.add_argument("--plugin", default="mojibake")
    p.add_argument("--kinds", default="sloppy,latin1,lossy")
    p.add_argument("--failures", action="store_true", help="list the files that did not come back exact")
    args = p.parse_args()
    # The runs start in the trees they repair.
    args.dochost = os.path.abspath(args.dochost)
    if args.plugin.endswith(".wasm"):
        args.plugin = os.path.abspath(args.plugin)
    if not os.path.exists(args.dochost):
        sys.exit(f"{args.dochost} not found: build it (cargo build --release -p dochost) or pass --dochost")
    files = sample(args.corpus, args.step)
    rels = [os.path.relpath(f, args.corpus) for f in files]
    print(f"{len(files)} files (every {args.step}th with non-ASCII text) from {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        clean = os.path.join(tmp, "clean")
        for f, rel in zip(files, rels):
            os.makedirs(os.path.dirname(os.path.join(clean, rel)), exist_ok=True)
            shutil.copyfile(f, os.path.join(clean, rel))
        run(args.dochost, args.plugin, clean, os.path.join(tmp, "clean-out"))
        changed = [r for r in rels if os.path.exists(os.path.join(tmp, "clean-out", r))
                   and open(os.path.join(tmp, "clean-out", r), "rb").read() != open(os.path.join(clean, r), "rb").read()]
        print(f"| kind | exact files | lines still wrong |\n| --- | ---: | ---: |")
        print(f"| clean (must stay unchanged) | {len(rels) - len(changed)}/{len(rels)} | |")
        for kind in args.kinds.split(","):
            tree = os.path.join(tmp, kind)
            for f, rel in zip(files, rels):
                os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
                with open(os.path.join(tree, rel), "w", encoding="utf-8", newline="") as w:
                    w.write(damage(open(f, "rb").read(), kind))
            out = os.path.join(tmp, kind + "-out")
            run(args.dochost, args.plugin, tree, out)
            exact, wrong_lines, failures = 0, 0, []
            for f, rel in zip(files, rels):
                want = open(f, "rb").read().decode("utf-8")
                got_path = os.path.join(out, rel)
                got = open(got_path, encoding="utf-8", newline="").read() if os.path.exists(got_path) else ""
                if got == want:
                    exact += 1
                    continue
                failures.append(rel)
                wl, gl = want.split("\n"), got.split("\n")
                wrong_lines += sum(a != b for a, b in zip(wl, gl)) + abs(len(wl) - len(gl))
            print(f"| {kind} | {exact}/{len(rels)} | {wrong_lines} |")
            if args.failures:
                for rel in failures:
                    print(f"    {rel}")
        if args.failures:
            for rel in changed:
                print(f"    changed clean file: {rel}")


if __name__ == "__main__":
    main()
