"""{{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
change `transform` to do what your plugin should do.

`dochost_pdk.py` (beside this file) wraps the bindings componentize-py
generates from `wit/plugin.wit`; `dochost ast FILE.md` shows the node table a
plugin receives.
"""

import dochost_pdk as pdk
from dochost_pdk import NodeKind


class Plugin(pdk.Plugin):
    """The session: `open` makes one from the options, then `transform` is
    called for each document it is given."""

    @staticmethod
    def describe():
        # The host checks `--set` options against what is declared here and
        # passes the default of any option not given.
        return pdk.PluginInfo("{{name}}", "0.1.0", "Three dots to an ellipsis").option(
            "ellipsis", "what replaces three dots", "…"
        )

    @classmethod
    def open(cls, config):
        # Called once per session; a PluginError here fails the run.
        return cls(config.get_or("ellipsis", "…"))

    def __init__(self, ellipsis):
        self.ellipsis = ellipsis

    def transform(self, doc):
        # A PluginError fails this document.
        out = pdk.Output()
        # Only text nodes: code, URLs and HTML are left alone.
        for id in doc.ids_of(NodeKind.TEXT):
            text = doc.text(id)
            if "..." in text:
                # Plain text: the host escapes it for where it stands.
                out.set_text(id, text.replace("...", self.ellipsis)).because("three dots to an ellipsis")
        if not out.edits:
            pdk.log.info("nothing to change")
        return out


# componentize-py exports the class named PluginApi.
PluginApi = pdk.export(Plugin)
