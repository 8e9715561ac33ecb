//! `dochost ast`: the node table as a plugin sees it; `--json` prints
//! exactly the `document` a JSON-protocol plugin receives.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use super::inputs;
use crate::doc::{self, NodeTable};
use crate::runtime::{self, DocumentRef};

pub fn ast(file: &Path, json: bool, dialect: doc::Dialect) -> Result<()> {
    let input = inputs::read_one(file, &inputs::Encoding::Utf8)?;
    let table = doc::parse_in(&input.text, dialect);
    if json {
        let value = runtime::json_document(DocumentRef { path: &input.display, source: &input.text, table: &table });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", tree(&input.text, &table));
    }
    Ok(())
}

/// One line per node, indented by depth: id, kind, span, and its fields.
pub fn tree(source: &str, table: &NodeTable) -> String {
    let mut out = String::new();
    let lines = doc::LineIndex::new(source);
    let mut stack = vec![(0u32, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        let n = &table.nodes[id as usize];
        let (line, col) = lines.line_col(n.span.start);
        let _ = write!(out, "{:indent$}[{id}] {} {line}:{col} {}..{}", "", n.kind.name(), n.span.start, n.span.end, indent = depth * 2);
        let fields = [
            ("text", table.string(n.text).map(|t| format!("{t:?}"))),
            ("level", n.level.map(|l| l.to_string())),
            ("url", table.string(n.url).map(|u| format!("{u:?}"))),
            ("title", table.string(n.title).map(|t| format!("{t:?}"))),
            ("info", table.string(n.info).map(|i| format!("{i:?}"))),
            ("checked", n.checked.map(|c| c.to_string())),
            ("link-kind", n.link_kind.map(|k| format!("{k:?}").to_lowercase())),
            ("label", table.string(n.label).map(|l| format!("{l:?}"))),
            ("start", n.start.map(|s| s.to_string())),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                let _ = write!(out, " {name}={value}");
            }
        }
        for (key, value) in table.attributes(n) {
            let _ = write!(out, " @{key}");
            if let Some(value) = value {
                let _ = write!(out, "={value:?}");
            }
        }
        out.push('\n');
        stack.extend(table.children(n).iter().rev().map(|&c| (c, depth + 1)));
    }
    out
}
