//! A read-only view of the document a plugin receives.

use std::cell::OnceCell;

use crate::bindings::dochost::plugin::types as raw;
use crate::node::{self, Node};
use crate::{NodeId, NodeKind, PropertyName, Span};

/// The document: its source and node table, with navigation helpers.
///
/// The node table arrives in columns and is decoded into [`Node`] records
/// the first time a node is asked for, so a plugin that decides from the
/// source alone (a document without the text it looks for) pays nothing
/// for it. `ids`, `ids_of`, `kind`, `span`, `source_of` and `strings` read the
/// columns and decode nothing.
pub struct Document {
    path: String,
    source: String,
    table: raw::NodeTable,
    nodes: OnceCell<Vec<Node>>,
    /// Offsets where lines start, computed on the first `line_col`: most
    /// documents never need them.
    line_starts: OnceCell<Vec<u32>>,
}

impl Document {
    /// The document as the host sent it; nothing is decoded yet.
    pub fn new(raw: raw::Document) -> Self {
        let raw::Document { path, source, nodes } = raw;
        Document { path, source, table: nodes, nodes: OnceCell::new(), line_starts: OnceCell::new() }
    }

    /// The path as the user gave it (`-` for standard input).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The whole source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every node; node 0 is the document root.
    pub fn nodes(&self) -> &[Node] {
        self.nodes.get_or_init(|| node::decode(&self.table))
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes()[id as usize]
    }

    /// What node `id` is.
    pub fn kind(&self, id: NodeId) -> NodeKind {
        self.table.kinds[id as usize]
    }

    /// Ids of every node, in document order.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        0..self.table.kinds.len() as NodeId
    }

    /// Ids of every node of one kind, in document order.
    pub fn ids_of(&self, kind: NodeKind) -> impl Iterator<Item = NodeId> + '_ {
        self.ids().filter(move |&id| self.kind(id) == kind)
    }

    /// Every string the nodes carry (texts, destinations, titles, info
    /// strings, labels, heading attribute names and values) as `(node,
    /// property, string)`, by node and within a node in the order
    /// [`PropertyName`] lists them. The strings are borrowed from the table
    /// as it arrived: the cheap way to read all of a document's text, with
    /// no node record built and no string copied.
    pub fn strings(&self) -> impl Iterator<Item = (NodeId, PropertyName, &str)> + '_ {
        let raw::NodeTable { properties, strings, .. } = &self.table;
        properties
            .iter()
            .filter(|property| node::holds_string(property.name))
            .map(move |property| (property.node, property.name, &strings[property.start as usize..property.end as usize]))
    }

    /// The literal text of a text-bearing node, or `""`.
    pub fn text(&self, id: NodeId) -> &str {
        self.node(id).text.as_deref().unwrap_or("")
    }

    /// The source bytes a node spans, markup included.
    pub fn source_of(&self, id: NodeId) -> &str {
        let span = self.span(id);
        &self.source[span.start as usize..span.end as usize]
    }

    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.node(id).children
    }

    /// Parent, grandparent, … up to the root.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).parent, move |&p| self.node(p).parent)
    }

    /// Whether any ancestor of `id` is of `kind`.
    pub fn is_inside(&self, id: NodeId, kind: NodeKind) -> bool {
        self.ancestors(id).any(|a| self.node(a).kind == kind)
    }

    /// `id` and all nodes below it, in document order.
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.children(n).iter().rev().copied());
        }
        out
    }

    /// All literal text under a node (e.g. a heading's or link's text).
    pub fn plain_text(&self, id: NodeId) -> String {
        self.descendants(id)
            .into_iter()
            .filter_map(|n| match self.node(n).kind {
                NodeKind::SoftBreak | NodeKind::HardBreak => Some(" "),
                NodeKind::Text | NodeKind::Code | NodeKind::MathInline => self.node(n).text.as_deref(),
                _ => None,
            })
            .collect()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line_starts = self.line_starts.get_or_init(|| {
            std::iter::once(0).chain(self.source.match_indices('\n').map(|(i, _)| i as u32 + 1)).collect()
        });
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line] as usize;
        let col = self.source[start..offset as usize].chars().count();
        (line as u32 + 1, col as u32 + 1)
    }

    /// The span of a node.
    pub fn span(&self, id: NodeId) -> Span {
        self.table.spans[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_answer_kinds_spans_and_strings_and_nodes_are_decoded_on_first_use() {
        let source = "# Hi {#top .big data}\n\n- [x] see [it](u \"t\")\n".into();
        let doc = Document::new(raw::Document { path: "a.md".into(), source, nodes: node::tests::table() });
        assert_eq!(doc.ids_of(NodeKind::Text).collect::<Vec<_>>(), [2, 6, 8]);
        assert_eq!(doc.source_of(7), "[it](u \"t\")");
        let strings: Vec<_> = doc.strings().collect();
        assert_eq!(strings[..2], [(1, PropertyName::Attribute, "id"), (1, PropertyName::AttributeValue, "top")]);
        assert_eq!(strings[6..], [
            (6, PropertyName::Text, "see "),
            (7, PropertyName::Url, "u"),
            (7, PropertyName::Title, "t"),
            (8, PropertyName::Text, "it")
        ]);
        assert!(doc.nodes.get().is_none(), "kinds, spans and strings come from the columns");
        assert_eq!(doc.text(8), "it");
        assert_eq!(doc.children(4), [5, 6, 7]);
        assert!(doc.nodes.get().is_some());
    }
}
