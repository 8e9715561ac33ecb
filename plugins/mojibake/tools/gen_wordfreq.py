#!/usr/bin/env python3
"""Derive the embedded lost-byte tables for Japanese, alphabets and emoji
from wordfreq's word lists.

    pip install wordfreq==3.1.1
    python3 plugins/mojibake/tools/gen_wordfreq.py plugins/mojibake/data

wordfreq (code Apache-2.0, data CC-BY-SA 4.0, by Robyn Speer and
contributors) ships word frequencies for 40-odd languages, learnt from
subtitles, Wikipedia, news, books, web text and social media. Written into
the given folder:

- ja_words.tsv: the commonest Japanese words (MeCab tokens) that hold
  kana or ideographs, `cost<TAB>word` with cost = round(10 * -ln(freq))
  (tenths of a nat): a unigram word model, to segment a window of Japanese
  text around a character that lost a byte. (Frequencies are read from
  the lists as they are, so wordfreq's tokenisers, MeCab for Japanese,
  are not needed.)
- letter_ngrams.tsv: a character trigram model of words in alphabets other
  than plain ASCII (Cyrillic: ru uk bg mk; Greek: el; Latin with
  diacritics: cs sk pl sl hu ro tr lt lv de fr es pt it ca sv da fi vi), each
  language weighted alike, words lower-cased and padded with a space on
  each side. `cost<TAB>abc` is the cost of `c` after `ab` (10 *
  -ln P(c | ab)); `cost<TAB>bc` the same after one character (the
  backoff). Only n-grams holding a letter beyond ASCII are kept: the
  characters a lost byte leaves to choose between are never ASCII.
- letter_words.tsv: `cost<TAB>word` for the words of those lists (lower
  case, the best cost over the languages) that the trigrams alone would
  get wrong after a lost byte: one of their letters has a twin whose UTF-8
  differs only in a byte a lossy decoder drops (0x81, 0x8D, 0x8E, 0x8F,
  0x90, 0x9D, 0x9E, 0xAD) that turns the word into another word of the
  list (этих and стих: э is D1 8D, с D1 81) or that the trigrams score no
  worse (столица, whose `сто` loses to the `это` of это).
- emoji_freq.tsv: `cost<TAB>symbol` for the emoji and pictographic symbols
  that occur as tokens in any of the `large` lists (21 languages), cost = round(10 * -ln(share)) where
  share is the symbol's frequency averaged over the languages.
"""
import math
import os
import sys
import unicodedata
from collections import defaultdict

import wordfreq

JA_WORDS = 16000
ALPHA_LANGS = ["ru", "uk", "bg", "mk", "el", "cs", "sk", "pl", "sl", "hu", "ro", "tr", "lt", "lv",
               "de", "fr", "es", "pt", "it", "ca", "sv", "da", "fi", "vi"]
# Words per language for the n-gram counts, and the largest conditional
# cost kept (rarer n-grams fall back to the bigram, then to a constant).
ALPHA_WORDS = 30000
MAX_TRIGRAM_COST = 45
MAX_BIGRAM_COST = 80
MIN_TRIGRAM_MASS = 5e-6
# As the plugin's `wordfreq.rs` reads the table: a trigram it lacks costs at
# least PRUNED_TRIGRAM, a bigram it lacks UNSEEN_BIGRAM.
PRUNED_TRIGRAM = MAX_TRIGRAM_COST + 1
UNSEEN_BIGRAM = MAX_BIGRAM_COST


def cost(p):
    return round(10 * -math.log(p))


def is_kana(c):
    return 0x3041 <= ord(c) <= 0x30FF


def is_han(c):
    return 0x3400 <= ord(c) <= 0x4DBF or 0x4E00 <= ord(c) <= 0x9FFF


def pictographic(c):
    o = ord(c)
    return 0x2190 <= o <= 0x2BFF or 0x1F000 <= o <= 0x1FAFF


def japanese(out_dir):
    rows = []
    freqs = wordfreq.get_frequency_dict("ja", "small")
    for word in wordfreq.iter_wordlist("ja", "small"):
        if not all(is_kana(c) or is_han(c) or c == "ー" for c in word) or len(word) > 6:
            continue
        rows.append((cost(freqs[word]), word))
        if len(rows) == JA_WORDS:
            break
    with open(os.path.join(out_dir, "ja_words.tsv"), "w", encoding="utf-8") as f:
        f.write("# cost<TAB>word: Japanese words of wordfreq 3.1.1 (CC-BY-SA 4.0), cost = 10 * -ln(freq)\n")
        for c, w in rows:
            f.write(f"{c}\t{w}\n")


DROPPED = [0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD]


def dropped_groups():
    """Each letter of two UTF-8 bytes ending in a droppable byte, mapped to
    the letters with the same lead byte and another droppable byte."""
    groups = {}
    for lead in range(0xC2, 0xE0):
        group = []
        for b in DROPPED:
            try:
                c = bytes([lead, b]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if c.isalpha():
                group.append(c)
        for c in group:
            groups[c] = group
    return groups


def trigram_cost(table, word, i, c):
    """What `c` costs at `word[i]` under the trigram table, as
    `wordfreq::letter_cost` in the plugin computes it (without the word
    term)."""
    before, after = word[max(0, i - 2):i], word[i + 1:i + 3]
    seq = (" " if len(before) < 2 else "") + before + c + after + (" " if len(after) < 2 else "")
    at = len(before) + (1 if len(before) < 2 else 0)
    total = 0
    for j in range(at, min(len(seq), at + 3)):
        context = seq[max(0, j - 2):j]
        bigram = table.get(context[-1] + seq[j], UNSEEN_BIGRAM)
        total += table.get(context + seq[j], max(bigram, PRUNED_TRIGRAM)) if len(context) == 2 else bigram
    return total


def letters(out_dir):
    tri, bi, uni = defaultdict(float), defaultdict(float), defaultdict(float)
    groups = dropped_groups()
    lists = {}
    for lang in ALPHA_LANGS:
        words = []
        freqs = wordfreq.get_frequency_dict(lang, "small")
        for word in wordfreq.iter_wordlist(lang, "small"):
            if word.isalpha():
                words.append((word.lower(), freqs[word]))
            if len(words) == ALPHA_WORDS:
                break
        lists[lang] = words
        total = sum(f for _, f in words)
        for word, f in words:
            f /= total
            padded = f" {word} "
            for i in range(len(padded) - 1):
                uni[padded[i]] += f
                bi[padded[i:i + 2]] += f
            for i in range(len(padded) - 2):
                tri[padded[i:i + 3]] += f
    rows = []
    for g, n in tri.items():
        if n < MIN_TRIGRAM_MASS or g.isascii():
            continue
        c = cost(n / bi[g[:2]])
        if c <= MAX_TRIGRAM_COST:
            rows.append((c, g[:2], g[2]))
    for g, n in bi.items():
        if g.isascii():
            continue
        c = cost(n / uni[g[0]])
        if c <= MAX_BIGRAM_COST:
            rows.append((c, g[0], g[1]))
    rows.sort(key=lambda r: (len(r[1]), r[1], r[2]))
    with open(os.path.join(out_dir, "letter_ngrams.tsv"), "w", encoding="utf-8") as f:
        f.write("# cost<TAB>context+next: letter n-grams of wordfreq 3.1.1 (CC-BY-SA 4.0), "
                "cost = 10 * -ln P(next | context)\n")
        for c, ctx, nxt in rows:
            f.write(f"{c}\t{ctx}{nxt}\n")
    # Words the trigrams alone would get wrong: one of their letters has a
    # dropped-byte twin that another word of the list uses in its place, or
    # that the trigrams like better.
    table = {ctx + nxt: c for c, ctx, nxt in rows}
    kept = {}
    for lang, words in lists.items():
        listed = {w for w, _ in words}
        for word, f in words:
            for i, c in enumerate(word):
                others = [o.lower() for o in groups.get(c, []) if o.lower() != c]
                if not others:
                    continue
                own = trigram_cost(table, word, i, c)
                if any(word[:i] + o + word[i + 1:] in listed or trigram_cost(table, word, i, o) <= own for o in others):
                    kept[word] = max(kept.get(word, 0), f)
                    break
    with open(os.path.join(out_dir, "letter_words.tsv"), "w", encoding="utf-8") as f:
        f.write("# cost<TAB>word: words of wordfreq 3.1.1 (CC-BY-SA 4.0) letter trigrams alone would get wrong "
                "after a dropped byte, cost = 10 * -ln(freq)\n")
        for word, freq in sorted(kept.items(), key=lambda t: -t[1]):
            f.write(f"{cost(freq)}\t{word}\n")


def emoji(out_dir):
    langs = list(wordfreq.available_languages(wordlist="large"))
    share = defaultdict(float)
    for lang in langs:
        freqs = wordfreq.get_frequency_dict(lang, "large")
        for word in freqs:
            # A token of one pictograph, with a variation selector or not.
            base = word.replace("\ufe0f", "")
            if len(base) == 1 and pictographic(base) and unicodedata.category(base) == "So":
                share[base] += freqs[word] / len(langs)
    total = sum(share.values())
    rows = sorted((cost(n / total), c) for c, n in share.items())
    with open(os.path.join(out_dir, "emoji_freq.tsv"), "w", encoding="utf-8") as f:
        f.write("# cost<TAB>symbol: emoji and pictographs as tokens of wordfreq 3.1.1 (CC-BY-SA 4.0), "
                "cost = 10 * -ln(share among them)\n")
        for c, s in rows:
            f.write(f"{c}\t{s}\n")


def main():
    out_dir = sys.argv[1]
    japanese(out_dir)
    letters(out_dir)
    emoji(out_dir)


if __name__ == "__main__":
    main()
