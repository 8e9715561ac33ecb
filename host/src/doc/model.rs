//! The node table: what a plugin sees of a document.
//!
//! It mirrors the WIT `node` record; `runtime` converts it at the boundary so
//! that this module knows nothing about Wasm.

use std::ops::Range;

use serde::Serialize;

/// What a node is. See `wit/plugin.wit` for each kind's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Document,
    FrontMatter,
    Paragraph,
    Heading,
    BlockQuote,
    CodeBlock,
    HtmlBlock,
    List,
    ListItem,
    Table,
    TableHead,
    TableRow,
    TableCell,
    ThematicBreak,
    FootnoteDefinition,
    MathBlock,
    LinkDefinition,
    Text,
    Code,
    InlineHtml,
    Emphasis,
    Strong,
    Strikethrough,
    Link,
    Image,
    SoftBreak,
    HardBreak,
    FootnoteReference,
    TaskMarker,
    MathInline,
}

impl NodeKind {
    /// The kebab-case name used in WIT, JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Document => "document",
            NodeKind::FrontMatter => "front-matter",
            NodeKind::Paragraph => "paragraph",
            NodeKind::Heading => "heading",
            NodeKind::BlockQuote => "block-quote",
            NodeKind::CodeBlock => "code-block",
            NodeKind::HtmlBlock => "html-block",
            NodeKind::List => "list",
            NodeKind::ListItem => "list-item",
            NodeKind::Table => "table",
            NodeKind::TableHead => "table-head",
            NodeKind::TableRow => "table-row",
            NodeKind::TableCell => "table-cell",
            NodeKind::ThematicBreak => "thematic-break",
            NodeKind::FootnoteDefinition => "footnote-definition",
            NodeKind::MathBlock => "math-block",
            NodeKind::LinkDefinition => "link-definition",
            NodeKind::Text => "text",
            NodeKind::Code => "code",
            NodeKind::InlineHtml => "inline-html",
            NodeKind::Emphasis => "emphasis",
            NodeKind::Strong => "strong",
            NodeKind::Strikethrough => "strikethrough",
            NodeKind::Link => "link",
            NodeKind::Image => "image",
            NodeKind::SoftBreak => "soft-break",
            NodeKind::HardBreak => "hard-break",
            NodeKind::FootnoteReference => "footnote-reference",
            NodeKind::TaskMarker => "task-marker",
            NodeKind::MathInline => "math-inline",
        }
    }
}

/// How a link or image is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    Inline,
    Reference,
    Collapsed,
    Shortcut,
    Autolink,
    Email,
}

/// A string of a [`NodeTable`]: where it lies in the table's `strings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrRef {
    pub(super) start: u32,
    pub(super) end: u32,
}

impl StrRef {
    /// Its byte range in the table's `strings`.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One node. Spans are UTF-8 byte offsets into the document source; its
/// strings and children are read through the [`NodeTable`] that holds it
/// (one buffer for all the table's strings and one for all its children, so
/// that building a table costs a few allocations, not a few per node).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<u32>,
    /// Where its children lie in the table's child list: read them with
    /// [`NodeTable::children`].
    pub children: Range<u32>,
    pub span: Range<usize>,
    pub text: Option<StrRef>,
    pub level: Option<u8>,
    pub url: Option<StrRef>,
    pub title: Option<StrRef>,
    pub info: Option<StrRef>,
    pub checked: Option<bool>,
    pub link_kind: Option<LinkKind>,
    pub label: Option<StrRef>,
    pub start: Option<u64>,
    pub attributes: Vec<(StrRef, Option<StrRef>)>,
    /// Source ranges the literal `text` was read from (code, HTML, math and
    /// front-matter content). Host-only: used to rewrite content in place.
    pub content: Vec<Range<usize>>,
}

impl Node {
    /// A node of `kind` spanning `span`, every optional field empty.
    pub(super) fn new(kind: NodeKind, span: Range<usize>, parent: Option<u32>) -> Self {
        Node {
            kind,
            parent,
            children: 0..0,
            span,
            text: None,
            level: None,
            url: None,
            title: None,
            info: None,
            checked: None,
            link_kind: None,
            label: None,
            start: None,
            attributes: Vec::new(),
            content: Vec::new(),
        }
    }
}

/// A parsed document: node 0 is the root, children are indices.
#[derive(Debug)]
pub struct NodeTable {
    pub nodes: Vec<Node>,
    /// Every string of every node, end to end: what [`StrRef`]s point into.
    pub strings: String,
    /// Every node's children, each node's together.
    pub(super) child_ids: Vec<u32>,
    /// The dialect the source was read in.
    pub dialect: super::parse::Dialect,
}

/// The emptied buffers go back to the parser, for the next table.
impl Drop for NodeTable {
    fn drop(&mut self) {
        super::parse::recycle(std::mem::take(&mut self.nodes), std::mem::take(&mut self.strings), std::mem::take(&mut self.child_ids));
    }
}

impl NodeTable {
    pub fn get(&self, id: u32) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    /// The string `s` points at, if there is one.
    pub fn string(&self, s: Option<StrRef>) -> Option<&str> {
        s.map(|s| &self.strings[s.range()])
    }

    /// The ids of `node`'s children, in document order.
    pub fn children(&self, node: &Node) -> &[u32] {
        &self.child_ids[node.children.start as usize..node.children.end as usize]
    }

    /// `node`'s attributes (`{#id .class key=value}` of a heading, an
    /// alert's kind), as keys and values.
    pub fn attributes<'a>(&'a self, node: &'a Node) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + 'a {
        node.attributes.iter().map(|&(key, value)| (&self.strings[key.range()], self.string(value)))
    }

    /// Parent, grandparent, … of `id`.
    pub fn ancestors(&self, id: u32) -> impl Iterator<Item = &Node> + '_ {
        std::iter::successors(self.nodes[id as usize].parent, move |&p| self.nodes[p as usize].parent)
            .map(move |p| &self.nodes[p as usize])
    }

    /// Whether `id` lies inside a node of `kind`.
    pub fn is_inside(&self, id: u32, kind: NodeKind) -> bool {
        self.ancestors(id).any(|n| n.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The case names of `enum NAME { … }` in the WIT contract.
    fn wit_enum(name: &str) -> Vec<String> {
        let wit = include_str!("../../../wit/plugin.wit");
        let header = format!("enum {name} {{");
        wit.lines()
            .skip_while(|l| l.trim() != header)
            .skip(1)
            .map(str::trim)
            .take_while(|l| *l != "}")
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(|l| l.trim_end_matches(',').trim_start_matches('%').to_string())
            .collect()
    }

    /// The WIT is the one source of node kinds: every case it names is a
    /// host kind of the same name (the conversion to the bindings is an
    /// exhaustive match, so the host can have none the WIT lacks).
    #[test]
    fn node_kinds_are_the_wit_node_kinds() {
        let names = wit_enum("node-kind");
        assert_eq!(names.len(), 30, "{names:?}");
        for name in names {
            let kind: NodeKind = serde_json::from_value(serde_json::json!(name)).unwrap_or_else(|_| panic!("no host kind `{name}`"));
            assert_eq!(kind.name(), name);
        }
    }
}
