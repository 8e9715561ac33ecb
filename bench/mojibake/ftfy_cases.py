#!/usr/bin/env python3
"""ftfy's own test cases through our repair, per case file.

    python3 bench/mojibake/ftfy_cases.py [--failures]

The cases are python-ftfy's `tests/test-cases/*.json` (Apache-2.0), kept in
`tests/fixtures/mojibake_ftfy/`. Each original is run through the plugin's
`repair` function (the native example `repair_stdin`, as score.py does) and
compared with `fixed-encoding` (else `fixed`); negatives must come out
unchanged. The test `plugins/mojibake/tests/ftfy.rs` runs the same cases
through the same function and holds each file's count to a floor.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from score import ROOT, ours  # noqa: E402

CASES = os.path.join(ROOT, "tests", "fixtures", "mojibake_ftfy")
FILES = ["in-the-wild", "synthetic", "negative", "language-names", "known-failures"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--failures", action="store_true", help="list the cases ours gets wrong")
    args = ap.parse_args()
    cases = []
    for name in FILES:
        with open(os.path.join(CASES, name + ".json"), encoding="utf-8") as f:
            for c in json.load(f):
                cases.append(dict(c, file=name, id=len(cases), text=c["original"]))
    got = ours(cases)
    for name in FILES:
        idx = [i for i, c in enumerate(cases) if c["file"] == name]
        ok = [i for i in idx if got[i] == cases[i].get("fixed-encoding", cases[i]["fixed"])]
        print(f"{name:<15} {len(ok):>3}/{len(idx)}")
    if args.failures:
        for i, c in enumerate(cases):
            want = c.get("fixed-encoding", c["fixed"])
            if got[i] != want:
                print(f"\n[{c['file']}] {c['label']}\n  text {c['original']!r}\n  want {want!r}\n  got  {got[i]!r}")


if __name__ == "__main__":
    main()
