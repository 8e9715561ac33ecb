#!/usr/bin/env python3
"""Build the labelled mojibake set: bench/mojibake/cases.jsonl.

    python3 bench/mojibake/generate.py [--jieba-sdist jieba-0.42.1.tar.gz]

Each line is {"id", "kind", "source", "text" (damaged), "expected" (clean)}.
Kinds are damage kinds (cp1252, latin1, cp1254, cp1251, cp1250, gbk,
shift_jis, double, c1, nbsp, lossy; gbk_latin1 and sjis_cp1252 for text in
GBK or Shift_JIS read as Latin-1 or cp1252; lossy_cyr, lossy_ja and
lossy_emoji for lost bytes in Cyrillic, Japanese and emoji) plus `negative`: correct text
that must come back unchanged. Clean texts are the sentences below (written for this
set) and the Chinese sentences of jieba 0.42.1's source distribution (its
tests and package description; MIT, Copyright (c) 2013 Sun Junyi), fetched
from PyPI with `pip download` into bench/.cache at generation time;
`source` names the file a sentence came from. Nothing comes from the shared
corpus: evaluation sets are drawn from it, so a set built from it would
measure the plugin on text it may have been tuned on.
"""
import argparse
import json
import os
import random
import re
import subprocess
import tarfile

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
    "en": ["The café’s naïve façade — rebuilt in 1998 — still stands.", "Use “--force” only when you’re sure…",
           "Latency fell from 12 ms → 4 ms (≈ 3× faster).", "Résumé, rôle and déjà vu are loanwords.",
           "Don’t mix tabs and spaces; it’s “legal” but confusing.", "Zoë and Noël wrote the release notes.",
           "Temperatures range from −20 °C to 45 °C.", "The ‘beta’ channel ships every Tuesday — usually.",
           "Size: 3 × 4 px; ratio ≥ 0.75; cost ≤ €5.", "See § 4.2 ¶ 3 for the full rule.",
           "Ångström, Øresund and Ærø are Nordic names.", "He wrote: “It works… mostly.”",
           "Step 1 • Install • Step 2 • Configure", "Naïve Bayes is still a strong baseline.",
           "The mañana problem: everything is due “tomorrow”.", "Piñata, jalapeño and señor are Spanish words."],
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


# Text saved in a legacy CJK encoding, its bytes read as Latin-1 or
# cp1252 (bytes cp1252 lacks kept as C1 controls) and saved as UTF-8.
LEGACY = {"gbk_latin1": ("zh", "gbk"), "sjis_cp1252": ("ja", "cp932")}


def legacy_damage(kind, lang, clean, rng):
    """`clean` in the kind's legacy encoding read as a Western code page,
    or None when the kind does not apply."""
    want_lang, encoding = LEGACY[kind]
    if lang != want_lang:
        return None
    try:
        raw = clean.encode(encoding)
    except UnicodeEncodeError:
        return None
    if kind == "gbk_latin1" and rng.random() < 0.5:
        return raw.decode("latin-1")
    return sloppy(raw, "cp1252")


# Sentences written for the lost-byte cases of Cyrillic, Japanese and
# emoji (2026-12-06, after the wordfreq models were built; nothing in the
# models comes from them): each kind `lossy_<set>` below.
LOST = {
    "cyr": ["Система резервного копирования запускается каждую ночь.", "Я не знаю, почему сервер перестал отвечать.",
            "Эта страница описывает настройку сети.", "Сначала установите зависимости, затем соберите проект.",
            "Ссылка на статью устарела и ведёт в пустоту.", "Эксперты считают, что ошибка связана с памятью.",
            "Новая версия исправляет уязвимость в модуле авторизации.", "Сохраните изменения и перезапустите службу.",
            "Ця стаття пояснює, як налаштувати сервер.", "Спробуйте ще раз через кілька хвилин.",
            "Системата се рестартира след всяка актуализация.", "Моля, изпратете ни съобщение за грешката."],
    "ja": ["サーバーの設定を変更しました。", "このページは現在メンテナンス中です。",
           "ログインに失敗した場合は管理者に連絡してください。", "新しいバージョンをダウンロードできます。",
           "ネットワークの接続を確認してから再試行してください。", "データはすべて暗号化されて保存されます。",
           "詳しくはドキュメントを参照してください。", "エラーが発生したため、処理を中断しました。"],
    "emoji": ["Release shipped 🎯 on time", "Build is running ⏳ please wait", "All tests pass ✅ 🎉",
              "Thanks for the review 👍 👏", "Hot fix 🔥 deployed", "Happy birthday 🎂 🎈", "Bug found 🐛 in parser",
              "Coffee break ☕ then standup", "Love this ❤️ feature", "Watch out ⚠️ breaking change",
              "Idea 💡 for next sprint", "Moving to the new office 🏢 next week"],
}


def lost_bytes(clean, rng):
    """`clean` as UTF-8 read with cp1252 or cp1254 by a decoder that drops
    the bytes the page lacks (and soft hyphens), or None if none was lost."""
    raw = clean.encode("utf-8")
    for page in rng.sample(["cp1252", "cp1254"], 2):
        kept = bytes(b for b in raw if b not in DROPPED[page] and b != 0xAD)
        if kept != raw:
            return kept.decode(page)
    return None


def jieba_sentences(sdist):
    """Chinese sentences of jieba's source distribution: string literals in
    its tests and lines of its package description."""
    out, seen = [], set()
    with tarfile.open(sdist) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not (member.name.endswith(".py") or member.name.endswith("PKG-INFO")):
                continue
            text = tar.extractfile(member).read().decode("utf-8", errors="replace")
            candidates = re.findall(r'["“]([^"”\n]{8,60})["”]', text) + text.splitlines()
            for line in candidates:
                line = line.strip().strip("-\"', ")
                if not 8 <= len(line) <= 60 or re.search(r"[`<>|\[\]{}*#_\\=/()%]", line):
                    continue
                if len(re.findall(r"[\u4e00-\u9fff]", line)) < 6 or line in seen:
                    continue
                seen.add(line)
                out.append(("zh", line, "jieba-0.42.1/" + member.name.split("/", 1)[-1]))
    return out


def fetch_jieba(cache):
    """jieba 0.42.1's sdist, downloaded from PyPI into `cache` once."""
    path = os.path.join(cache, "jieba-0.42.1.tar.gz")
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        subprocess.run(["pip", "download", "-q", "jieba==0.42.1", "--no-deps", "--no-binary", ":all:", "-d", cache],
                       check=True)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jieba-sdist", help="jieba-0.42.1.tar.gz (default: downloaded into bench/.cache)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "cases.jsonl"))
    args = ap.parse_args()
    random.seed(20261129)
    clean = [(lang, t, "written") for lang, texts in WRITTEN.items() for t in texts]
    cache = os.environ.get("DOCHOST_BENCH_CACHE", os.path.join(os.path.dirname(__file__), "..", ".cache"))
    clean += jieba_sentences(args.jieba_sdist or fetch_jieba(cache))
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
    # Legacy CJK encodings read as a Western code page, added after the
    # cases above with a random generator of their own, so those keep
    # their ids and texts.
    legacy_random = random.Random(20261206)
    for lang, text, source in clean:
        for kind in LEGACY:
            bad = legacy_damage(kind, lang, text, legacy_random)
            if bad is None or bad == text:
                continue
            if legacy_random.random() < 0.33:
                pre, post = legacy_random.choice([("Note: ", " (see above)"), ("— ", " —"), ("“", "”")])
                add(kind, pre + bad + post, pre + text + post, source)
            else:
                add(kind, bad, text, source)
    # Lost bytes of Cyrillic letters, Japanese and emoji, added after the
    # cases above with a random generator of their own.
    lost_random = random.Random(20261207)
    for name, texts in LOST.items():
        for text in texts:
            bad = lost_bytes(text, lost_random)
            if bad is not None:
                if lost_random.random() < 0.33:
                    pre, post = lost_random.choice([("Note: ", " (see above)"), ("— ", " —"), ("“", "”")])
                    add("lossy_" + name, pre + bad + post, pre + text + post, "written")
                else:
                    add("lossy_" + name, bad, text, "written")
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
