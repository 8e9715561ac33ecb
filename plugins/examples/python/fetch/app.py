# Fetches its `url` option through wasi-http for every document and reports
# the status, size and start of the body; a failed request fails the
# document with the kit's message. The Python port of plugins/testing/fetch:
# tests/network.rs checks that both print the same.

import dochost_pdk as pdk
from dochost_pdk import http


class Fetch(pdk.Plugin):
    @staticmethod
    def describe():
        return pdk.PluginInfo("fetch", "0.1.0", "Fetches a URL").option("url", "what to fetch").required()

    @classmethod
    def open(cls, config):
        return cls(config.get_or("url", ""))

    def __init__(self, url):
        self.url = url

    def transform(self, doc):
        response = http.get(self.url)
        start = response.body.decode("utf-8", errors="replace")[:40]
        out = pdk.Output()
        out.diagnose(pdk.Severity.INFO, "fetched", f"status {response.status}, {len(response.body)} bytes: {start}")
        return out


PluginApi = pdk.export(Fetch)
