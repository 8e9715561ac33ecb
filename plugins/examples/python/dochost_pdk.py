"""The dochost plugin kit for Python (contract ``dochost:plugin@0.3.0``): the
Rust kit's main helpers, with the same names.

A plugin is a class: ``describe()`` names it and declares its options,
``open(config)`` builds the session (an instance of the class, opened once
with the checked options and then called for many documents), and
``transform(doc)`` answers each document; ``scan(doc)`` and ``finish()`` are
optional. ``export`` turns it into the ``PluginApi`` class componentize-py
looks for::

    import dochost_pdk as pdk

    class Shout(pdk.Plugin):
        @staticmethod
        def describe():
            return pdk.PluginInfo("shout", "0.1.0", "Upper-cases prose")

        @classmethod
        def open(cls, config):
            return cls()

        def transform(self, doc):
            out = pdk.Output()
            for id in doc.ids_of(pdk.NodeKind.TEXT):
                out.set_text(id, doc.text(id).upper()).because("shout")
            return out

    PluginApi = pdk.export(Shout)

``doc.nodes[id]`` is a ``Node`` (``kind``, ``parent``, ``children``,
``span``, ``text``, ``link_kind``, …, as 0.2.0's ``node`` record), decoded
from the columns of the host's ``node-table``.

Build with ``componentize-py -d wit -w plugin componentize app -o plugin.wasm``
(with this file on the module path, ``-p DIR``); a plugin that makes HTTP
requests with ``http`` (``http.get(url)``, ``post``, ``request``, as the Rust
kit's ``dochost_pdk::http``) builds against the world ``plugin-with-http``
instead (``-w plugin-with-http``, with the WASI packages in ``wit/deps``).
Raise ``PluginError`` to fail the document (in ``open``: the run) with a
message; any other exception fails it with a traceback.

The host checks the options against what ``describe`` declares (unknown
keys, kinds, required options) and fills in declared defaults before
``open``, so a plugin need not check them again. The host may open several
sessions at once, each seeing some of the documents: share what one document
teaches about another through facts (``Output.fact``, ``scan``) and
``index``, not through attributes of the session.
"""

import bisect
import traceback
from dataclasses import dataclass
from typing import List, Optional, Tuple

from componentize_py_types import Err, Ok
from wit_world import log as _host_log
from wit_world.exports import plugin_api as _plugin_api
from wit_world.imports import index as _host_index

try:
    from wit_world.imports import types as wit
except ImportError:
    # In the world `plugin-with-http` two imported interfaces are called
    # `types` (dochost's and wasi:http's), so componentize-py names both
    # after their packages.
    from wit_world.imports import dochost_plugin_types as wit

__all__ = [
    "Config",
    "Document",
    "EditRef",
    "Fact",
    "LinkKind",
    "Node",
    "NodeKind",
    "OptionKind",
    "Output",
    "Plugin",
    "PluginError",
    "PluginInfo",
    "RunOutput",
    "Severity",
    "Span",
    "export",
    "http",
    "index",
    "log",
]

NodeKind = wit.NodeKind
LinkKind = wit.LinkKind
Severity = wit.Severity
OptionKind = wit.OptionKind
Span = wit.Span
Fact = wit.Fact


class PluginError(Exception):
    """Fails the current document with this message (the WIT ``err``); raised
    in ``open``, fails the run before any document."""


# ---------------------------------------------------------------------------
# Options


class Config:
    """The options a session is opened with: what the user gave with
    ``--set`` (already checked against the declared kinds) and the declared
    defaults of the rest."""

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


# ---------------------------------------------------------------------------
# The document


@dataclass(init=False)
class Node:
    """One node of the document (``doc.nodes[id]``); a property the node does
    not have is ``None``."""

    kind: NodeKind
    parent: Optional[int]
    children: List[int]
    span: Span
    text: Optional[str] = None
    level: Optional[int] = None
    url: Optional[str] = None
    title: Optional[str] = None
    info: Optional[str] = None
    checked: Optional[bool] = None
    link_kind: Optional[LinkKind] = None
    label: Optional[str] = None
    start: Optional[int] = None
    attributes: List[Tuple[str, Optional[str]]]

    def __init__(self, kind, parent, span):
        # The properties a node does not have stay the class's `None`s.
        self.kind = kind
        self.parent = parent
        self.children = []
        self.span = span
        self.attributes = []


# The parent of the root in the node table.
_NO_PARENT = 0xFFFF_FFFF
_LINK_KINDS = tuple(LinkKind)
_Property = wit.PropertyName
# The properties that are a node's string field of the same name.
_STRING_FIELDS = {
    p: p.name.lower() for p in (_Property.TEXT, _Property.URL, _Property.TITLE, _Property.INFO, _Property.LABEL)
}


def _decode_nodes(table):
    """The ``Node`` list the host's node table encodes (see ``node-table`` in
    ``wit/plugin.wit``)."""
    nodes = []
    for id, (kind, parent, span) in enumerate(zip(table.kinds, table.parents, table.spans)):
        if parent == _NO_PARENT:
            parent = None
        else:
            nodes[parent].children.append(id)
        nodes.append(Node(kind, parent, span))
    strings = table.strings
    data = strings.encode("utf-8")
    # Offsets are UTF-8 bytes; in ASCII they count characters too.
    ascii = len(data) == len(strings)

    def string(prop):
        return strings[prop.start : prop.end] if ascii else data[prop.start : prop.end].decode("utf-8")

    for prop in table.properties:
        node, name = nodes[prop.node], prop.name
        field = _STRING_FIELDS.get(name)
        if field is not None:
            setattr(node, field, string(prop))
        elif name is _Property.LEVEL:
            node.level = prop.start
        elif name is _Property.CHECKED:
            node.checked = prop.start != 0
        elif name is _Property.LINK_KIND:
            node.link_kind = _LINK_KINDS[prop.start]
        elif name is _Property.START:
            node.start = prop.start | prop.end << 32
        elif name is _Property.ATTRIBUTE:
            node.attributes.append((string(prop), None))
        elif name is _Property.ATTRIBUTE_VALUE:
            node.attributes[-1] = (node.attributes[-1][0], string(prop))
    return nodes


class Document:
    """A read-only view of the document: source, node table, navigation."""

    def __init__(self, raw):
        self.raw = raw
        self.path = raw.path
        self.source = raw.source
        self.nodes = _decode_nodes(raw.nodes)
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
    """What ``transform`` returns for a document: edits for the host to
    apply, diagnostics to print, artifacts to save, facts for ``finish``."""

    def __init__(self):
        self.edits = []
        self.diagnostics = []
        self.artifacts = []
        self.facts = []

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

    def fact(self, key, value):
        """Record a fact about this document, for ``finish`` to query
        through ``index.facts``."""
        self.facts.append(wit.Fact(key=key, value=value))

    def into_raw(self):
        return wit.Output(
            edits=list(self.edits),
            diagnostics=list(self.diagnostics),
            artifacts=list(self.artifacts),
            facts=list(self.facts),
        )


class RunOutput:
    """What ``finish`` returns: diagnostics about the run and artifacts for
    the whole tree (one report, one ``.pot``)."""

    def __init__(self):
        self.diagnostics = []
        self.artifacts = []

    def diagnose(self, severity, code, message, path=None):
        """Report something about the run, or about the document at ``path``."""
        diagnostic = wit.RunDiagnostic(severity=severity, code=code, message=message, path=path)
        self.diagnostics.append(diagnostic)
        return diagnostic

    def error(self, code, message, path=None):
        return self.diagnose(Severity.ERROR, code, message, path)

    def warning(self, code, message, path=None):
        return self.diagnose(Severity.WARNING, code, message, path)

    def info(self, code, message, path=None):
        return self.diagnose(Severity.INFO, code, message, path)

    def artifact(self, name, content):
        """Emit a named text output (saved with ``--artifacts DIR``)."""
        self.artifacts.append(wit.Artifact(name=name, content=content))

    def into_raw(self):
        return wit.RunOutput(diagnostics=list(self.diagnostics), artifacts=list(self.artifacts))


# ---------------------------------------------------------------------------
# Describing


class PluginInfo:
    """Name, version, description and options (shown by ``dochost inspect``).
    Declare options with ``option``, ``flag_option``, ``integer_option`` and
    ``path_option``; each returns ``self`` to chain."""

    def __init__(self, name, version, description):
        self.name = name
        self.version = version
        self.description = description
        self.options = []
        self.is_tree_wide = False

    def _declare(self, name, description, default, kind):
        self.options.append(
            wit.OptionSpec(name=name, description=description, default=default, kind=kind, required=False)
        )
        return self

    def option(self, name, description, default=None):
        """Declare a text option."""
        return self._declare(name, description, default, OptionKind.TEXT)

    def flag_option(self, name, description, default=False):
        """Declare a true/false option (the plugin receives ``true`` or
        ``false``; read it with ``Config.flag``)."""
        return self._declare(name, description, "true" if default else "false", OptionKind.FLAG)

    def integer_option(self, name, description, default=None):
        """Declare a whole-number option (read it with ``Config.parse``)."""
        return self._declare(name, description, None if default is None else str(int(default)), OptionKind.INTEGER)

    def path_option(self, name, description):
        """Declare an option naming a file or directory the plugin reads (the
        host checks that it exists and is granted with ``--allow-read``)."""
        return self._declare(name, description, None, OptionKind.PATH)

    def required(self):
        """Make the option declared last required."""
        if self.options:
            self.options[-1].required = True
        return self

    def tree_wide(self):
        """Ask to see the whole tree: ``scan`` runs on every document before
        the first ``transform``, and ``index`` answers for the whole tree."""
        self.is_tree_wide = True
        return self

    def into_raw(self):
        return wit.PluginInfo(
            name=self.name,
            version=self.version,
            description=self.description,
            options=list(self.options),
            tree_wide=self.is_tree_wide,
        )


class Plugin:
    """Base class for plugins. The class is the session's state: ``open``
    builds one instance from the options, then ``scan`` (tree-wide plugins
    only), ``transform`` and ``finish`` are called on it.

    Override ``describe`` (a static or class method), ``open`` (a class
    method; the default calls ``cls()``) and ``transform``."""

    @classmethod
    def describe(cls):
        """Name, version, description and options: a ``PluginInfo``."""
        raise NotImplementedError

    @classmethod
    def open(cls, config):
        """Set up a session from the options (a ``Config``, already checked
        by the host, defaults filled in). A ``PluginError`` fails the run
        before any document."""
        return cls()

    def scan(self, doc):
        """Record facts about a document before any is transformed; called
        only for plugins declared ``tree_wide``. Returns a list of ``Fact``
        (or of ``(key, value)`` pairs)."""
        return []

    def transform(self, doc):
        """Look at one document and answer with an ``Output``. A
        ``PluginError`` fails this document with that message."""
        raise NotImplementedError

    def finish(self):
        """Output about the whole run (a ``RunOutput``), called once on one
        session after every document; ``index`` answers for the whole
        tree."""
        return RunOutput()


# ---------------------------------------------------------------------------
# The host


class _Log:
    """Write to the host's log (stderr, prefixed with the plugin's name)."""

    def info(self, message):
        _host_log(Severity.INFO, message)

    def warn(self, message):
        _host_log(Severity.WARNING, message)

    def error(self, message):
        _host_log(Severity.ERROR, message)


log = _Log()


class _Index:
    """Read-only queries over the documents of the run.

    For a plugin declared ``tree_wide`` they answer for every document during
    ``transform`` and ``finish``; for any plugin, during ``finish``. ``facts``
    returns what ``scan`` recorded (during ``transform``), and what ``scan``
    and ``transform`` recorded (during ``finish``)."""

    HeadingEntry = _host_index.HeadingEntry
    TargetEntry = _host_index.TargetEntry
    TargetKind = _host_index.TargetKind
    FactEntry = _host_index.FactEntry

    def documents(self):
        """Every document of the run, in input order."""
        return _host_index.documents()

    def headings(self, path):
        """A document's headings (``HeadingEntry``: text, level, id, span),
        in order; ``None`` if it is not in the run."""
        return _host_index.headings(path)

    def targets(self, path):
        """A document's link, image and link-definition targets
        (``TargetEntry``: kind, url, span), in order; ``None`` if it is not
        in the run."""
        return _host_index.targets(path)

    def front_matter(self, path):
        """A document's front matter as written, without its fences."""
        return _host_index.front_matter(path)

    def facts(self, key):
        """Every fact recorded under ``key`` (``FactEntry``: path, value),
        documents in input order."""
        return _host_index.facts(key)

    def files(self):
        """Every file under the run's directories, Markdown or not, sorted,
        in the case the file system stores the names (empty unless the
        plugin is tree-wide)."""
        return _host_index.files()

    def roots(self):
        """The files and directories named on the command line, as given."""
        return _host_index.roots()


index = _Index()


# ---------------------------------------------------------------------------
# Outgoing HTTP


class Response:
    """An HTTP response, read whole: ``status`` (an int), ``headers`` (a list
    of ``(name, bytes)``) and ``body`` (bytes)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def text(self):
        """The body as UTF-8 text; a ``PluginError`` if it is not UTF-8 (with
        the Rust kit's message)."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.reason == "unexpected end of data":
                message = f"incomplete utf-8 byte sequence from index {e.start}"
            else:
                message = f"invalid utf-8 sequence of {e.end - e.start} bytes from index {e.start}"
            raise PluginError(message) from None

    def header(self, name):
        """The first value of header ``name`` (case-insensitive), as text, or
        ``None``."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                try:
                    return value.decode("utf-8")
                except UnicodeDecodeError:
                    return None
        return None

    def __repr__(self):
        return f"Response(status={self.status}, headers={self.headers!r}, body={len(self.body)} bytes)"


# The wasi:http bindings exist only in a component built against the world
# `plugin-with-http`; against `plugin` (no HTTP) there are none, and `http`
# says so when it is used. (They are imported here, not on first use:
# componentize-py can import a module only while it builds the component.)
try:
    from wit_world.imports import outgoing_handler as _outgoing_handler
    from wit_world.imports import streams as _streams
    from wit_world.imports import wasi_http_types as _http_types
except ImportError:
    _outgoing_handler = _streams = _http_types = None


def _wasi_http():
    if _outgoing_handler is None:
        raise PluginError(
            "this plugin was built without HTTP: build it against the world `plugin-with-http` "
            "(componentize-py -d wit -w plugin-with-http componentize ...)"
        )
    return _outgoing_handler, _streams, _http_types


def _case_name(value):
    """``ErrorCode_HttpRequestDenied()`` → ``HttpRequestDenied`` (the
    variant's case, as the Rust kit prints it)."""
    return type(value).__name__.split("_", 1)[-1]


def _debug(value, prefix):
    """A variant case the way the Rust kit's ``{:?}`` shows it:
    ``ErrorCode::ConnectionTerminated``, ``ErrorCode::InternalError(…)``."""
    name = f"{prefix}::{_case_name(value)}"
    payload = getattr(value, "value", _debug)
    return name if payload is _debug else f"{name}({payload!r})"


class _Target:
    """A URL split the way wasi-http wants it."""

    def __init__(self, url):
        self.url = url
        if url.startswith("https://"):
            self.https, rest = True, url[len("https://") :]
        elif url.startswith("http://"):
            self.https, rest = False, url[len("http://") :]
        else:
            raise PluginError(f"{url}: only http:// and https:// URLs can be fetched")
        cut = min((i for i in (rest.find("/"), rest.find("?")) if i != -1), default=-1)
        if cut == -1:
            self.authority, path = rest, "/"
        elif rest[cut] == "/":
            self.authority, path = rest[:cut], rest[cut:]
        else:
            self.authority, path = rest[:cut], "/" + rest[cut:]
        self.path = path.split("#", 1)[0]
        if not self.authority:
            raise PluginError(f"{url}: no host")

    def error(self, code, types):
        """What went wrong, in words that say what to do."""
        url, host = self.url, self.authority
        if isinstance(code, types.ErrorCode_HttpRequestDenied):
            message = f"{url}: dochost refused the request: run it with --allow-net {host} to let plugins reach {host}"
        elif isinstance(
            code,
            (
                types.ErrorCode_ConnectionTimeout,
                types.ErrorCode_ConnectionReadTimeout,
                types.ErrorCode_ConnectionWriteTimeout,
                types.ErrorCode_HttpResponseTimeout,
            ),
        ):
            message = f"{url}: no answer in time (dochost's --net-timeout sets how long to wait)"
        elif isinstance(code, types.ErrorCode_HttpResponseBodySize):
            limit = "the allowed" if code.value is None else code.value
            message = f"{url}: the response is larger than {limit} bytes (dochost's --net-max-response sets the cap)"
        elif isinstance(code, types.ErrorCode_ConnectionRefused):
            message = f"{url}: connection refused by {host}"
        elif isinstance(code, types.ErrorCode_DnsError):
            message = f"{url}: cannot resolve {host}"
        else:
            message = f"{url}: request failed: {_debug(code, 'ErrorCode')}"
        return PluginError(message)

    def stream_error(self, error, streams, types):
        if isinstance(error, streams.StreamError_LastOperationFailed):
            code = types.http_error_code(error.value)
            if code is not None:
                return self.error(code, types)
            # The host's own words; their first line is the message.
            lines = error.value.to_debug_string().splitlines()
            return PluginError(f"{self.url}: {lines[0] if lines else 'read failed'}")
        return PluginError(f"{self.url}: the connection closed early")


# The methods wasi-http names; any other (or another spelling) is sent as
# written.
_METHODS = {"GET": "Get", "POST": "Post", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "PATCH": "Patch", "OPTIONS": "Options"}


class _Http:
    """Outgoing HTTP, through wasi-http. dochost lets a plugin reach only the
    hosts the user grants with ``--allow-net HOST[:PORT]``; anything else is
    refused, and the error says which flag would allow it. Build the plugin
    against the world ``plugin-with-http`` to use it::

        response = pdk.http.get("https://api.example.com/v1/x")
        body = response.text()

    A status that is not 2xx is still a ``Response``; a request that got no
    complete answer raises a ``PluginError`` whose message names the URL and
    what to do (which fails the document when not caught)."""

    Response = Response

    def get(self, url):
        """``GET url``."""
        return self.request("GET", url)

    def post(self, url, content_type, body):
        """``POST url`` with a body (bytes, or text sent as UTF-8) of
        ``content_type``."""
        return self.request("POST", url, [("content-type", content_type)], body)

    def request(self, method, url, headers=(), body=None):
        """Any request: ``method`` (``"GET"``, ``"POST"``, …), ``headers`` as
        ``(name, value)`` pairs, ``body`` as bytes (or text, sent as UTF-8)
        or ``None``."""
        outgoing_handler, streams, types = _wasi_http()
        target = _Target(url)
        if isinstance(body, str):
            body = body.encode("utf-8")
        fields = types.Fields()
        for name, value in headers:
            try:
                fields.append(name, value.encode("utf-8") if isinstance(value, str) else bytes(value))
            except Err as e:
                raise PluginError(f"header `{name}`: {_debug(e.value, 'HeaderError')}") from None
        request = types.OutgoingRequest(fields)

        def set(what, setter, value):
            try:
                setter(value)
            except Err:
                raise PluginError(f"{url}: invalid {what}") from None

        known = _METHODS.get(method)
        wit_method = getattr(types, "Method_" + known)() if known else types.Method_Other(method)
        set("method", request.set_method, wit_method)
        set("scheme", request.set_scheme, types.Scheme_Https() if target.https else types.Scheme_Http())
        set("host", request.set_authority, target.authority)
        set("path", request.set_path_with_query, target.path)
        try:
            outgoing = request.body()
        except Err:
            raise PluginError(f"{url}: invalid body") from None
        try:
            pending = outgoing_handler.handle(request, None)
        except Err as e:
            raise target.error(e.value, types) from None
        if body is not None:
            try:
                stream = outgoing.write()
            except Err:
                raise PluginError(f"{url}: invalid body") from None
            with stream:
                for start in range(0, len(body), 4096):
                    try:
                        stream.blocking_write_and_flush(bytes(body[start : start + 4096]))
                    except Err as e:
                        raise target.stream_error(e.value, streams, types) from None
        try:
            types.OutgoingBody.finish(outgoing, None)
        except Err as e:
            raise target.error(e.value, types) from None

        # Child resources are released before their parents (`with`), as
        # wasi-http requires.
        with pending:
            with pending.subscribe() as ready:
                ready.block()
            got = pending.get()
            if isinstance(got, Ok) and isinstance(got.value, Err):
                raise target.error(got.value.value, types)
            if not (isinstance(got, Ok) and isinstance(got.value, Ok)):
                raise PluginError(f"{url}: the response was lost")
            with got.value.value as response:
                status = response.status()
                with response.headers() as fields:
                    headers = fields.entries()
                try:
                    incoming = response.consume()
                except Err:
                    raise PluginError(f"{url}: the response has no body") from None
                chunks = []
                try:
                    stream = incoming.stream()
                except Err:
                    raise PluginError(f"{url}: cannot read the body") from None
                with stream:
                    while True:
                        try:
                            chunks.append(stream.blocking_read(64 * 1024))
                        except Err as e:
                            if isinstance(e.value, streams.StreamError_Closed):
                                break
                            raise target.stream_error(e.value, streams, types) from None
                with types.IncomingBody.finish(incoming):
                    pass
        return Response(status, headers, b"".join(chunks))


http = _Http()


# ---------------------------------------------------------------------------
# Exporting


def _guard(call, *args):
    """Call into the plugin; an exception becomes the WIT ``err``: a
    ``PluginError``'s message, or the traceback of any other exception (which
    would otherwise trap the component)."""
    try:
        return call(*args)
    except PluginError as e:
        raise Err(str(e))
    except Err:
        raise
    except Exception:
        raise Err(traceback.format_exc().rstrip())


def _raw_fact(fact):
    if isinstance(fact, wit.Fact):
        return fact
    key, value = fact
    return wit.Fact(key=key, value=value)


class _Session(_plugin_api.Session):
    """The ``session`` resource: one instance of the plugin class."""

    def __init__(self, plugin):
        self.plugin = plugin

    def scan(self, doc):
        facts = _guard(self.plugin.scan, Document(doc))
        return [_raw_fact(f) for f in (facts or [])]

    def transform(self, doc):
        out = _guard(self.plugin.transform, Document(doc))
        if out is None:
            out = Output()
        return out.into_raw() if isinstance(out, Output) else out

    def finish(self):
        out = _guard(self.plugin.finish)
        if out is None:
            out = RunOutput()
        return out.into_raw() if isinstance(out, RunOutput) else out


def export(plugin_class):
    """The ``PluginApi`` class componentize-py exports, wrapping a plugin
    class: ``PluginApi = dochost_pdk.export(MyPlugin)``."""

    class PluginApi:
        def describe(self):
            info = plugin_class.describe()
            return info.into_raw() if isinstance(info, PluginInfo) else info

        def open(self, config):
            plugin = _guard(plugin_class.open, Config(config))
            if plugin is None:
                raise Err(f"{plugin_class.__name__}.open returned None instead of a session")
            return _Session(plugin)

    return PluginApi
