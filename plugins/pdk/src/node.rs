//! The node records plugins read, decoded from the columns the host sends.

use crate::bindings::dochost::plugin::types::{self as raw, PropertyName};
use crate::{LinkKind, NodeId, NodeKind, Span};

/// One node of the document; node `i` is `Document::nodes()[i]`. The same
/// record as contract 0.2.0 handed over, rebuilt from 0.3.0's columns.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// The node's bytes in the source, markup included.
    pub span: Span,
    /// Literal content of text-bearing nodes (text, code, code-block, html,
    /// math, front matter), decoded.
    pub text: Option<String>,
    /// Heading level, 1–6.
    pub level: Option<u8>,
    /// Link, image or link-definition destination.
    pub url: Option<String>,
    pub title: Option<String>,
    /// Code block info string, or front-matter format (`yaml`, `toml`).
    pub info: Option<String>,
    /// Task-list marker state.
    pub checked: Option<bool>,
    pub link_kind: Option<LinkKind>,
    /// Reference or footnote label.
    pub label: Option<String>,
    /// First number of an ordered list.
    pub start: Option<u64>,
    /// Heading attributes: `("id", Some("x"))`, `("class", Some("c"))`,
    /// `("key", Some("value"))` or `("key", None)`.
    pub attributes: Vec<(String, Option<String>)>,
}

/// The root's entry in `node-table.parents`.
const NO_PARENT: u32 = u32::MAX;

/// `link-kind` in the order the contract numbers it.
const LINK_KINDS: [LinkKind; 6] =
    [LinkKind::Inline, LinkKind::Reference, LinkKind::Collapsed, LinkKind::Shortcut, LinkKind::Autolink, LinkKind::Email];

/// Whether a property's value is a string (its range in `strings`) rather
/// than a number.
pub(crate) fn holds_string(name: PropertyName) -> bool {
    match name {
        PropertyName::Text
        | PropertyName::Url
        | PropertyName::Title
        | PropertyName::Info
        | PropertyName::Label
        | PropertyName::Attribute
        | PropertyName::AttributeValue => true,
        PropertyName::Level | PropertyName::Checked | PropertyName::LinkKind | PropertyName::Start => false,
    }
}

/// The node records of a table: one pass over the columns, one over the
/// parents for the children, one over the properties. A table that breaks
/// the contract (an index or range out of bounds) panics: the host's bug
/// fails the document rather than passing for a document without the node.
pub(crate) fn decode(table: &raw::NodeTable) -> Vec<Node> {
    let raw::NodeTable { kinds, parents, spans, properties, strings } = table;
    assert!(
        kinds.len() == parents.len() && kinds.len() == spans.len(),
        "node table columns differ in length: {} kinds, {} parents, {} spans",
        kinds.len(),
        parents.len(),
        spans.len()
    );
    let mut nodes: Vec<Node> = kinds
        .iter()
        .zip(parents)
        .zip(spans)
        .map(|((&kind, &parent), &span)| Node {
            kind,
            parent: (parent != NO_PARENT).then_some(parent),
            children: Vec::new(),
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
        })
        .collect();
    for (id, &parent) in parents.iter().enumerate() {
        if parent != NO_PARENT {
            nodes[parent as usize].children.push(id as NodeId);
        }
    }
    for property in properties {
        let node = &mut nodes[property.node as usize];
        let string = || strings[property.start as usize..property.end as usize].to_string();
        match property.name {
            PropertyName::Text => node.text = Some(string()),
            PropertyName::Url => node.url = Some(string()),
            PropertyName::Title => node.title = Some(string()),
            PropertyName::Info => node.info = Some(string()),
            PropertyName::Label => node.label = Some(string()),
            PropertyName::Level => node.level = Some(property.start as u8),
            PropertyName::Checked => node.checked = Some(property.start != 0),
            PropertyName::LinkKind => node.link_kind = Some(LINK_KINDS[property.start as usize]),
            PropertyName::Start => node.start = Some(u64::from(property.end) << 32 | u64::from(property.start)),
            PropertyName::Attribute => node.attributes.push((string(), None)),
            PropertyName::AttributeValue => {
                let attribute = node.attributes.last_mut().expect("an attribute value follows its attribute");
                attribute.1 = Some(string());
            }
        }
    }
    nodes
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use raw::Property;

    fn span(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    fn property(node: u32, name: PropertyName, start: u32, end: u32) -> Property {
        Property { node, name, start, end }
    }

    /// `# Hi {#top .big data}\n\n- [x] see [it](u "t")\n` as the host
    /// sends it, the strings in the order of the properties.
    pub(crate) fn table() -> raw::NodeTable {
        raw::NodeTable {
            kinds: vec![
                NodeKind::Document,
                NodeKind::Heading,
                NodeKind::Text,
                NodeKind::List,
                NodeKind::ListItem,
                NodeKind::TaskMarker,
                NodeKind::Text,
                NodeKind::Link,
                NodeKind::Text,
            ],
            parents: vec![NO_PARENT, 0, 1, 0, 3, 4, 4, 4, 7],
            spans: vec![
                span(0, 45),
                span(0, 22),
                span(2, 4),
                span(23, 45),
                span(23, 45),
                span(25, 28),
                span(29, 33),
                span(33, 44),
                span(34, 36),
            ],
            properties: vec![
                property(1, PropertyName::Level, 1, 0),
                property(1, PropertyName::Attribute, 0, 2),
                property(1, PropertyName::AttributeValue, 2, 5),
                property(1, PropertyName::Attribute, 5, 10),
                property(1, PropertyName::AttributeValue, 10, 13),
                property(1, PropertyName::Attribute, 13, 17),
                property(2, PropertyName::Text, 17, 19),
                property(5, PropertyName::Checked, 1, 0),
                property(6, PropertyName::Text, 19, 23),
                property(7, PropertyName::Url, 23, 24),
                property(7, PropertyName::Title, 24, 25),
                property(7, PropertyName::LinkKind, 0, 0),
                property(8, PropertyName::Text, 25, 27),
            ],
            strings: "idtopclassbigdataHisee utit".to_string(),
        }
    }

    #[test]
    fn parents_and_children_come_from_the_parents_column() {
        let nodes = decode(&table());
        assert_eq!(nodes.len(), 9);
        assert_eq!(nodes[0].parent, None);
        assert_eq!(nodes[0].children, [1, 3]);
        assert_eq!(nodes[4].parent, Some(3));
        assert_eq!(nodes[4].children, [5, 6, 7]);
        assert_eq!(nodes[8].children, [] as [NodeId; 0]);
        assert_eq!((nodes[7].span.start, nodes[7].span.end), (33, 44));
        assert!(nodes.iter().map(|n| n.kind).eq(table().kinds));
    }

    #[test]
    fn strings_numbers_and_attributes_land_on_their_node() {
        let nodes = decode(&table());
        let heading = &nodes[1];
        assert_eq!(heading.level, Some(1));
        let attributes = [("id", Some("top")), ("class", Some("big")), ("data", None)]
            .map(|(name, value)| (name.to_string(), value.map(str::to_string)));
        assert_eq!(heading.attributes, attributes);
        assert_eq!(heading.text, None);
        assert_eq!(nodes[2].text.as_deref(), Some("Hi"));
        assert_eq!(nodes[5].checked, Some(true));
        assert_eq!(nodes[6].text.as_deref(), Some("see "));
        let link = &nodes[7];
        assert_eq!((link.url.as_deref(), link.title.as_deref()), (Some("u"), Some("t")));
        assert_eq!(link.link_kind, Some(LinkKind::Inline));
        assert_eq!((link.text.as_deref(), link.label.as_deref(), link.level), (None, None, None));
        assert_eq!(nodes[8].text.as_deref(), Some("it"));
    }

    #[test]
    fn numbers_decode_whole() {
        let table = raw::NodeTable {
            kinds: vec![NodeKind::Document, NodeKind::List, NodeKind::TaskMarker, NodeKind::Link, NodeKind::CodeBlock],
            parents: vec![NO_PARENT, 0, 1, 1, 0],
            spans: vec![span(0, 0); 5],
            properties: vec![
                property(1, PropertyName::Start, 7, 2),
                property(2, PropertyName::Checked, 0, 0),
                property(3, PropertyName::LinkKind, 5, 0),
                property(3, PropertyName::Label, 0, 0),
                property(4, PropertyName::Info, 0, 4),
            ],
            strings: "rustñ".to_string(),
        };
        let nodes = decode(&table);
        assert_eq!(nodes[1].start, Some(2 << 32 | 7));
        assert_eq!(nodes[2].checked, Some(false));
        assert_eq!(nodes[3].link_kind, Some(LinkKind::Email));
        assert_eq!(nodes[3].label.as_deref(), Some(""), "an empty string is present, not absent");
        assert_eq!(nodes[4].info.as_deref(), Some("rust"));
    }

    #[test]
    fn strings_are_byte_ranges() {
        let table = raw::NodeTable {
            kinds: vec![NodeKind::Document, NodeKind::Text],
            parents: vec![NO_PARENT, 0],
            spans: vec![span(0, 7); 2],
            properties: vec![property(1, PropertyName::Text, 4, 9)],
            strings: "a–ü€".to_string(),
        };
        assert_eq!(decode(&table)[1].text.as_deref(), Some("ü€"));
    }
}
