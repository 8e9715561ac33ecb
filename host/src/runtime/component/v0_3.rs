//! Components built against `dochost:plugin@0.3.0` (`wit/plugin.wit`, the
//! current contract): sessions, and the node table handed over in columns.

mod columns;

use wasmtime::component::{ComponentType, Lower};

use self::columns::NodeTableIn;

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
    });
}

session_world!("0.3.0");

/// The WIT `document` record: the host's path and source, and its node
/// table in columns.
#[derive(ComponentType, Lower)]
#[component(record)]
struct DocumentIn<'a> {
    path: &'a str,
    source: &'a str,
    nodes: NodeTableIn<'a>,
}

impl<'a> DocumentIn<'a> {
    fn of(doc: DocumentRef<'a>) -> Self {
        DocumentIn { path: doc.path, source: doc.source, nodes: NodeTableIn::of(doc.table) }
    }
}
