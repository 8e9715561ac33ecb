//! A plugin of the first contract, `dochost:plugin@0.1.0` (`wit/0.1.0/`),
//! written against the raw bindings as a third party would have: it
//! upper-cases text, adding its `suffix` option, and counts the calls its
//! instance has seen (always 1: the host gives 0.1.0 plugins a fresh
//! instance per document, as they were built to expect).

use std::sync::atomic::{AtomicUsize, Ordering};

wit_bindgen::generate!({
    path: "../../../wit/0.1.0",
    world: "plugin",
});

use dochost::plugin::types::{Diagnostic, Edit, EditOp, NodeKind, NodeValue, OptionSpec};

static CALLS: AtomicUsize = AtomicUsize::new(0);

struct Legacy;

impl Guest for Legacy {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: "legacy".into(),
            version: "0.1.0".into(),
            description: "Upper-cases text (a dochost:plugin@0.1.0 plugin)".into(),
            options: vec![OptionSpec { name: "suffix".into(), description: "appended to each text".into(), default: None }],
        }
    }

    fn transform(doc: Document, config: Vec<(String, String)>) -> Result<Output, String> {
        let calls = CALLS.fetch_add(1, Ordering::Relaxed) + 1;
        let suffix = config.iter().rev().find(|(k, _)| k == "suffix").map_or("", |(_, v)| v.as_str());
        let edits = doc
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Text)
            .map(|(i, n)| Edit {
                op: EditOp::SetText(NodeValue {
                    node: i as u32,
                    value: format!("{}{suffix}", n.text.as_deref().unwrap_or("").to_uppercase()),
                }),
                reason: Some("legacy".into()),
            })
            .collect();
        let diagnostics = vec![Diagnostic {
            severity: Severity::Info,
            code: "calls".into(),
            message: format!("call {calls} of this instance"),
            node: None,
            span: None,
        }];
        log(Severity::Info, "legacy plugin ran");
        Ok(Output { edits, diagnostics, artifacts: vec![] })
    }
}

export!(Legacy);
