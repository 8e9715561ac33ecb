#!/usr/bin/env python3
"""Build the labelled mojibake set: bench/mojibake/cases.jsonl.

    python3 bench/mojibake/generate.py [--corpus DIR]   (default: $DOCHOST_CORPUS)

Each line is {"id", "kind", "source", "text" (damaged), "expected" (clean)}.
Kinds are damage kinds (cp1252, latin1, cp1254, cp1251, cp1250, gbk,
shift_jis, double, c1, nbsp, lossy) plus `negative`: correct text that must
come back unchanged. Clean texts are the sentences below (written for this
set) and short snippets read from the shared corpus at generation time
(pingcap/docs-cn: CC BY-SA 3.0; rust-lang blog and book: MIT/Apache-2.0;
ethereum/EIPs: CC0); `source` names the file a snippet came from.
"""
import argparse
import glob
import json
import os
import random
import re

WRITTEN = {
    "zh": ["你好，世界！", "版本信息更新报告", "我们今天讨论数据库的性能优化。", "这个功能已经在生产环境中稳定运行。",
           "请先备份数据，然后再升级集群。", "中文文本的编码问题经常出现。", "决策过程需要更多的数据支持。",
           "他说：“明天见。”", "服务网格的资源占用减少了百分之六十。", "文档中的链接已经全部更新。"],
    "ja": ["日本語のテキストです。", "東京は今日も晴れです。", "設定ファイルを確認してください。", "ありがとうございます！",
           "この機能はまだ実験的です。", "データベースの移行が完了しました。"],
    "ru": ["Привет, мир!", "Документация обновлена.", "Поиск по всему сайту", "Съешь же ещё этих мягких французских булок.",
           "Ошибка при чтении файла", "Москва — столица России."],
    "el": ["Καλημέρα κόσμε", "Ελληνικά κείμενα με τόνους", "Η βάση δεδομένων είναι έτοιμη."],
    "tr": ["İstanbul'da güzel bir gün", "Şişli'de çay içtik.", "Ağaçların gölgesinde oturduk.", "Türkçe karakterler: ğüşiöç ĞÜŞİÖÇ"],
    "pl": ["Zażółć gęślą jaźń", "Łódź jest dużym miastem.", "Proszę sprawdzić źródło."],
    "cs": ["Příliš žluťoučký kůň úpěl ďábelské ódy.", "Čeština a slovenčina"],
    "fr": ["Ça va très bien, merci.", "L’été à Paris est magnifique.", "Où est la bibliothèque ?", "Voilà à quoi ça sert.",
           "Crème brûlée et café au lait", "Il est à la maison.", "À demain, à bientôt !", "Je pense à toi.",
           "C’est déjà à moi."],
    "de": ["Größe und Übermaß", "Grüße aus München!", "Die Straße ist sehr schön.", "Äpfel, Öl und Übungen"],
    "pt": ["São Paulo é uma cidade enorme.", "Ação e reação", "A informação está disponível.", "Não há problema."],
    "es": ["¿Dónde está la estación?", "La música española", "Mañana será otro día.", "química y física"],
    "emoji": ["Done ✅", "Deploy 🚀 now", "Great work 🎉👍", "Status: ⚠️ pending", "Ship it 📦"],
    "punct": ["It’s “quoted” — really…", "Range 1–10 • item", "He said ‘hi’ — twice.", "Price: €20 … or £18",
              "Temperature: 20 °C ± 2", "© 2024 Acme™"],
}

# Correct texts that look like mojibake to a naive detector.
TRICKY = ["SÃO PAULO", "naïve café", "ğış", "½ × ≥ ±", "«ÉTÉ»", "дії", "ВІДПОВІДЬ", "Ça, c’est «vrai»",
          "MÜNCHEN — GRÖSSE", "ÀÉÎÕÜ", "Größe: 5×3 m²", "Å", "Ærø og Ærøskøbing", "Þór and Ðóra", "1½ cups", "x² + y³",
          "Σ ≈ ∞", "ÑANDÚ", "PORTUGUÊS", "é…", "Ô ciel!", "LÀ-BAS", "AÇÃO", "NÃO", "Çağ", "ÇAĞ", "Ωμέγα", "Ёлка",
          "Ђорђе Ђурђевић", "Љубљана", "Џон", "ﬁle ligature", "ＡＢＣ fullwidth", "Ǎ ǎ pinyin", "Bäckerei®", "Bäckerei™"]

SINGLE = {"cp1252": "cp1252", "latin1": "latin-1", "cp1254": "cp1254", "cp1251": "cp1251", "cp1250": "cp1250"}
DROPPED = {"cp1252": {0x81, 0x8D, 0x8F, 0x90, 0x9D}, "cp1254": {0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E}}


def sloppy(data, page):
    """Decode like Windows: bytes the page lacks become C1 controls."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(page))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def damage(kind, clean):
    """The damaged form of `clean`, or None when the kind does not apply."""
    raw = clean.encode("utf-8")
    if raw.isascii():
        return None
    try:
        if kind in SINGLE:
            return raw.decode(SINGLE[kind])
        if kind == "gbk":
            return raw.decode("gbk")
        if kind == "shift_jis":
            return raw.decode("cp932")
        if kind == "double":
            once = raw.decode("cp1252")
            return once.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return None
    if kind == "c1":
        text = sloppy(raw, "cp1252")
        return text if any(0x80 <= ord(c) < 0xA0 for c in text) else None
    if kind == "nbsp":
        if 0xA0 not in raw or any(b in DROPPED["cp1252"] for b in raw):
            return None
        return raw.decode("cp1252").replace("\u00a0", " ")
    if kind == "lossy":
        page = random.choice(["cp1252", "cp1254"])
        kept = bytes(b for b in raw if b not in DROPPED[page] and b != 0xAD)
        if kept == raw:
            return None
        return kept.decode(page)
    return None


def corpus_snippets(root):
    """Short lines with non-ASCII text from the corpus."""
    out = []
    patterns = [("pingcap-docs-cn", "zh", r"[\u4e00-\u9fff]"), ("rust-lang-blog.rust-lang.org", "en", r"[^\x00-\x7f]"),
                ("rust-lang-book", "en", r"[^\x00-\x7f]"), ("ethereum-EIPs", "en", r"[^\x00-\x7f]")]
    for sub, lang, pat in patterns:
        files = sorted(glob.glob(os.path.join(root, sub, "**", "*.md"), recursive=True))
        random.shuffle(files)
        found = 0
        for path in files[:400]:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    line = line.strip()
                    # Prose only: no markup-heavy or long lines.
                    if not 8 <= len(line) <= 60 or re.search(r"[`<>|\[\]{}*#_\\]", line) or not re.search(pat, line):
                        continue
                    out.append((lang, line, os.path.relpath(path, root)))
                    found += 1
                    break
            if found >= (60 if lang == "zh" else 20):
                break
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("DOCHOST_CORPUS", "../shared/corpus"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "cases.jsonl"))
    args = ap.parse_args()
    random.seed(20261129)
    clean = [(lang, t, "written") for lang, texts in WRITTEN.items() for t in texts]
    if os.path.isdir(args.corpus):
        clean += corpus_snippets(args.corpus)
    cases = []

    def add(kind, text, expected, source):
        cases.append({"id": len(cases), "kind": kind, "source": source, "text": text, "expected": expected})

    kinds = ["cp1252", "latin1", "cp1254", "cp1251", "cp1250", "gbk", "shift_jis", "double", "c1", "nbsp", "lossy"]
    for lang, text, source in clean:
        for kind in kinds:
            bad = damage(kind, text)
            if bad is None or bad == text:
                continue
            # A third of the cases hide the damage inside clean text.
            if random.random() < 0.33:
                pre, post = random.choice([("Note: ", " (see above)"), ("参见 ", " 一节"), ("— ", " —"), ("“", "”")])
                add(kind, pre + bad + post, pre + text + post, source)
            else:
                add(kind, bad, text, source)
        add("negative", text, text, source)
    for text in TRICKY:
        add("negative", text, text, "written")
    with open(args.out, "w", encoding="utf-8") as f:
        for case in cases:
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    counts = {}
    for case in cases:
        counts[case["kind"]] = counts.get(case["kind"], 0) + 1
    print(f"{len(cases)} cases -> {args.out}: {counts}")


if __name__ == "__main__":
    main()
