// Fetches its `url` option through wasi-http for every document and reports
// the status, size and start of the body; a failed request fails the
// document with the kit's message. The JavaScript port of
// plugins/testing/fetch: tests/network.rs checks that both print the same.

import { exportPlugin, Output, Plugin, PluginInfo, Severity } from "../dochost-pdk.js";
import * as http from "../dochost-http.js";

const lossyUtf8 = new TextDecoder();

class Fetch extends Plugin {
  static describe() {
    return new PluginInfo("fetch", "0.1.0", "Fetches a URL").option("url", "what to fetch").required();
  }

  static open(config) {
    return new Fetch(config.getOr("url", ""));
  }

  constructor(url) {
    super();
    this.url = url;
  }

  transform(_doc) {
    const response = http.get(this.url);
    // The first 40 characters (code points, as Rust's `chars()`).
    const start = [...lossyUtf8.decode(response.body)].slice(0, 40).join("");
    const out = new Output();
    out.diagnose(Severity.Info, "fetched", `status ${response.status}, ${response.body.length} bytes: ${start}`);
    return out;
  }
}

export const pluginApi = exportPlugin(Fetch);
