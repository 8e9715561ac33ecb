//! Re-sets every text-bearing node to its own literal text, which forces the
//! host's escaping path everywhere: the result must render like the input.

use dochost_pdk::{Config, Document, NodeKind, Output, Plugin, PluginInfo, Result};

struct Identity;

impl Plugin for Identity {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "identity",
            env!("CARGO_PKG_VERSION"),
            "Re-sets every text-bearing node to its own text",
        )
    }

    fn open(_config: &Config) -> Result<Self> {
        Ok(Identity)
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        for id in doc.ids() {
            let node = doc.node(id);
            let settable = matches!(
                node.kind,
                NodeKind::Text | NodeKind::Code | NodeKind::CodeBlock | NodeKind::MathInline
                    | NodeKind::MathBlock | NodeKind::FrontMatter | NodeKind::HtmlBlock
                    | NodeKind::InlineHtml
            );
            if let (true, Some(text)) = (settable, &node.text) {
                out.set_text(id, text.clone());
            }
        }
        Ok(out)
    }
}

dochost_pdk::export_plugin!(Identity);
