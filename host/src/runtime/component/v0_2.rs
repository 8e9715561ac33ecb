//! Components built against `dochost:plugin@0.2.0` (`wit/0.2.0/`): sessions
//! as in every later version, and the node table as one record per node.

mod lower;

use wasmtime::component::{ComponentType, Lower};

use self::lower::Nodes;
use crate::doc::{Node, NodeTable};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/0.2.0",
        world: "plugin",
    });
}

session_world!("0.2.0");

/// The WIT `document` record lowered straight from the host's node table:
/// the bindings' own type would copy every string once more first.
#[derive(ComponentType, Lower)]
#[component(record)]
struct DocumentIn<'a> {
    path: &'a str,
    source: &'a str,
    nodes: Nodes<'a>,
}

/// The WIT `node` record, borrowed from a host node: what [`Nodes`] is
/// checked against, and how it is lowered for a guest that does not take
/// UTF-8.
#[derive(ComponentType, Lower)]
#[component(record)]
struct NodeIn<'a> {
    kind: wit::NodeKind,
    parent: Option<u32>,
    children: &'a [u32],
    span: wit::Span,
    text: Option<&'a str>,
    level: Option<u8>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    info: Option<&'a str>,
    checked: Option<bool>,
    #[component(name = "link-kind")]
    link_kind: Option<wit::LinkKind>,
    label: Option<&'a str>,
    start: Option<u64>,
    attributes: Vec<(&'a str, Option<&'a str>)>,
}

impl<'a> NodeIn<'a> {
    fn of(table: &'a NodeTable, n: &'a Node) -> Self {
        NodeIn {
            kind: node_kind(n.kind),
            parent: n.parent,
            children: table.children(n),
            span: span(&n.span),
            text: table.string(n.text),
            level: n.level,
            url: table.string(n.url),
            title: table.string(n.title),
            info: table.string(n.info),
            checked: n.checked,
            link_kind: n.link_kind.map(link_kind),
            label: table.string(n.label),
            start: n.start,
            attributes: table.attributes(n).collect(),
        }
    }
}

impl<'a> DocumentIn<'a> {
    fn of(doc: DocumentRef<'a>) -> Self {
        DocumentIn { path: doc.path, source: doc.source, nodes: Nodes(doc.table) }
    }
}
