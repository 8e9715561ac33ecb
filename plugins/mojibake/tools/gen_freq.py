#!/usr/bin/env python3
"""Derive the embedded CJK tables from jieba's dict.txt and POS model.

    pip install jieba==0.42.1
    python3 plugins/mojibake/tools/gen_freq.py plugins/mojibake/data

jieba (MIT licence) ships dict.txt: ~350k Chinese words with corpus counts
and a part of speech each, and the transition probabilities of its
part-of-speech tagger (jieba/posseg/prob_trans.py). Written into the given
folder:

- cjk_freq.tsv: the most frequent single characters and the most frequent
  2-4 character words made only of those characters, as
  `cost<TAB>token<TAB>pos` with cost = round(10 * -ln(count / total))
  (tenths of a nat): a unigram word model, the one jieba segments with.
- pos_trans.tsv: `pos<TAB>cost` lines, the cost of each part of speech
  (its words' share of all counts), then `from<TAB>to<TAB>cost` lines, the
  cost of a word of part of speech `to` after one of `from`, where each is
  written `S:pos` for a one-character word and `W:pos` for a longer one
  (jieba's tagger states: S for single, E/B for a word's end/beginning).
  With both, a window of text is scored by a class bigram model: each
  word's cost within its part of speech plus the transitions between them.
"""
import math
import os
import sys

import jieba
import jieba.posseg.prob_trans as prob_trans

CHARS = 6000
WORDS = 60000
MAX_WORD = 4
# Words of wordfreq's Chinese list (pip install wordfreq==3.1.1) that jieba's
# table lacks: the commonest ones made of the table's characters.
EXTRA_WORDS = 40000


def wordfreq_costs():
    """Costs of wordfreq's Chinese tokens (its `large` list: Wikipedia,
    subtitles, news, web text, tokenized with jieba), same scale as jieba's."""
    from wordfreq import get_frequency_dict
    return {w: -10 * math.log(f) for w, f in get_frequency_dict("zh", "large").items() if f > 0}


def main():
    out_dir = sys.argv[1]
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    counts, pos = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, count, tag = line.split()[:3]
            if int(count) > 0:
                counts[word] = int(count)
                pos[word] = tag
    total = sum(counts.values())
    by_count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    chars = [(w, c) for w, c in by_count if len(w) == 1][:CHARS]
    known = {w for w, _ in chars}
    words = [(w, c) for w, c in by_count
             if 2 <= len(w) <= MAX_WORD and all(ch in known for ch in w)][:WORDS]
    cost = lambda count, of: round(-10 * math.log(count / of))
    # jieba's counts come from older, literary and news text (诏 as common as
    # 证); wordfreq's from today's. A token both list costs the mean of the
    # two; wordfreq's common words that jieba's table lacks (会话, 运维) are
    # added, with jieba's part of speech where its dictionary has the word
    # and `n` (technical terms are mostly nouns) where it does not.
    modern = wordfreq_costs()
    listed = {w for w, _ in chars + words}
    extra = sorted(((w, c) for w, c in modern.items()
                    if 2 <= len(w) <= MAX_WORD and w not in listed and all(ch in known for ch in w)),
                   key=lambda wc: (wc[1], wc[0]))[:EXTRA_WORDS]
    with open(os.path.join(out_dir, "cjk_freq.tsv"), "w", encoding="utf-8") as out:
        out.write(f"# jieba {jieba.__version__} dict.txt: {len(chars)} chars, {len(words)} words; "
                  f"wordfreq zh: {len(extra)} more words, costs of listed tokens averaged; "
                  "cost = round(10 * -ln(p)), then the part of speech\n")
        # A character no dearer than jieba's rarest listed one: what the
        # plugin charges for an unlisted character (20 more) stays put, and
        # with it the costs legacy CJK readings are judged by.
        rarest = max(-10 * math.log(count / total) for _, count in chars)
        for word, count in chars + words:
            c = -10 * math.log(count / total)
            if word in modern:
                c = (c + modern[word]) / 2
                if len(word) == 1:
                    c = min(c, rarest)
            out.write(f"{round(c)}\t{word}\t{pos[word]}\n")
        for word, c in extra:
            out.write(f"{round(c)}\t{word}\t{pos.get(word, 'n')}\n")
    # Every part of speech the tagger knows, with at least one count.
    pos_total = {tag: 1 for states in prob_trans.P.values() for _, tag in states}
    for word, count in counts.items():
        pos_total[pos[word]] = pos_total.get(pos[word], 0) + count
    with open(os.path.join(out_dir, "pos_trans.tsv"), "w", encoding="utf-8") as out:
        out.write(f"# jieba {jieba.__version__}: cost of each part of speech, then of one after another "
                  "(S: one-character word, W: longer); cost = round(10 * -ln(p))\n")
        for tag, count in sorted(pos_total.items()):
            out.write(f"{tag}\t{cost(count, total)}\n")
        state = {"S": "S", "E": "W", "B": "W"}
        for (kind, tag), nexts in sorted(prob_trans.P.items()):
            if kind not in "ES":
                continue
            for (next_kind, next_tag), logp in sorted(nexts.items()):
                if next_kind in "BS":
                    out.write(f"{state[kind]}:{tag}\t{state[next_kind]}:{next_tag}\t{round(-10 * logp)}\n")


if __name__ == "__main__":
    main()
