//! A compiled plugin, whatever its binary kind, and the one interface every
//! kind answers to: describe itself, open sessions, and, in a session, scan,
//! transform and finish.

use std::sync::Arc;

use anyhow::Result;

use super::engine::Runtime;
use super::error::PluginError;
use crate::doc::{Diagnostic, Edit, NodeTable, Severity, TreeIndex};

/// What `describe` returns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    pub options: Vec<PluginOption>,
    /// The plugin asks to see the whole tree before transforming.
    pub tree_wide: bool,
    /// The contract the plugin was built against, e.g. `0.2.0`, or `json`
    /// for a WASI preview 1 module.
    pub contract: &'static str,
}

/// One option a plugin declares.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginOption {
    pub name: String,
    pub description: String,
    pub default: Option<String>,
    pub kind: OptionKind,
    pub required: bool,
}

impl PluginOption {
    /// An option of a contract that declares no kinds (0.1.0, the JSON
    /// protocol): text, never required.
    pub(super) fn untyped(name: String, description: String, default: Option<String>) -> Self {
        PluginOption { name, description, default, kind: OptionKind::Text, required: false }
    }
}

/// What kind of value an option takes (WIT `option-kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptionKind {
    Text,
    Flag,
    Integer,
    Path,
}

/// A (key, value) fact a plugin recorded about a document.
pub type Fact = (String, String);

/// A plugin's answer for one document.
#[derive(Debug, Clone, Default)]
pub struct PluginOutput {
    pub edits: Vec<Edit>,
    pub diagnostics: Vec<Diagnostic>,
    /// (name, content)
    pub artifacts: Vec<(String, String)>,
    pub facts: Vec<Fact>,
}

/// A diagnostic about the run, not a place in a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunDiagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub path: Option<String>,
}

/// What `finish` returns.
#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    pub diagnostics: Vec<RunDiagnostic>,
    /// (name, content)
    pub artifacts: Vec<(String, String)>,
}

/// One document as a plugin call sees it.
#[derive(Clone, Copy)]
pub struct DocumentRef<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub table: &'a NodeTable,
}

/// A plugin opened with its options, called for many documents. Plugins of
/// one-document contracts (0.1.0, JSON) have no scan and no run output.
pub trait Session: Send {
    /// Facts about one document, before any is transformed.
    fn scan(&mut self, _doc: DocumentRef<'_>, _index: &Arc<TreeIndex>) -> Result<Vec<Fact>, PluginError> {
        Ok(Vec::new())
    }
    /// Edits, diagnostics, artifacts and facts for one document.
    fn transform(&mut self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError>;
    /// Output about the whole run, once, after every document.
    fn finish(&mut self, _index: &Arc<TreeIndex>) -> Result<RunOutput, PluginError> {
        Ok(RunOutput::default())
    }
}

/// One kind of plugin binary, compiled and linked: it can describe itself
/// and open sessions.
pub(super) trait Binary: Send + Sync {
    fn describe(&self, runtime: &Runtime, origin: &str) -> Result<PluginInfo, PluginError>;
    /// `name` is the plugin's own name, for log lines.
    fn open(&self, runtime: &Runtime, name: &str, config: &[(String, String)]) -> Result<Box<dyn Session>, PluginError>;
}

/// A plugin compiled, linked and described, ready to open sessions.
#[derive(Clone)]
pub struct CompiledPlugin {
    runtime: Runtime,
    origin: String,
    binary: Arc<dyn Binary>,
    info: PluginInfo,
}

impl CompiledPlugin {
    /// Ask the binary to describe itself; its answer names it from then on.
    pub(super) fn described(runtime: Runtime, origin: &str, binary: Arc<dyn Binary>) -> Result<Self> {
        let info = binary
            .describe(&runtime, origin)
            .map_err(|e| anyhow::anyhow!("{origin}: `describe` failed: plugin {e}"))?;
        Ok(CompiledPlugin { runtime, origin: origin.to_string(), binary, info })
    }

    /// Where the plugin came from: a path or `built-in plugin NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The plugin's own description of itself.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// Open a session with options the host has already checked.
    pub fn open(&self, config: &[(String, String)]) -> Result<Box<dyn Session>, PluginError> {
        self.binary.open(&self.runtime, &self.info.name, config)
    }

    /// The cap on edits one call may return.
    pub(super) fn max_edits(&self) -> usize {
        self.runtime.limits.max_edits
    }
}
