// {{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
// change `transform` to do what your plugin should do.
//
// `dochost-pdk.js` (beside this file) wraps the WIT types jco generates from
// `wit/plugin.wit`; `dochost ast FILE.md` shows the node table a plugin
// receives.

import { exportPlugin, log, NodeKind, Output, Plugin, PluginInfo } from "./dochost-pdk.js";

/** The session: `open` makes one from the options, then `transform` is called for each document it is given. */
class Ellipsis extends Plugin {
  static describe() {
    // The host checks `--set` options against what is declared here and
    // passes the default of any option not given.
    return new PluginInfo("{{name}}", "0.1.0", "Three dots to an ellipsis").option(
      "ellipsis",
      "what replaces three dots",
      "…",
    );
  }

  static open(config) {
    // Called once per session; a PluginError here fails the run.
    return new Ellipsis(config.getOr("ellipsis", "…"));
  }

  constructor(ellipsis) {
    super();
    this.ellipsis = ellipsis;
  }

  transform(doc) {
    // A PluginError fails this document.
    const out = new Output();
    // Only text nodes: code, URLs and HTML are left alone.
    for (const id of doc.idsOf(NodeKind.Text)) {
      const text = doc.text(id);
      if (text.includes("...")) {
        // Plain text: the host escapes it for where it stands.
        out.setText(id, text.replaceAll("...", this.ellipsis)).because("three dots to an ellipsis");
      }
    }
    if (out.edits.length === 0) log.info("nothing to change");
    return out;
  }
}

// The component exports the interface `plugin-api` as `pluginApi`.
export const pluginApi = exportPlugin(Ellipsis);
