//! Curls straight quotes in prose: `"quoted"` becomes “quoted” and `it's`
//! becomes it’s. Code, HTML and URLs are left alone because only text nodes
//! are touched; the host keeps every other byte.
//!
//! This is the plugin to copy when writing your first one.

use dochost_pdk::{bail, Config, Document, LinkKind, NodeId, NodeKind, Output, Plugin, PluginInfo, Result};

struct SmartQuotes {
    double: (char, char),
    single: (char, char),
}

impl Plugin for SmartQuotes {
    fn describe() -> PluginInfo {
        PluginInfo::new("smart-quotes", env!("CARGO_PKG_VERSION"), "Curl straight quotes in prose")
            .option("double", "opening and closing double quotes", Some("“”"))
            .option("single", "opening and closing single quotes", Some("‘’"))
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(SmartQuotes { double: quote_pair(config, "double", "“”")?, single: quote_pair(config, "single", "‘’")? })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let (double, single) = (self.double, self.single);
        let mut out = Output::default();
        // The character before a node decides whether a quote at its start
        // opens or closes, so carry it across the text nodes of a block.
        let mut previous: Option<char> = None;
        let mut block = None;
        for id in doc.ids_of(NodeKind::Text) {
            let parent_block = doc.ancestors(id).find(|&a| is_block(doc.node(a).kind));
            if parent_block != block {
                previous = None;
                block = parent_block;
            }
            if follows_line_break(doc, id) {
                previous = Some('\n');
            }
            let text = doc.text(id);
            // An autolink's text is its URL.
            if text.contains(['"', '\'']) && !is_autolink_text(doc, id) {
                let curled = curl(text, previous, double, single);
                if curled != text {
                    out.set_text(id, curled).because("straight quotes curled");
                }
            }
            previous = text.chars().last().or(previous);
        }
        Ok(out)
    }
}

/// Whether the node comes right after a soft or hard line break, where a
/// quote opens. Nodes are numbered in document order and a break has no
/// children, so a break just before `id` is node `id - 1` with the same
/// parent (looking the node up among its siblings was quadratic in a
/// paragraph of many links).
fn follows_line_break(doc: &Document, id: NodeId) -> bool {
    id > 0
        && doc.node(id - 1).parent == doc.node(id).parent
        && matches!(doc.node(id - 1).kind, NodeKind::SoftBreak | NodeKind::HardBreak)
}

fn is_autolink_text(doc: &Document, id: NodeId) -> bool {
    doc.node(id)
        .parent
        .is_some_and(|p| matches!(doc.node(p).link_kind, Some(LinkKind::Autolink | LinkKind::Email)))
}

fn is_block(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Paragraph | NodeKind::Heading | NodeKind::TableCell)
}

fn quote_pair(config: &Config, key: &str, default: &str) -> Result<(char, char)> {
    let value = config.get_or(key, default);
    let mut chars = value.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(open), Some(close), None) => Ok((open, close)),
        _ => bail!("option `{key}` needs exactly two characters, got `{value}`"),
    }
}

/// Curl the quotes of `text`, where `before` is the character just before it.
pub fn curl(text: &str, before: Option<char>, double: (char, char), single: (char, char)) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = before;
    for c in text.chars() {
        let opens = previous.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '{' | '<' | '—' | '–' | '-'));
        let curled = match c {
            '"' if opens => double.0,
            '"' => double.1,
            '\'' if opens => single.0,
            '\'' => single.1,
            other => other,
        };
        out.push(curled);
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::curl;

    const EN: ((char, char), (char, char)) = (('“', '”'), ('‘', '’'));

    #[test]
    fn pairs_and_apostrophes() {
        assert_eq!(curl(r#"He said "it's 'fine'"."#, None, EN.0, EN.1), "He said “it’s ‘fine’”.");
    }

    #[test]
    fn quote_after_previous_node_closes() {
        assert_eq!(curl(r#"" he said"#, Some('d'), EN.0, EN.1), "” he said");
    }
}

dochost_pdk::export_plugin!(SmartQuotes);
