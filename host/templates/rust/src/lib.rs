//! {{name}}: a dochost plugin. It turns three dots into an ellipsis in prose;
//! change `transform` to do what your plugin should do.
//!
//! The bindings come from `wit/plugin.wit` (the contract, `dochost:plugin`).
//! `dochost ast FILE.md` shows the node table a plugin receives: it comes in
//! columns (`doc.nodes.kinds[i]` is node `i`'s kind), and a node's text, URL
//! and other fields are `properties` pointing into `doc.nodes.strings`.

wit_bindgen::generate!({ path: "wit", world: "plugin" });

use std::cell::RefCell;

use dochost::plugin::types::{
    Document, Edit, EditOp, Fact, NodeKind, NodeValue, OptionKind, OptionSpec, Output, PluginInfo, PropertyName, RunOutput,
};
use exports::dochost::plugin::plugin_api::{Guest, GuestSession, Session};

/// The options a session is opened with: what the user gave with `--set`
/// (checked by the host against what `describe` declares) and the declared
/// defaults of the rest.
type Config = [(String, String)];
/// An `Err` fails the document (in `open`: the run) with its message.
type Result<T, E = String> = std::result::Result<T, E>;

/// The plugin's state for one session: opened once with its options, then
/// called for many documents.
struct Plugin {
    ellipsis: String,
}

impl Plugin {
    /// Name, version, description and options.
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "{{name}}".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Three dots to an ellipsis".to_string(),
            options: vec![OptionSpec {
                name: "ellipsis".to_string(),
                description: "what replaces three dots".to_string(),
                default: Some("…".to_string()),
                kind: OptionKind::Text,
                required: false,
            }],
            tree_wide: false,
        }
    }

    /// Set up a session from its options (the host has already rejected
    /// unknown ones and filled in the default).
    fn open(config: &Config) -> Result<Self> {
        let ellipsis = config.iter().rev().find(|(key, _)| key == "ellipsis").map_or("…", |(_, value)| value);
        Ok(Plugin { ellipsis: ellipsis.to_string() })
    }

    /// Answer one document with edits.
    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let nodes = &doc.nodes;
        let mut edits = Vec::new();
        for property in &nodes.properties {
            // Only the text of text nodes: code, URLs and HTML are left alone.
            if property.name != PropertyName::Text || nodes.kinds[property.node as usize] != NodeKind::Text {
                continue;
            }
            let text = &nodes.strings[property.start as usize..property.end as usize];
            if text.contains("...") {
                edits.push(Edit {
                    // Plain text: the host escapes it for where it stands.
                    op: EditOp::SetText(NodeValue { node: property.node, value: text.replace("...", &self.ellipsis) }),
                    reason: Some("three dots to an ellipsis".to_string()),
                });
            }
        }
        if edits.is_empty() {
            log(Severity::Info, "nothing to change");
        }
        Ok(Output { edits, diagnostics: Vec::new(), artifacts: Vec::new(), facts: Vec::new() })
    }
}

// The glue between `Plugin` and the exported interface: `open` makes a
// `session` resource holding a `Plugin`; `scan` (only called for plugins
// declared `tree_wide`) and `finish` do nothing here.

struct Component;

struct PluginSession(RefCell<Plugin>);

impl Guest for Component {
    type Session = PluginSession;

    fn describe() -> PluginInfo {
        Plugin::describe()
    }

    fn open(config: Vec<(String, String)>) -> Result<Session> {
        Plugin::open(&config).map(|plugin| Session::new(PluginSession(RefCell::new(plugin))))
    }
}

impl GuestSession for PluginSession {
    fn scan(&self, _doc: Document) -> Result<Vec<Fact>> {
        Ok(Vec::new())
    }

    fn transform(&self, doc: Document) -> Result<Output> {
        self.0.borrow_mut().transform(&doc)
    }

    fn finish(&self) -> Result<RunOutput> {
        Ok(RunOutput { diagnostics: Vec::new(), artifacts: Vec::new() })
    }
}

export!(Component);
