//! Reports the fields of headings, links, lists, task markers and code
//! blocks as info diagnostics (`fields`), in the words of the 0.2.0 plugin
//! `legacy-v0-2`: the same document must give the same lines through 0.3.0's
//! columns and the kit's decoding as through 0.2.0's node records.

use dochost_pdk::{Config, Document, LinkKind, Node, NodeKind, Output, Plugin, PluginInfo, Result, Severity};

include!("../../legacy-v0-2/src/fields.rs");

struct Fields;

impl Plugin for Fields {
    fn describe() -> PluginInfo {
        PluginInfo::new("fields", env!("CARGO_PKG_VERSION"), "Reports node fields")
    }

    fn open(_config: &Config) -> Result<Self> {
        Ok(Fields)
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        for id in doc.ids() {
            if let Some(message) = fields(doc.node(id)) {
                out.diagnose(Severity::Info, "fields", message, Some(id));
            }
        }
        Ok(out)
    }
}

dochost_pdk::export_plugin!(Fields);
