//! One document through a chain of plugins: parse → plugin → apply, then
//! re-parse the new text for the next plugin.

use std::fmt;

use crate::doc::{self, Diagnostic, NodeTable};
use crate::runtime::{CompiledPlugin, PluginError};

/// A plugin and the options meant for it.
pub struct Stage {
    pub plugin: CompiledPlugin,
    pub config: Vec<(String, String)>,
}

impl Stage {
    pub fn name(&self) -> &str {
        &self.plugin.info().name
    }
}

/// A diagnostic placed in the text the plugin saw.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlacedDiagnostic {
    pub plugin: String,
    pub line: usize,
    pub column: usize,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// One applied change, for reports: where it was and what it did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChangeRecord {
    pub plugin: String,
    pub line: usize,
    pub before: String,
    pub after: String,
    pub reason: Option<String>,
}

/// A document after the whole pipeline.
#[derive(Debug, Default)]
pub struct Processed {
    pub output: String,
    pub diagnostics: Vec<PlacedDiagnostic>,
    pub changes: Vec<ChangeRecord>,
    /// (plugin, name, content)
    pub artifacts: Vec<(String, String, String)>,
}

/// Why a document failed; the file is left as it was.
#[derive(Debug)]
pub enum Failure {
    Plugin { plugin: String, error: PluginError },
    Edit { plugin: String, error: doc::EditError },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Plugin { plugin, error } => write!(f, "plugin {plugin} {error}"),
            Failure::Edit { plugin, error } => write!(
                f,
                "plugin {plugin} returned an edit that cannot be applied: {error}; the file was left unchanged (this is a bug in the plugin)"
            ),
        }
    }
}

impl std::error::Error for Failure {}

/// Run every stage on `source` in order.
pub fn process(stages: &[Stage], path: &str, source: &str) -> Result<Processed, Failure> {
    let mut result = Processed { output: source.to_string(), ..Default::default() };
    for stage in stages {
        let text = std::mem::take(&mut result.output);
        let table = doc::parse(&text);
        let plugin = stage.name().to_string();
        let out = stage
            .plugin
            .transform(path, &text, &table, &stage.config)
            .map_err(|error| Failure::Plugin { plugin: plugin.clone(), error })?;
        for d in out.diagnostics {
            let offset = position(&table, &d).min(text.len());
            let (line, column) = doc::line_col(&text, offset);
            result.diagnostics.push(PlacedDiagnostic { plugin: plugin.clone(), line, column, diagnostic: d });
        }
        let (new_text, changes) = doc::apply(&text, &table, &out.edits)
            .map_err(|error| Failure::Edit { plugin: plugin.clone(), error })?;
        for change in changes {
            result.changes.push(ChangeRecord {
                plugin: plugin.clone(),
                line: doc::line_col(&text, change.range.start).0,
                before: text[change.range].to_string(),
                after: change.replacement,
                reason: change.reason,
            });
        }
        result.artifacts.extend(out.artifacts.into_iter().map(|(n, c)| (plugin.clone(), n, c)));
        result.output = new_text;
    }
    Ok(result)
}

/// The byte offset a diagnostic points at: its span, else its node, else the
/// start of the document.
fn position(table: &NodeTable, d: &Diagnostic) -> usize {
    d.span
        .as_ref()
        .map(|s| s.start)
        .or_else(|| d.node.and_then(|n| table.get(n)).map(|n| n.span.start))
        .unwrap_or(0)
}
