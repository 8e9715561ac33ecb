"""Curls straight quotes in prose: "quoted" becomes “quoted” and it's becomes
it’s. The Python port of plugins/smart-quotes; it makes the same edits, byte
for byte. Only text nodes are touched, so code, HTML and URLs stay as they are.
"""

import dochost_pdk as pdk
from dochost_pdk import LinkKind, NodeKind

# Rust's `char::is_whitespace` (Unicode White_Space). Python's `str.isspace`
# also counts U+001C..U+001F, so spell the set out.
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# After these (or at the start of a block) a quote opens.
OPENERS = frozenset("([{<—–-")
BLOCKS = (NodeKind.PARAGRAPH, NodeKind.HEADING, NodeKind.TABLE_CELL)


class SmartQuotes(pdk.Plugin):
    @staticmethod
    def describe():
        return (
            pdk.PluginInfo("smart-quotes", "0.1.0", "Curl straight quotes in prose")
            .option("double", "opening and closing double quotes", "“”")
            .option("single", "opening and closing single quotes", "‘’")
        )

    @classmethod
    def open(cls, config):
        return cls(quote_pair(config, "double", "“”"), quote_pair(config, "single", "‘’"))

    def __init__(self, double, single):
        self.double = double
        self.single = single

    def transform(self, doc):
        out = pdk.Output()
        # The character before a node decides whether a quote at its start
        # opens or closes, so carry it across the text nodes of a block.
        previous = None
        block = None
        for id in doc.ids_of(NodeKind.TEXT):
            parent_block = next((a for a in doc.ancestors(id) if doc.kind(a) in BLOCKS), None)
            if parent_block != block:
                previous = None
                block = parent_block
            if follows_line_break(doc, id):
                previous = "\n"
            text = doc.text(id)
            curled = curl(text, previous, self.double, self.single)
            if text:
                previous = text[-1]
            # An autolink's text is its URL.
            if curled != text and not is_autolink_text(doc, id):
                out.set_text(id, curled).because("straight quotes curled")
        return out


def follows_line_break(doc, id):
    """Whether the node comes right after a soft or hard line break, where a
    quote opens."""
    parent = doc.parent(id)
    if parent is None:
        return False
    siblings = doc.children(parent)
    position = siblings.index(id)
    return position > 0 and doc.kind(siblings[position - 1]) in (NodeKind.SOFT_BREAK, NodeKind.HARD_BREAK)


def is_autolink_text(doc, id):
    parent = doc.parent(id)
    return parent is not None and doc.node(parent).link_kind in (LinkKind.AUTOLINK, LinkKind.EMAIL)


def quote_pair(config, key, default):
    value = config.get_or(key, default)
    if len(value) != 2:
        raise pdk.PluginError(f"option `{key}` needs exactly two characters, got `{value}`")
    return value[0], value[1]


def curl(text, before, double, single):
    """Curl the quotes of `text`, where `before` is the character just before it."""
    out = []
    previous = before
    for c in text:
        if c == '"' or c == "'":
            opens = previous is None or previous in WHITESPACE or previous in OPENERS
            pair = double if c == '"' else single
            out.append(pair[0] if opens else pair[1])
        else:
            out.append(c)
        previous = c
    return "".join(out)


# componentize-py exports the class named PluginApi.
PluginApi = pdk.export(SmartQuotes)
