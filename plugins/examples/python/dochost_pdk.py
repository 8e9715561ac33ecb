"""The dochost plugin kit for Python: the Rust kit's main helpers.

A plugin is a class with ``describe()`` and ``transform(doc, config)``;
``export`` turns it into the ``WitWorld`` class componentize-py looks for::

    import dochost_pdk as pdk

    class Shout(pdk.Plugin):
        def describe(self):
            return pdk.PluginInfo("shout", "0.1.0", "Upper-cases prose")

        def transform(self, doc, config):
            out = pdk.Output()
            for id in doc.ids_of(pdk.NodeKind.TEXT):
                out.set_text(id, doc.text(id).upper()).because("shout")
            return out

    WitWorld = pdk.export(Shout)

Build with ``componentize-py -d wit -w plugin componentize app -o plugin.wasm``
(with this file on the module path, ``-p DIR``). Raise ``PluginError`` (or
return an error from a helper such as ``Config.reject_unknown``) to fail the
document with a message; any other exception fails it with a traceback.
"""

import bisect
import traceback

from componentize_py_types import Err
from wit_world import log as _host_log
from wit_world.imports import types as wit

__all__ = [
    "Config",
    "Document",
    "EditRef",
    "LinkKind",
    "NodeKind",
    "Output",
    "Plugin",
    "PluginError",
    "PluginInfo",
    "Severity",
    "Span",
    "export",
    "log",
]

NodeKind = wit.NodeKind
LinkKind = wit.LinkKind
Severity = wit.Severity
Span = wit.Span


class PluginError(Exception):
    """Fails the current document with this message (the WIT `err`)."""


# ---------------------------------------------------------------------------
# Options


class Config:
    """The ``--set KEY=VALUE`` options given to this plugin, in order."""

    def __init__(self, entries):
        self.entries = [(k, v) for k, v in entries]

    def get(self, key):
        """The last value given for ``key``, or ``None``."""
        for k, v in reversed(self.entries):
            if k == key:
                return v
        return None

    def get_or(self, key, default):
        """The value of ``key``, or ``default`` when it was not given."""
        value = self.get(key)
        return default if value is None else value

    def parse(self, key, default, convert=int):
        """The value of ``key`` converted with ``convert`` (``int``,
        ``float``, any callable), or ``default``; a value that does not
        convert is a ``PluginError`` naming the option."""
        raw = self.get(key)
        if raw is None:
            return default
        try:
            return convert(raw)
        except (ValueError, TypeError) as e:
            raise PluginError(f"option `{key}`: cannot use `{raw}`: {e}") from None

    def flag(self, key, default):
        """A boolean option: true/false, yes/no, 1/0, on/off."""
        raw = self.get(key)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        raise PluginError(f"option `{key}`: expected true or false, got `{lowered}`")

    def keys(self):
        """Every key given."""
        return [k for k, _ in self.entries]

    def reject_unknown(self, known):
        """Fail on any option not in ``known``, so typos do not pass silently."""
        for key in self.keys():
            if key not in known:
                raise PluginError(f"unknown option `{key}` (known options: {', '.join(known)})")


# ---------------------------------------------------------------------------
# The document


class Document:
    """A read-only view of the document: source, node table, navigation."""

    def __init__(self, raw):
        self.raw = raw
        self.path = raw.path
        self.source = raw.source
        self.nodes = raw.nodes
        self._bytes = None
        self._line_starts = None

    def _source_bytes(self):
        if self._bytes is None:
            self._bytes = self.source.encode("utf-8")
        return self._bytes

    def node(self, id):
        return self.nodes[id]

    def kind(self, id):
        return self.nodes[id].kind

    def ids(self):
        """Ids of every node, in document order (node 0 is the root)."""
        return range(len(self.nodes))

    def ids_of(self, kind):
        """Ids of every node of one kind, in document order."""
        return [i for i, n in enumerate(self.nodes) if n.kind == kind]

    def text(self, id):
        """The literal text of a text-bearing node, or ``""``."""
        text = self.nodes[id].text
        return "" if text is None else text

    def span(self, id):
        return self.nodes[id].span

    def source_of(self, id):
        """The source a node spans, markup included (spans are UTF-8 byte
        offsets, so this slices the encoded source)."""
        span = self.nodes[id].span
        return self._source_bytes()[span.start : span.end].decode("utf-8")

    def children(self, id):
        return self.nodes[id].children

    def parent(self, id):
        return self.nodes[id].parent

    def ancestors(self, id):
        """Parent, grandparent, … up to the root."""
        parent = self.nodes[id].parent
        while parent is not None:
            yield parent
            parent = self.nodes[parent].parent

    def is_inside(self, id, kind):
        """Whether any ancestor of ``id`` is of ``kind``."""
        return any(self.nodes[a].kind == kind for a in self.ancestors(id))

    def descendants(self, id):
        """``id`` and every node below it, in document order."""
        out = []
        stack = [id]
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(self.nodes[n].children))
        return out

    def plain_text(self, id):
        """All literal text under a node (a heading's or link's text)."""
        parts = []
        for n in self.descendants(id):
            node = self.nodes[n]
            if node.kind in (NodeKind.SOFT_BREAK, NodeKind.HARD_BREAK):
                parts.append(" ")
            elif node.kind in (NodeKind.TEXT, NodeKind.CODE, NodeKind.MATH_INLINE) and node.text is not None:
                parts.append(node.text)
        return "".join(parts)

    def line_col(self, offset):
        """1-based line and column (in characters) of a byte offset."""
        data = self._source_bytes()
        if self._line_starts is None:
            starts = [0]
            i = data.find(b"\n")
            while i != -1:
                starts.append(i + 1)
                i = data.find(b"\n", i + 1)
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        col = len(data[start:offset].decode("utf-8", errors="replace"))
        return line + 1, col + 1


# ---------------------------------------------------------------------------
# The answer


class EditRef:
    """An edit just added to an ``Output``; attach a reason with ``because``."""

    def __init__(self, edit):
        self.edit = edit

    def because(self, reason):
        """Attach a human reason, shown in change reports."""
        self.edit.reason = reason
        return self


class Output:
    """What a plugin returns: edits, diagnostics and artifacts."""

    def __init__(self):
        self.edits = []
        self.diagnostics = []
        self.artifacts = []

    def edit(self, op, reason=None):
        edit = wit.Edit(op=op, reason=reason)
        self.edits.append(edit)
        return EditRef(edit)

    def set_text(self, node, text, reason=None):
        """Replace the literal text of a text-bearing node; the host escapes it."""
        return self.edit(wit.EditOp_SetText(wit.NodeValue(node, text)), reason)

    def replace(self, node, markdown, reason=None):
        """Replace a whole node with raw Markdown."""
        return self.edit(wit.EditOp_Replace(wit.NodeValue(node, markdown)), reason)

    def insert_before(self, node, markdown, reason=None):
        return self.edit(wit.EditOp_InsertBefore(wit.NodeValue(node, markdown)), reason)

    def insert_after(self, node, markdown, reason=None):
        return self.edit(wit.EditOp_InsertAfter(wit.NodeValue(node, markdown)), reason)

    def remove(self, node, reason=None):
        return self.edit(wit.EditOp_Remove(node), reason)

    def set_url(self, node, url, reason=None):
        return self.edit(wit.EditOp_SetUrl(wit.NodeValue(node, url)), reason)

    def set_title(self, node, title, reason=None):
        return self.edit(wit.EditOp_SetTitle(wit.NodeValue(node, title)), reason)

    def set_info(self, node, info, reason=None):
        return self.edit(wit.EditOp_SetInfo(wit.NodeValue(node, info)), reason)

    def splice(self, start, end, markdown, reason=None):
        """Replace raw source bytes ``start..end`` (UTF-8 offsets)."""
        return self.edit(wit.EditOp_Splice(wit.SpanValue(wit.Span(start, end), markdown)), reason)

    def diagnose(self, severity, code, message, node=None, span=None):
        """Report something about a node or a byte span."""
        diagnostic = wit.Diagnostic(severity=severity, code=code, message=message, node=node, span=span)
        self.diagnostics.append(diagnostic)
        return diagnostic

    def error(self, code, message, node=None):
        return self.diagnose(Severity.ERROR, code, message, node)

    def warning(self, code, message, node=None):
        return self.diagnose(Severity.WARNING, code, message, node)

    def info(self, code, message, node=None):
        return self.diagnose(Severity.INFO, code, message, node)

    def artifact(self, name, content):
        """Emit a named text output (saved with ``--artifacts DIR``)."""
        self.artifacts.append(wit.Artifact(name=name, content=content))

    def into_raw(self):
        return wit.Output(edits=self.edits, diagnostics=self.diagnostics, artifacts=self.artifacts)


# ---------------------------------------------------------------------------
# Describing and exporting


class PluginInfo:
    """Name, version, description and options (shown by ``dochost inspect``)."""

    def __init__(self, name, version, description):
        self.name = name
        self.version = version
        self.description = description
        self.options = []

    def option(self, name, description, default=None):
        """Declare an option; returns ``self`` to chain."""
        self.options.append(wit.OptionSpec(name=name, description=description, default=default))
        return self

    def into_raw(self):
        return wit.PluginInfo(
            name=self.name, version=self.version, description=self.description, options=list(self.options)
        )


class Plugin:
    """Base class for plugins: override ``describe`` and ``transform``."""

    def describe(self):
        raise NotImplementedError

    def transform(self, doc, config):
        raise NotImplementedError


class _Log:
    """Write to the host's log (stderr, prefixed with the plugin's name)."""

    def info(self, message):
        _host_log(Severity.INFO, message)

    def warn(self, message):
        _host_log(Severity.WARNING, message)

    def error(self, message):
        _host_log(Severity.ERROR, message)


log = _Log()


def export(plugin_class):
    """The ``WitWorld`` class componentize-py exports, wrapping a plugin:
    ``WitWorld = dochost_pdk.export(MyPlugin)``."""

    plugin = plugin_class()

    class WitWorld:
        def describe(self):
            info = plugin.describe()
            return info.into_raw() if isinstance(info, PluginInfo) else info

        def transform(self, doc, config):
            try:
                out = plugin.transform(Document(doc), Config(config))
            except PluginError as e:
                raise Err(str(e))
            except Exception:
                # An uncaught exception would trap the component; fail the
                # document with the traceback instead.
                raise Err(traceback.format_exc().rstrip())
            if out is None:
                out = Output()
            return out.into_raw() if isinstance(out, Output) else out

    return WitWorld
