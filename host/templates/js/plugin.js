// {{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
// change `transform` to do what your plugin should do.
//
// `dochost-pdk.js` (beside this file) wraps the WIT types jco generates from
// `wit/plugin.wit`; `dochost ast FILE.md` shows the node table a plugin
// receives.

import { exportPlugin, log, NodeKind, Output, PluginInfo } from "./dochost-pdk.js";

const plugin = {
  describe() {
    return new PluginInfo("{{name}}", "0.1.0", "Three dots to an ellipsis").option(
      "ellipsis",
      "what replaces three dots",
      "…",
    );
  },

  transform(doc, config) {
    // Options come from `--set KEY=VALUE`; a PluginError fails the document.
    config.rejectUnknown(["ellipsis"]);
    const ellipsis = config.getOr("ellipsis", "…");
    const out = new Output();
    // Only text nodes: code, URLs and HTML are left alone.
    for (const id of doc.idsOf(NodeKind.Text)) {
      const text = doc.text(id);
      if (text.includes("...")) {
        // Plain text: the host escapes it for where it stands.
        out.setText(id, text.replaceAll("...", ellipsis)).because("three dots to an ellipsis");
      }
    }
    if (out.edits.length === 0) log.info("nothing to change");
    return out;
  },
};

// The component exports `describe` and `transform`.
export const { describe, transform } = exportPlugin(plugin);
