//! Building a plugin's answer: edits, diagnostics and artifacts.

use crate::bindings::dochost::plugin::types as raw;
use crate::{Artifact, Diagnostic, Edit, EditOp, Fact, NodeId, NodeValue, RunDiagnostic, Severity, Span, SpanValue};

/// What a plugin returns for a document: edits for the host to apply,
/// diagnostics to print, artifacts to save, facts for `finish`.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub edits: Vec<Edit>,
    pub diagnostics: Vec<Diagnostic>,
    pub artifacts: Vec<Artifact>,
    pub facts: Vec<Fact>,
}

fn node_value(node: NodeId, value: impl Into<String>) -> NodeValue {
    NodeValue { node, value: value.into() }
}

impl Output {
    /// Add an edit; returns it so a reason can be attached with
    /// [`Edit::because`].
    pub fn edit(&mut self, op: EditOp) -> &mut Edit {
        self.edits.push(Edit { op, reason: None });
        self.edits.last_mut().expect("just pushed")
    }

    /// Replace the literal text of a text-bearing node; the host escapes it.
    pub fn set_text(&mut self, node: NodeId, text: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::SetText(node_value(node, text)))
    }

    /// Replace a whole node with raw Markdown.
    pub fn replace(&mut self, node: NodeId, markdown: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::Replace(node_value(node, markdown)))
    }

    /// Insert raw Markdown before a node.
    pub fn insert_before(&mut self, node: NodeId, markdown: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::InsertBefore(node_value(node, markdown)))
    }

    /// Insert raw Markdown after a node.
    pub fn insert_after(&mut self, node: NodeId, markdown: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::InsertAfter(node_value(node, markdown)))
    }

    /// Remove a node.
    pub fn remove(&mut self, node: NodeId) -> &mut Edit {
        self.edit(EditOp::Remove(node))
    }

    /// Set the destination of a link, image or link definition.
    pub fn set_url(&mut self, node: NodeId, url: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::SetUrl(node_value(node, url)))
    }

    /// Set the title of a link, image or link definition.
    pub fn set_title(&mut self, node: NodeId, title: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::SetTitle(node_value(node, title)))
    }

    /// Set the info string of a fenced code block.
    pub fn set_info(&mut self, node: NodeId, info: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::SetInfo(node_value(node, info)))
    }

    /// Replace raw source bytes `start..end`.
    pub fn splice(&mut self, start: u32, end: u32, markdown: impl Into<String>) -> &mut Edit {
        self.edit(EditOp::Splice(SpanValue { span: Span { start, end }, value: markdown.into() }))
    }

    /// Report something about a node.
    pub fn diagnose(
        &mut self,
        severity: Severity,
        code: &str,
        message: impl Into<String>,
        node: Option<NodeId>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            node,
            span: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Report something about a byte span.
    pub fn diagnose_span(
        &mut self,
        severity: Severity,
        code: &str,
        message: impl Into<String>,
        span: Span,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            node: None,
            span: Some(span),
        });
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Emit a named text output (the host saves it with `--artifacts DIR`).
    pub fn artifact(&mut self, name: impl Into<String>, content: impl Into<String>) {
        self.artifacts.push(Artifact { name: name.into(), content: content.into() });
    }

    /// Record a fact about this document, for `finish` to query through
    /// [`crate::index::facts`].
    pub fn fact(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.facts.push(Fact::new(key, value));
    }

    /// The raw WIT record; used by [`crate::export_plugin!`].
    pub fn into_raw(self) -> raw::Output {
        raw::Output { edits: self.edits, diagnostics: self.diagnostics, artifacts: self.artifacts, facts: self.facts }
    }
}

/// What a plugin returns when the run ends: diagnostics about the run and
/// artifacts for the whole tree (one report, one `.pot`).
#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    pub diagnostics: Vec<RunDiagnostic>,
    pub artifacts: Vec<Artifact>,
}

impl RunOutput {
    /// Report something about the run, or about the document at `path`.
    pub fn diagnose(&mut self, severity: Severity, code: &str, message: impl Into<String>, path: Option<&str>) {
        self.diagnostics.push(RunDiagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            path: path.map(str::to_string),
        });
    }

    /// Emit a named text output (the host saves it with `--artifacts DIR`).
    pub fn artifact(&mut self, name: impl Into<String>, content: impl Into<String>) {
        self.artifacts.push(Artifact { name: name.into(), content: content.into() });
    }

    /// The raw WIT record; used by [`crate::export_plugin!`].
    pub fn into_raw(self) -> raw::RunOutput {
        raw::RunOutput { diagnostics: self.diagnostics, artifacts: self.artifacts }
    }
}
