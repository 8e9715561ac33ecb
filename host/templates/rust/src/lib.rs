//! {{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
//! change `transform` to do what your plugin should do.
//!
//! The bindings come from `wit/plugin.wit` (the contract, `dochost:plugin`).
//! `dochost ast FILE.md` shows the node table a plugin receives.

wit_bindgen::generate!({ path: "wit", world: "plugin" });

// `Document`, `Output`, `PluginInfo` and `Severity` are in scope already (the
// world uses them); the rest of the types live in the interface module.
use dochost::plugin::types::{Edit, EditOp, NodeKind, NodeValue, OptionSpec};

struct Plugin;

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "{{name}}".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Three dots to an ellipsis".to_string(),
            options: vec![OptionSpec {
                name: "ellipsis".to_string(),
                description: "what replaces three dots".to_string(),
                default: Some("…".to_string()),
            }],
        }
    }

    fn transform(doc: Document, config: Vec<(String, String)>) -> Result<Output, String> {
        // Options come from `--set KEY=VALUE`; an `Err` fails the document.
        let mut ellipsis = "…".to_string();
        for (key, value) in config {
            match key.as_str() {
                "ellipsis" => ellipsis = value,
                _ => return Err(format!("unknown option `{key}` (known options: ellipsis)")),
            }
        }
        let mut edits = Vec::new();
        for (id, node) in doc.nodes.iter().enumerate() {
            // Only text nodes: code, URLs and HTML are left alone.
            let Some(text) = node.text.as_deref().filter(|_| node.kind == NodeKind::Text) else {
                continue;
            };
            if text.contains("...") {
                edits.push(Edit {
                    // Plain text: the host escapes it for where it stands.
                    op: EditOp::SetText(NodeValue { node: id as u32, value: text.replace("...", &ellipsis) }),
                    reason: Some("three dots to an ellipsis".to_string()),
                });
            }
        }
        if edits.is_empty() {
            log(Severity::Info, "nothing to change");
        }
        Ok(Output { edits, diagnostics: Vec::new(), artifacts: Vec::new() })
    }
}

export!(Plugin);
