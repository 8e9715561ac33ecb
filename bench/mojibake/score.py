#!/usr/bin/env python3
"""Score mojibake repair on the labelled set, ours next to ftfy.

    pip install ftfy==6.3.1
    python3 bench/mojibake/score.py [--cases bench/mojibake/cases.jsonl]

"ours" is plugins/mojibake's `repair` function, run through the native
example `repair_stdin` (built with cargo, the same code the plugin calls; set
REPAIR_STDIN to the path of a prebuilt one to skip cargo).
ftfy runs twice: with its defaults and with only its encoding fixes.
Per damage kind it prints the exact-match rate and the character error rate
(edit distance / expected length); for the negative class, the rate of
texts changed (false positives).
"""
import argparse
import json
import os
import subprocess
import sys

import ftfy

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
    replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=True,
    fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
    fix_surrogates=True, remove_control_chars=False, normalization=None,
)


def ours(cases):
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target", "mojibake-dev"))
    cmd = ["cargo", "run", "--quiet", "-p", "dochost-plugin-mojibake", "--example", "repair_stdin",
           "--target-dir", target]
    env = dict(os.environ, CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "1"))
    if os.environ.get("REPAIR_STDIN"):
        # A prebuilt repair_stdin (e.g. a release build) instead of cargo run.
        cmd = [os.environ["REPAIR_STDIN"]]
    feed = "".join(json.dumps({"id": c["id"], "text": c["text"]}, ensure_ascii=False) + "\n" for c in cases)
    run = subprocess.run(cmd, input=feed, capture_output=True, text=True, cwd=ROOT, env=env)
    if run.returncode != 0:
        sys.exit(f"repair_stdin failed:\n{run.stderr}")
    answers = {}
    # Split on newlines only: texts may hold U+0085 or U+2028, which JSON
    # leaves unescaped and str.splitlines() would split at.
    for line in filter(None, run.stdout.split("\n")):
        record = json.loads(line)
        answers[record["id"]] = record["text"]
    return [answers[c["id"]] for c in cases]


def distance(a, b):
    """Levenshtein distance in characters."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=os.path.join(os.path.dirname(__file__), "cases.jsonl"))
    ap.add_argument("--failures", action="store_true", help="list the cases ours gets wrong")
    args = ap.parse_args()
    with open(args.cases, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    systems = {
        "ours": ours(cases),
        "ftfy": [ftfy.fix_text(c["text"]) for c in cases],
        "ftfy-enc": [ftfy.fix_text(c["text"], ENCODING_ONLY) for c in cases],
    }
    kinds = sorted({c["kind"] for c in cases} - {"negative"})
    header = f"{'kind':<10} {'n':>4} | " + " | ".join(f"{name + ' exact':>14} {'CER':>6}" for name in systems)
    print(header)
    print("-" * len(header))
    rows = kinds + ["ALL"]
    for kind in rows:
        idx = [i for i, c in enumerate(cases) if c["kind"] != "negative" and (kind == "ALL" or c["kind"] == kind)]
        cells = []
        for name, out in systems.items():
            exact = sum(out[i] == cases[i]["expected"] for i in idx) / len(idx)
            cer = sum(distance(out[i], cases[i]["expected"]) for i in idx) / sum(len(cases[i]["expected"]) for i in idx)
            cells.append(f"{100 * exact:13.1f}% {100 * cer:5.1f}%")
        print(f"{kind:<10} {len(idx):>4} | " + " | ".join(cells))
    neg = [i for i, c in enumerate(cases) if c["kind"] == "negative"]
    cells = [f"{100 * sum(out[i] != cases[i]['text'] for i in neg) / len(neg):13.1f}% {'':>6}" for out in systems.values()]
    print(f"{'neg. FP':<10} {len(neg):>4} | " + " | ".join(cells))
    if args.failures:
        for i, c in enumerate(cases):
            got = systems["ours"][i]
            if got != c["expected"]:
                print(f"\n[{c['kind']}] {c['text']!r}\n  want {c['expected']!r}\n  got  {got!r}")


if __name__ == "__main__":
    main()
