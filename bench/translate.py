#!/usr/bin/env python3
"""Translation round trips side by side: dochost's translate plugin, mdpo,
po4a and translate-toolkit on the same Markdown files.

    python3 bench/translate.py [CORPUS] [--limit N] [--bin target/release/dochost]

CORPUS defaults to $DOCHOST_CORPUS, else ../shared/corpus. Its *.md and
*.markdown files are listed sorted and --limit N (default 300) of them are
taken evenly spaced (every k-th file), then copied into a scratch directory
that every tool reads. For each tool:

1. extract a template (dochost: one messages.pot for the run; mdpo, po4a:
   one per file; translate-toolkit: one per file, from the whole directory);
2. apply it untranslated, as it is (empty msgstr) and with msgstr = msgid,
   and count the files that come out byte-identical to the input;
3. apply a pseudo-translation (every msgstr is its msgid with ASCII vowels
   accented; the tool's placeholders and tags, inline code, backslash
   escapes, link destinations and labels, URLs, e-mail addresses, entities
   and anything holding a digit are copied as they are; a code block that a
   tool offers as a message and marks as one, as po4a does, is copied whole)
   and count the files whose structure is kept: the same sequence of block
   tokens (type and tag), the same code block and code span contents and the
   same link and image URLs, as markdown-it-py (CommonMark + tables,
   strikethrough, front matter, footnotes) parses them;
4. time extract + apply of the pseudo-translation (wall clock, one run).

The tools come from PyPI into venvs under the cache directory
($DOCHOST_BENCH_CACHE, else bench/.cache, which ignores itself in git):
mdpo, translate-toolkit[markdown] (two venvs: both install `md2po` and
`po2md`) and markdown-it-py with mdit-py-plugins; po4a from Debian
(`apt-get install po4a`, as root). A tool that cannot be installed or does
not run gets a row saying why. --no-install uses only what is there.

dochost runs `target/release/dochost` (built with `cargo build --release -p
dochost` if missing); when that binary has no built-in `translate`, the
plugin's wasm is built (`cargo build -p dochost-plugin-translate --release
--target wasm32-wasip2`) and passed by path. Not part of CI: a benchmark.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("DOCHOST_BENCH_CACHE") or os.path.join(ROOT, "bench", ".cache")
WASM = os.path.join(ROOT, "target", "wasm32-wasip2", "release", "dochost_plugin_translate.wasm")
PARSE_PACKAGES = ["markdown-it-py", "mdit-py-plugins"]


def note(message):
    print(f"translate.py: {message}", file=sys.stderr, flush=True)


def short(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------- installing


def ensure_cache():
    os.makedirs(CACHE, exist_ok=True)
    ignore = os.path.join(CACHE, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as f:
            f.write("*\n")


def venv(name, packages, install):
    """The bin directory of a venv holding `packages`, or (None, why)."""
    path = os.path.join(CACHE, name)
    stamp = os.path.join(path, "installed.txt")
    wanted = " ".join(packages)
    if os.path.exists(stamp) and open(stamp).read().strip() == wanted:
        return os.path.join(path, "bin"), None
    if not install:
        return None, f"not installed ({wanted}) and --no-install given"
    note(f"installing {wanted} from PyPI into {path}")
    proc = subprocess.run([sys.executable, "-m", "venv", "--clear", path], capture_output=True, text=True)
    if proc.returncode != 0:
        return None, "python3 -m venv failed: " + short(proc.stderr)
    proc = subprocess.run([os.path.join(path, "bin", "pip"), "install", "-q", *packages], capture_output=True, text=True)
    if proc.returncode != 0:
        return None, f"pip install {wanted} failed: " + short(proc.stderr.strip().splitlines()[-1:] or proc.stdout)
    with open(stamp, "w") as f:
        f.write(wanted + "\n")
    return os.path.join(path, "bin"), None


def po4a(install):
    """Debian's po4a: (True, None) or (False, why)."""
    if shutil.which("po4a-translate") and shutil.which("po4a-updatepo"):
        return True, None
    if not install:
        return False, "po4a not installed and --no-install given"
    if not shutil.which("apt-get"):
        return False, "po4a not installed and no apt-get here"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return False, "po4a not installed; apt-get needs root and there is no sudo"
    note("installing po4a from Debian (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install_cmd = prefix + ["apt-get", "install", "-y", "-q", "po4a"]
    proc = subprocess.run(install_cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        subprocess.run(prefix + ["apt-get", "update", "-q"], capture_output=True, text=True, env=env)
        proc = subprocess.run(install_cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not shutil.which("po4a-translate"):
        return False, "apt-get install po4a failed: " + short(proc.stderr or proc.stdout)
    return True, None


# ---------------------------------------------------------------- PO files


def unquote(s):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError(f"not a PO string: {s!r}")
    out, i, body = [], 0, s[1:-1]
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"'


KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


def po_parse(text):
    """Entries as (comment lines, [[keyword, value], ...]); obsolete `#~`
    entries stay comments."""
    entries, comments, fields = [], [], []

    def flush():
        nonlocal comments, fields
        if comments or fields:
            entries.append((comments, fields))
        comments, fields = [], []

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            if fields:
                flush()
            comments.append(line)
        elif stripped.startswith('"'):
            fields[-1][1] += unquote(stripped)
        else:
            m = KEYWORD.match(stripped)
            if not m:
                raise ValueError(f"unexpected PO line: {line!r}")
            if m.group(1) in ("msgctxt", "msgid") and any(k.startswith("msgid") for k, _ in fields):
                flush()
            fields.append([m.group(1), unquote(m.group(2))])
    flush()
    return entries


def po_write(entries):
    out = []
    for comments, fields in entries:
        out.extend(comments)
        out.extend(f"{k} {quote(v)}" for k, v in fields)
        out.append("")
    return "\n".join(out)


def catalog(template_text, translate_all):
    """The template with each msgstr set to translate(msgid), or left empty
    when translate is None. The header's placeholder charset becomes UTF-8
    and its fuzzy flag goes, so that every tool reads the catalog as UTF-8."""
    entries = po_parse(template_text)
    for comments, fields in entries:
        translate = translate_all
        values = dict((k, v) for k, v in fields)
        if values.get("msgid") == "" and "msgctxt" not in values:
            comments[:] = [c for c in comments if not re.match(r"#,\s*fuzzy\s*$", c)]
            for field in fields:
                if field[0] == "msgstr":
                    field[1] = field[1].replace("charset=CHARSET", "charset=UTF-8")
            continue
        if translate is None:
            continue
        # A code block that the tool offers and marks as one (po4a's
        # `#. type: Fenced code block`): a translator leaves it as it is.
        if any(re.match(r"#\.\s*type:.*code block", c, re.I) for c in comments):
            translate = lambda s: s
        for field in fields:
            if field[0] == "msgstr" or field[0] == "msgstr[0]":
                field[1] = translate(values["msgid"])
            elif field[0].startswith("msgstr["):
                field[1] = translate(values.get("msgid_plural", values["msgid"]))
    return po_write(entries)


# ---------------------------------------------------------------- pseudo-translation

# What a translator must copy as it is, in every tool's syntax: inline code,
# footnote references, tags (dochost's <1>…</1> and <2/>, HTML, autolinks),
# translate-toolkit's {1}, link destinations and reference labels (mdpo and
# po4a keep inline Markdown in the message), the labels of link reference
# definitions (po4a offers them as text), URLs, e-mail addresses,
# backslash escapes, entities and anything holding a digit.
PROTECTED = re.compile(
    r"""(`+).*?(?<!`)\1(?!`)
    | ^[ ]{0,3}\[[^\[\]]+\]:
    | \[\^[^\]\s]+\]
    | <[^<>\s][^<>]*>
    | \{\d+\}
    | \]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)
    | \]\[[^\[\]]*\]
    | (?:https?|ftp)://[^\s<>()\[\]"'`]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | \\.
    | &(?:\#\w+|\w+);
    | \b\w*\d\w*\b
    """,
    re.X | re.S | re.M,
)
ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


def pseudo(msgid):
    out, at = [], 0
    for m in PROTECTED.finditer(msgid):
        out.append(msgid[at : m.start()].translate(ACCENTS))
        out.append(m.group(0))
        at = m.end()
    out.append(msgid[at:].translate(ACCENTS))
    return "".join(out)


# ---------------------------------------------------------------- structure


def parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    try:
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        md.use(front_matter_plugin).use(footnote_plugin)
    except ImportError:
        pass
    return md


def structure(md, text):
    """Block tokens (type and tag), code block and span contents, link and
    image URLs, in order."""
    blocks, code, urls = [], [], []
    for token in md.parse(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "code_inline":
                    code.append(child.content)
                elif child.type == "link_open":
                    urls.append(child.attrGet("href"))
                elif child.type == "image":
                    urls.append(child.attrGet("src"))
            continue
        if token.nesting == -1:
            continue
        blocks.append(f"{token.type}:{token.tag}")
        if token.type in ("fence", "code_block"):
            code.append(token.content)
    return blocks, code, urls


# ---------------------------------------------------------------- tools


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class Tool:
    """A tool: extract(src, files, pot_dir) writes templates under pot_dir
    and apply(src, files, po_dir, out) writes the translated files under out
    with the same relative paths. Both return a list of failures."""

    name = ""

    def templates(self, pot_dir):
        found = []
        for dirpath, _, names in os.walk(pot_dir):
            found += [os.path.relpath(os.path.join(dirpath, n), pot_dir) for n in names if n.endswith((".po", ".pot"))]
        return sorted(found)


class Dochost(Tool):
    name = "dochost translate"

    def __init__(self, binary, plugin):
        self.binary, self.plugin = binary, plugin

    def extract(self, src, files, pot_dir):
        proc = run([self.binary, "run", self.plugin, "--check", "--hidden", "-q", "--artifacts", pot_dir, src])
        if not os.path.exists(os.path.join(pot_dir, "messages.pot")):
            return [f"extract: exit {proc.returncode}: {short(proc.stderr)}"]
        return []

    def apply(self, src, files, po_dir, out):
        cat = os.path.join(po_dir, "messages.pot")
        proc = run([self.binary, "run", self.plugin, "--hidden", "--allow-read", cat, "--set", f"translate.catalog={cat}",
                    "--set", "translate.template=", "--out-dir", out, src])
        self.refused = proc.stderr.count("translation-refused")
        if proc.returncode not in (0, 1):
            return [f"apply: exit {proc.returncode}: {short(proc.stderr)}"]
        return []


class Mdpo(Tool):
    name = "mdpo"

    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.version = run([os.path.join(bin_dir, "md2po"), "--version"]).stdout.strip()

    def extract(self, src, files, pot_dir):
        failures = []
        for rel in files:
            pot = os.path.join(pot_dir, rel + ".po")
            os.makedirs(os.path.dirname(pot), exist_ok=True)
            proc = run([os.path.join(self.bin, "md2po"), os.path.join(src, rel), "-q", "-w", "inf", "-s", "-p", pot])
            if proc.returncode != 0 or not os.path.exists(pot):
                failures.append(f"{rel}: md2po exit {proc.returncode}: {short(proc.stderr)}")
        return failures

    def apply(self, src, files, po_dir, out):
        failures = []
        for rel in files:
            po, target = os.path.join(po_dir, rel + ".po"), os.path.join(out, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.exists(po):
                continue
            proc = run([os.path.join(self.bin, "po2md"), os.path.join(src, rel), "-q", "-w", "inf", "-p", po, "-s", target])
            if proc.returncode != 0:
                failures.append(f"{rel}: po2md exit {proc.returncode}: {short(proc.stderr)}")
        return failures


class Po4a(Tool):
    name = "po4a"

    def __init__(self):
        self.version = run(["po4a-translate", "--version"]).stdout.strip().splitlines()[0]

    def extract(self, src, files, pot_dir):
        # po4a 0.69's po4a-gettextize wants a translated file beside each
        # master and sends you to po4a-updatepo to extract a template.
        failures = []
        for rel in files:
            pot = os.path.join(pot_dir, rel + ".pot")
            os.makedirs(os.path.dirname(pot), exist_ok=True)
            proc = run(["po4a-updatepo", "-f", "text", "-o", "markdown", "-o", "neverwrap", "-M", "UTF-8", "-m", os.path.join(src, rel), "-p", pot])
            if not os.path.exists(pot):
                failures.append(f"{rel}: po4a-updatepo exit {proc.returncode}: {short(proc.stderr)}")
        return failures

    def apply(self, src, files, po_dir, out):
        failures = []
        for rel in files:
            po, target = os.path.join(po_dir, rel + ".pot"), os.path.join(out, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if not os.path.exists(po):
                continue
            # -k 0: write the file however little of it is translated.
            proc = run(["po4a-translate", "-f", "text", "-o", "markdown", "-o", "neverwrap", "-M", "UTF-8", "-L", "UTF-8", "-k", "0",
                        "-m", os.path.join(src, rel), "-p", po, "-l", target])
            if not os.path.exists(target):
                failures.append(f"{rel}: po4a-translate exit {proc.returncode}: {short(proc.stderr)}")
        return failures


class Toolkit(Tool):
    name = "translate-toolkit"

    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.version = run([os.path.join(bin_dir, "md2po"), "--version"]).stdout.strip()

    def extract(self, src, files, pot_dir):
        # --no-code-blocks: code blocks stay out of the catalog, as in dochost.
        proc = run([os.path.join(self.bin, "md2po"), "--progress=none", "--no-code-blocks", "-i", src, "-o", pot_dir])
        if proc.returncode != 0:
            return [f"md2po exit {proc.returncode}: {short(proc.stderr)}"]
        return []

    def apply(self, src, files, po_dir, out):
        proc = run([os.path.join(self.bin, "po2md"), "--progress=none", "--no-code-blocks", "-m", "0", "-i", po_dir, "-t", src, "-o", out])
        if proc.returncode != 0:
            return [f"po2md exit {proc.returncode}: {short(proc.stderr)}"]
        return []


def dochost_tool(args):
    """(Tool, None) or (None, why); builds what is missing."""
    binary = args.bin
    if not os.path.exists(binary):
        note(f"{binary} is missing: building it with `cargo build --release -p dochost`")
        proc = subprocess.run(["cargo", "build", "--release", "-q", "-p", "dochost"], cwd=ROOT)
        if proc.returncode != 0 or not os.path.exists(binary):
            return None, "cargo build --release -p dochost failed"
    plugin = args.plugin or "translate"
    with tempfile.TemporaryDirectory() as empty:
        probe = run([binary, "run", plugin, "--check", "-q", empty])
        if plugin == "translate" and "no plugin named" in probe.stderr:
            note(f"{binary} has no built-in translate plugin: building the wasm "
                 "(cargo build -p dochost-plugin-translate --release --target wasm32-wasip2) and running it by path")
            proc = subprocess.run(["cargo", "build", "-q", "-p", "dochost-plugin-translate", "--release", "--target", "wasm32-wasip2"], cwd=ROOT)
            if proc.returncode != 0 or not os.path.exists(WASM):
                return None, "the binary has no built-in translate and building the plugin's wasm failed"
            plugin = WASM
            # Warm-up: fills the compiled-plugin cache, so that the timed runs don't compile.
            probe = run([binary, "run", plugin, "--check", "-q", empty])
        if probe.returncode not in (0, 1):
            return None, f"`dochost run {plugin}` fails: {short(probe.stderr)}"
    tool = Dochost(binary, plugin)
    tool.version = ("built-in translate" if plugin == "translate" else os.path.relpath(plugin, ROOT))
    return tool, None


# ---------------------------------------------------------------- the run


def sample(corpus, limit):
    files = []
    for dirpath, dirnames, names in os.walk(corpus):
        dirnames.sort()
        files += [os.path.relpath(os.path.join(dirpath, n), corpus) for n in names if n.endswith((".md", ".markdown"))]
    files.sort()
    if limit and len(files) > limit:
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    return files


def bench(tool, src, files, work, md, inputs):
    """The row's counts, or raises RuntimeError with why."""
    base = os.path.join(work, tool.name.replace(" ", "-"))
    pot_dir = os.path.join(base, "templates")
    os.makedirs(pot_dir)
    start = time.perf_counter()
    failures = tool.extract(src, files, pot_dir)
    extract_time = time.perf_counter() - start
    templates = tool.templates(pot_dir)
    if not templates:
        raise RuntimeError("no template extracted: " + "; ".join(failures[:2]))
    row = {"extract failures": len(failures), "failure examples": failures[:2]}
    variants = {"empty": None, "identity": lambda s: s, "pseudo": pseudo}
    for variant, translate in variants.items():
        po_dir = os.path.join(base, variant + "-po")
        for rel in templates:
            with open(os.path.join(pot_dir, rel), encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
            os.makedirs(os.path.dirname(os.path.join(po_dir, rel)), exist_ok=True)
            with open(os.path.join(po_dir, rel), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(catalog(text, translate))
        out = os.path.join(base, variant + "-out")
        os.makedirs(out)
        start = time.perf_counter()
        failed = tool.apply(src, files, po_dir, out)
        elapsed = time.perf_counter() - start
        row[f"{variant} apply failures"] = len(failed)
        row["failure examples"] += failed[:1]
        identical = kept = changed = 0
        for rel in files:
            path = os.path.join(out, rel)
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                output = f.read()
            identical += output == inputs[rel]
            changed += output != inputs[rel]
            if variant == "pseudo":
                kept += structure(md, output.decode("utf-8", "replace")) == structure(md, inputs[rel].decode("utf-8", "replace"))
        row[variant] = identical
        if variant == "pseudo":
            row["structure"] = kept
            row["pseudo changed"] = changed
            row["time"] = extract_time + elapsed
        if getattr(tool, "refused", None) is not None:
            row[f"{variant} refused"] = tool.refused
    return row


def main():
    default_corpus = os.environ.get("DOCHOST_CORPUS") or os.path.join(ROOT, "..", "shared", "corpus")
    parser_ = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser_.add_argument("corpus", nargs="?", default=default_corpus)
    parser_.add_argument("--limit", type=int, default=300, help="files taken, evenly spaced in sorted order (0: all)")
    parser_.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "dochost"))
    parser_.add_argument("--plugin", help="the translate plugin: a .wasm path (default: built-in, else the built wasm)")
    parser_.add_argument("--tools", default="dochost,mdpo,po4a,translate-toolkit", help="comma-separated subset")
    parser_.add_argument("--no-install", action="store_true", help="install nothing; skip what is absent")
    parser_.add_argument("--keep", action="store_true", help="keep the scratch directory and say where")
    args = parser_.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"translate.py: no corpus at {args.corpus}: give a directory of Markdown files or set DOCHOST_CORPUS")
    ensure_cache()
    install = not args.no_install

    # markdown-it-py: this script goes on in the venv that has it.
    parse_bin, why = venv("venv-parse", PARSE_PACKAGES, install)
    if parse_bin is None:
        sys.exit(f"translate.py: cannot compare structure without markdown-it-py: {why}")
    if os.path.realpath(sys.prefix) != os.path.realpath(os.path.dirname(parse_bin)):
        python = os.path.join(parse_bin, "python")
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])
    md = parser()

    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    tools = []  # (name, tool or None, why)
    for name in wanted:
        tool, why = None, None
        label = {"dochost": "dochost translate"}.get(name, name)
        try:
            if name == "dochost":
                tool, why = dochost_tool(args)
            elif name == "mdpo":
                bin_dir, why = venv("venv-mdpo", ["mdpo"], install)
                tool = bin_dir and Mdpo(bin_dir)
            elif name == "po4a":
                ok, why = po4a(install)
                tool = ok and Po4a() or None
            elif name == "translate-toolkit":
                bin_dir, why = venv("venv-ttk", ["translate-toolkit[markdown]"], install)
                tool = bin_dir and Toolkit(bin_dir)
            else:
                why = "unknown tool"
        except (OSError, IndexError) as e:
            tool, why = None, f"does not run: {e}"
        tools.append((label, tool, why))

    files = sample(args.corpus, args.limit)
    work = tempfile.mkdtemp(prefix="dochost-bench-translate-")
    src = os.path.join(work, "src")
    inputs = {}
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(args.corpus, rel), os.path.join(src, rel))
        with open(os.path.join(src, rel), "rb") as f:
            inputs[rel] = f.read()
    size = sum(len(b) for b in inputs.values())
    note(f"{len(files)} files ({size / 1e6:.1f} MB) from {args.corpus}, scratch {work}")

    rows = []
    for name, tool, why in tools:
        if tool is None:
            note(f"{name}: skipped: {why}")
            rows.append((name, None, why))
            continue
        note(f"{name} ({tool.version}): running")
        try:
            rows.append((name, bench(tool, src, files, work, md, inputs), tool.version))
        except (RuntimeError, OSError, ValueError) as e:
            rows.append((name, None, f"failed: {short(e)}"))
            note(f"{name}: failed: {e}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

    n = len(files)
    print(f"corpus: {args.corpus}: {n} of its Markdown files ({size / 1e6:.1f} MB), {os.cpu_count()} cores\n")
    print("| tool | files | byte-identical (empty) | byte-identical (msgstr=msgid) | structure kept (pseudo) | time (extract + apply) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    pct = lambda k: f"{k}/{n} ({100 * k / n:.1f}%)" if n else "0/0"
    for name, row, info in rows:
        if row is None:
            reason = info if info.startswith("failed") else f"skipped: {info}"
            print(f"| {name} | {n} | {reason} | | | |")
        else:
            print(f"| {name} | {n} | {pct(row['empty'])} | {pct(row['identity'])} | {pct(row['structure'])} | {row['time']:.1f} s |")
    print()
    for name, row, info in rows:
        if row is None:
            continue
        parts = [info, f"pseudo-translation changed {row['pseudo changed']}/{n} files"]
        failures = sum(row.get(k, 0) for k in ("extract failures", "empty apply failures", "identity apply failures", "pseudo apply failures"))
        if failures:
            parts.append(f"{failures} failed runs (extract {row['extract failures']}, apply empty {row['empty apply failures']}, "
                         f"msgstr=msgid {row['identity apply failures']}, pseudo {row['pseudo apply failures']}), e.g. "
                         + " | ".join(row["failure examples"][:2]))
        if "pseudo refused" in row:
            parts.append(f"messages refused: msgstr=msgid {row['identity refused']}, pseudo {row['pseudo refused']}")
        print(f"- {name}: " + "; ".join(parts))


if __name__ == "__main__":
    main()
