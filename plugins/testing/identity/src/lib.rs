//! Re-sets every text-bearing node to its own literal text, and every link,
//! image and link definition's url and title to themselves, which forces the
//! host's escaping path everywhere: the result must be the input, byte for
//! byte.

use dochost_pdk::{Config, Document, LinkKind, NodeKind, Output, Plugin, PluginInfo, Result};

struct Identity;

impl Plugin for Identity {
    fn describe() -> PluginInfo {
        PluginInfo::new(
            "identity",
            env!("CARGO_PKG_VERSION"),
            "Re-sets every text-bearing node to its own text, and urls and titles to themselves",
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
            // A reference link's url and title live in its definition; an
            // autolink's url is its text, set above.
            let own_destination = matches!(node.kind, NodeKind::LinkDefinition) || matches!(node.link_kind, Some(LinkKind::Inline));
            if own_destination {
                if let Some(url) = &node.url {
                    out.set_url(id, url.clone());
                }
                if let Some(title) = &node.title {
                    out.set_title(id, title.clone());
                }
            }
        }
        Ok(out)
    }
}

dochost_pdk::export_plugin!(Identity);
