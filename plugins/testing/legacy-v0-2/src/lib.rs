//! A plugin of contract `dochost:plugin@0.2.0` (`wit/0.2.0/`), written
//! against the raw bindings as a third party would have, to show that the
//! host still fills 0.2.0's node records: it upper-cases text, reports the
//! fields of headings, links, lists, task markers and code blocks as info
//! diagnostics (`fields`), checks that parents and children agree, and
//! counts the documents its session sees (`session`); `finish` says how many
//! documents the index knows.

use std::cell::Cell;

wit_bindgen::generate!({
    path: "../../../wit/0.2.0",
    world: "plugin",
});

use dochost::plugin::index;
use dochost::plugin::types::{
    Diagnostic, Document, Edit, EditOp, Fact, LinkKind, Node, NodeKind, NodeValue, Output, PluginInfo, RunDiagnostic,
    RunOutput,
};
use exports::dochost::plugin::plugin_api::{Guest, GuestSession, Session};

struct Legacy;

/// Counts the documents this session has transformed.
struct Counting(Cell<usize>);

impl Guest for Legacy {
    type Session = Counting;

    fn describe() -> PluginInfo {
        PluginInfo {
            name: "legacy2".into(),
            version: "0.2.0".into(),
            description: "Upper-cases text and reports node fields (a dochost:plugin@0.2.0 plugin)".into(),
            options: vec![],
            tree_wide: false,
        }
    }

    fn open(_config: Vec<(String, String)>) -> Result<Session, String> {
        Ok(Session::new(Counting(Cell::new(0))))
    }
}

fn info(code: &str, message: String, node: Option<u32>) -> Diagnostic {
    Diagnostic { severity: Severity::Info, code: code.into(), message, node, span: None }
}

include!("fields.rs");

impl GuestSession for Counting {
    fn scan(&self, _doc: Document) -> Result<Vec<Fact>, String> {
        Ok(vec![])
    }

    fn transform(&self, doc: Document) -> Result<Output, String> {
        self.0.set(self.0.get() + 1);
        let nodes = &doc.nodes;
        let consistent = nodes[0].parent.is_none()
            && nodes.iter().enumerate().all(|(id, node)| {
                node.children.iter().all(|&c| nodes[c as usize].parent == Some(id as u32))
                    && node.parent.is_none_or(|p| nodes[p as usize].children.contains(&(id as u32)))
            });
        let mut diagnostics = vec![info(
            "session",
            format!("document {} of this session, {} nodes, tree consistent: {consistent}", self.0.get(), nodes.len()),
            None,
        )];
        let mut edits = vec![];
        for (id, node) in nodes.iter().enumerate() {
            if let Some(message) = fields(node) {
                diagnostics.push(info("fields", message, Some(id as u32)));
            }
            if node.kind == NodeKind::Text {
                let value = node.text.as_deref().unwrap_or("").to_uppercase();
                edits.push(Edit { op: EditOp::SetText(NodeValue { node: id as u32, value }), reason: None });
            }
        }
        log(Severity::Info, "legacy 0.2.0 plugin ran");
        Ok(Output { edits, diagnostics, artifacts: vec![], facts: vec![] })
    }

    fn finish(&self) -> Result<RunOutput, String> {
        let message = format!("finished after {} documents, {} in the run", self.0.get(), index::documents().len());
        Ok(RunOutput {
            diagnostics: vec![RunDiagnostic { severity: Severity::Info, code: "finish".into(), message, path: None }],
            artifacts: vec![],
        })
    }
}

export!(Legacy);
