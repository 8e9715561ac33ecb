//! What a tree-wide run knows about its documents: each one's headings, link
//! targets and front matter (read off the node table) and the facts plugins
//! record about it. Plugins query it through the WIT `index` interface.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::model::{NodeKind, NodeTable};

/// A heading: its text without markup, level and explicit `{#id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingEntry {
    pub text: String,
    pub level: u8,
    pub id: Option<String>,
    pub span: Range<usize>,
}

/// What a destination belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Link,
    Image,
    LinkDefinition,
}

/// A link, image or link-definition destination.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetEntry {
    pub kind: TargetKind,
    pub url: String,
    pub span: Range<usize>,
}

/// One document as the index knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentSummary {
    pub path: String,
    pub headings: Vec<HeadingEntry>,
    pub targets: Vec<TargetEntry>,
    pub front_matter: Option<String>,
    /// (key, value) facts plugins recorded, in the order they came.
    pub facts: Vec<(String, String)>,
}

impl DocumentSummary {
    /// Read headings, targets and front matter off a document's node table.
    pub fn of(path: &str, table: &NodeTable) -> Self {
        let mut summary = DocumentSummary { path: path.to_string(), ..Default::default() };
        for (id, node) in table.nodes.iter().enumerate() {
            match node.kind {
                NodeKind::Heading => summary.headings.push(HeadingEntry {
                    text: plain_text(table, id as u32),
                    level: node.level.unwrap_or(1),
                    id: table.attributes(node).find(|&(k, _)| k == "id").and_then(|(_, v)| v.map(str::to_string)),
                    span: node.span.clone(),
                }),
                NodeKind::Link | NodeKind::Image | NodeKind::LinkDefinition => {
                    let kind = match node.kind {
                        NodeKind::Link => TargetKind::Link,
                        NodeKind::Image => TargetKind::Image,
                        _ => TargetKind::LinkDefinition,
                    };
                    let url = table.string(node.url).unwrap_or_default().to_string();
                    summary.targets.push(TargetEntry { kind, url, span: node.span.clone() });
                }
                NodeKind::FrontMatter if summary.front_matter.is_none() => {
                    summary.front_matter = table.string(node.text).map(str::to_string);
                }
                _ => {}
            }
        }
        summary
    }
}

/// The text a reader sees in a node: its text and code descendants, joined.
fn plain_text(table: &NodeTable, id: u32) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        let node = &table.nodes[id as usize];
        match node.kind {
            NodeKind::Text | NodeKind::Code | NodeKind::MathInline => {
                out.push_str(table.string(node.text).unwrap_or(""));
            }
            NodeKind::SoftBreak | NodeKind::HardBreak => out.push(' '),
            _ => stack.extend(table.children(node).iter().rev()),
        }
    }
    out
}

/// What the run was given: the command-line paths and every file under
/// them (Markdown or not), for plugins that resolve links to files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    pub roots: Vec<String>,
    /// Sorted.
    pub files: Vec<String>,
}

/// Every document of a run, in input order, looked up by path, and the
/// tree they were found in.
#[derive(Debug, Clone, Default)]
pub struct TreeIndex {
    documents: Vec<DocumentSummary>,
    by_path: HashMap<String, usize>,
    tree: Arc<Tree>,
}

impl TreeIndex {
    pub fn new(documents: Vec<DocumentSummary>, tree: Arc<Tree>) -> Self {
        let by_path = documents.iter().enumerate().map(|(i, d)| (d.path.clone(), i)).collect();
        TreeIndex { documents, by_path, tree }
    }

    /// The command-line paths and the files under them.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Paths of every document, in input order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.documents.iter().map(|d| d.path.as_str())
    }

    pub fn document(&self, path: &str) -> Option<&DocumentSummary> {
        self.by_path.get(path).map(|&i| &self.documents[i])
    }

    /// Every (path, value) recorded under `key`, documents in input order.
    pub fn facts(&self, key: &str) -> Vec<(&str, &str)> {
        self.documents
            .iter()
            .flat_map(|d| d.facts.iter().filter(|(k, _)| k == key).map(|(_, v)| (d.path.as_str(), v.as_str())))
            .collect()
    }

    /// Record more facts about the document at `path` (ignored for a path
    /// not in the index).
    pub fn add_facts(&mut self, path: &str, facts: impl IntoIterator<Item = (String, String)>) {
        if let Some(&i) = self.by_path.get(path) {
            self.documents[i].facts.extend(facts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::parse;

    #[test]
    fn summaries_hold_headings_targets_and_front_matter() {
        let source = "---\ntitle: T\n---\n# Intro *now* {#start}\n\nSee [b](b.md#x) and ![i](i.png).\n\n[d]: https://d.org\n";
        let s = DocumentSummary::of("a.md", &parse(source));
        assert_eq!(s.front_matter.as_deref(), Some("title: T\n"));
        assert_eq!(s.headings.len(), 1);
        assert_eq!(s.headings[0].text, "Intro now");
        assert_eq!(s.headings[0].id.as_deref(), Some("start"));
        let urls: Vec<_> = s.targets.iter().map(|t| (t.kind, t.url.as_str())).collect();
        assert_eq!(
            urls,
            [(TargetKind::Link, "b.md#x"), (TargetKind::Image, "i.png"), (TargetKind::LinkDefinition, "https://d.org")]
        );
    }

    #[test]
    fn facts_are_found_by_key_in_document_order() {
        let mut index = TreeIndex::new(
            vec![
                DocumentSummary { path: "a.md".into(), ..Default::default() },
                DocumentSummary { path: "b.md".into(), ..Default::default() },
            ],
            Arc::default(),
        );
        index.add_facts("b.md", [("k".to_string(), "2".to_string())]);
        index.add_facts("a.md", [("k".to_string(), "1".to_string()), ("other".to_string(), "x".to_string())]);
        index.add_facts("missing.md", [("k".to_string(), "3".to_string())]);
        assert_eq!(index.facts("k"), [("a.md", "1"), ("b.md", "2")]);
        assert_eq!(index.paths().collect::<Vec<_>>(), ["a.md", "b.md"]);
    }
}
