//! Applies edits described in its `edits` option, one per line:
//!
//! ```text
//! OP,KIND,NTH,VALUE      e.g.  set-text,text,0,Hello   (NTH may be * for all)
//! OP,id,ID,VALUE         a node by id
//! splice,START,END,VALUE
//! ```
//!
//! In VALUE, `\n` stands for a line break.
//!
//! Lets end-to-end tests exercise every edit (valid or not) without writing a
//! plugin per case.

use dochost_pdk::{bail, Config, Document, EditOp, NodeKind, NodeValue, Output, Plugin, PluginInfo, Result};

struct Scripted {
    edits: String,
}

impl Plugin for Scripted {
    fn describe() -> PluginInfo {
        PluginInfo::new("scripted", env!("CARGO_PKG_VERSION"), "Applies edits from its options")
            .option("edits", "one edit per line: OP,KIND,NTH,VALUE or splice,START,END,VALUE", None)
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(Scripted { edits: config.get_or("edits", "").to_string() })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        for line in self.edits.lines().filter(|l| !l.is_empty()) {
            let parts: Vec<&str> = line.splitn(4, ',').collect();
            let [op, a, b, value] = parts[..] else {
                bail!("bad edit line `{line}`");
            };
            let value = value.replace("\\n", "\n");
            let value = value.as_str();
            if op == "splice" {
                let num = |s: &str| s.parse::<u32>().map_err(|e| format!("{line}: {e}"));
                out.splice(num(a)?, num(b)?, value);
                continue;
            }
            let ids: Vec<u32> = if a == "id" {
                vec![b.parse().map_err(|e| format!("{line}: {e}"))?]
            } else {
                let kind = kind_named(a).ok_or(format!("unknown kind `{a}`"))?;
                let all: Vec<u32> = doc.ids_of(kind).collect();
                if b == "*" {
                    all
                } else {
                    let nth: usize = b.parse().map_err(|e| format!("{line}: {e}"))?;
                    vec![*all.get(nth).ok_or(format!("no {a} #{nth}"))?]
                }
            };
            for id in ids {
                let nv = NodeValue { node: id, value: value.to_string() };
                let op = match op {
                    "set-text" => EditOp::SetText(nv),
                    "replace" => EditOp::Replace(nv),
                    "insert-before" => EditOp::InsertBefore(nv),
                    "insert-after" => EditOp::InsertAfter(nv),
                    "remove" => EditOp::Remove(id),
                    "set-url" => EditOp::SetUrl(nv),
                    "set-title" => EditOp::SetTitle(nv),
                    "set-info" => EditOp::SetInfo(nv),
                    other => bail!("unknown op `{other}`"),
                };
                out.edit(op).because(format!("scripted {line}"));
            }
        }
        Ok(out)
    }
}

fn kind_named(name: &str) -> Option<NodeKind> {
    Some(match name {
        "document" => NodeKind::Document,
        "front-matter" => NodeKind::FrontMatter,
        "paragraph" => NodeKind::Paragraph,
        "heading" => NodeKind::Heading,
        "code-block" => NodeKind::CodeBlock,
        "html-block" => NodeKind::HtmlBlock,
        "list-item" => NodeKind::ListItem,
        "table-cell" => NodeKind::TableCell,
        "link-definition" => NodeKind::LinkDefinition,
        "text" => NodeKind::Text,
        "code" => NodeKind::Code,
        "inline-html" => NodeKind::InlineHtml,
        "emphasis" => NodeKind::Emphasis,
        "link" => NodeKind::Link,
        "image" => NodeKind::Image,
        _ => return None,
    })
}

dochost_pdk::export_plugin!(Scripted);
