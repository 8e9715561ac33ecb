#!/usr/bin/env python3
"""Derive the embedded CJK frequency table from jieba's dict.txt.

    pip install jieba==0.42.1
    python3 plugins/mojibake/tools/gen_freq.py > plugins/mojibake/data/cjk_freq.tsv

jieba (MIT licence) ships dict.txt: ~350k Chinese words with corpus counts.
We keep the most frequent single characters and the most frequent 2-3
character words made only of those characters, each with a cost of
round(10 * -ln(count / total)) (tenths of a nat), so the repair code can score
a candidate character by itself and by the words it completes (a unigram word
model, the one jieba segments with).
"""
import math
import os
import sys

import jieba

CHARS = 6000
WORDS = 20000


def main():
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    counts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, count = line.split()[:2]
            counts[word] = int(count)
    total = sum(counts.values())
    by_count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    chars = [(w, c) for w, c in by_count if len(w) == 1][:CHARS]
    known = {w for w, _ in chars}
    words = [(w, c) for w, c in by_count
             if 2 <= len(w) <= 3 and all(ch in known for ch in w)][:WORDS]
    out = sys.stdout
    out.write(f"# jieba {jieba.__version__} dict.txt: {len(chars)} chars, {len(words)} words; "
              "cost = round(10 * -ln(count / total))\n")
    for word, count in chars + words:
        out.write(f"{round(-10 * math.log(count / total))}\t{word}\n")


if __name__ == "__main__":
    main()
