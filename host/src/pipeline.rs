//! Documents through a chain of plugins. Without a tree-wide plugin each
//! document goes through every stage on its own ([`Pipeline::through`]), on
//! whichever worker took it. With one, the whole tree goes through together
//! ([`Pipeline::process`]): each stage runs over every document before the
//! next begins, and a tree-wide stage scans every document first. Either
//! way each document is parsed, transformed and its edits applied, and the
//! next stage sees the new text, re-parsed. When every document is through,
//! each stage ends with its run-level output.

use std::cell::LazyCell;
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;

use crate::doc::{self, Diagnostic, Dialect, DocumentSummary, NodeTable, Tree, TreeIndex};
use crate::runtime::{DocumentRef, Fact, PluginError, RunOutput, SessionPool};

/// A plugin of the pipeline and its open sessions.
pub struct Stage {
    pub sessions: SessionPool,
}

impl Stage {
    pub fn name(&self) -> &str {
        &self.sessions.info().name
    }
}

/// A diagnostic placed in the text the plugin saw.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PlacedDiagnostic {
    pub plugin: String,
    pub line: usize,
    pub column: usize,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// One applied change, for reports: where it was and what it did.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Its text after every stage.
    pub output: String,
    /// Its text before the first stage that changed it; `None` while none
    /// has, so that a document nothing changes is never copied.
    pub original: Option<String>,
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

/// What a stage said about the whole run.
#[derive(Debug)]
pub struct Finished {
    pub plugin: String,
    pub result: Result<RunOutput, PluginError>,
}

/// A run of a chain of plugins, fed documents one at a time (or, with a
/// tree-wide stage, the whole tree at once: its scan sees every document
/// before any is transformed), and finished once.
pub struct Pipeline<'s> {
    stages: &'s [Stage],
    tree: Arc<Tree>,
    /// How documents are read.
    dialect: Dialect,
    /// Per stage, what `finish` will see of every document so far: facts,
    /// and for a tree-wide stage the whole summary.
    found: Vec<Vec<DocumentSummary>>,
}

impl Processed {
    /// `text`, before any stage.
    fn of(text: String) -> Self {
        Processed { output: text, ..Default::default() }
    }

    /// Whether the output differs from the text the pipeline was given.
    pub fn changed(&self) -> bool {
        self.original.as_ref().is_some_and(|original| *original != self.output)
    }

    /// The text the pipeline was given.
    pub fn input(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.output)
    }

    /// Drop the texts, keeping what reports need.
    pub fn drop_texts(&mut self) {
        self.output = String::new();
        self.original = None;
    }
}

impl<'s> Pipeline<'s> {
    /// `tree` is what tree-wide stages see of the files around the
    /// documents; every document is read in `dialect`.
    pub fn new(stages: &'s [Stage], tree: Arc<Tree>, dialect: Dialect) -> Self {
        Pipeline { stages, tree, dialect, found: stages.iter().map(|_| Vec::new()).collect() }
    }

    /// Whether [`Pipeline::process`] must be given every document at once.
    pub fn needs_whole_tree(&self) -> bool {
        self.stages.iter().any(|s| s.sessions.info().tree_wide)
    }

    /// Every stage over `documents` ((path, text), in input order), in
    /// parallel on the current rayon pool; `step` hears of each document a
    /// stage has transformed, with the stage's name. The results are in
    /// input order.
    pub fn process(&mut self, documents: &[(&str, &str)], step: &(dyn Fn(&str) + Sync)) -> Vec<Result<Processed, Failure>> {
        let mut states: Vec<Result<Processed, Failure>> = documents
            .iter()
            .map(|(_, text)| Ok(Processed::of(text.to_string())))
            .collect();
        // Each document's node table, kept from one stage to the next while
        // the text stays the same: most stages change most documents not at all.
        let mut tables: Vec<Option<NodeTable>> = documents.iter().map(|_| None).collect();
        let dialect = self.dialect;
        for (stage, found) in self.stages.iter().zip(&mut self.found) {
            let plugin = stage.name().to_string();
            let scanned = stage.sessions.info().tree_wide.then(|| scan(stage, dialect, documents, &mut states, &mut tables));
            let during = match &scanned {
                Some(summaries) => Arc::new(TreeIndex::new(summaries.iter().flatten().cloned().collect(), self.tree.clone())),
                None => Arc::new(TreeIndex::default()),
            };
            let transformed: Vec<Option<Vec<Fact>>> = states
                .par_iter_mut()
                .zip(&mut tables)
                .zip(documents)
                .map(|((state, table), (path, _))| {
                    let processed = state.as_mut().ok()?;
                    let done = transform(stage, dialect, path, processed, table, &during);
                    step(&plugin);
                    match done {
                        Ok(facts) => Some(facts),
                        Err(failure) => {
                            *state = Err(failure);
                            None
                        }
                    }
                })
                .collect();
            // A tree-wide stage's finish sees the whole summaries its scan
            // made; the others' only paths and facts.
            let mut scanned = scanned.unwrap_or_default();
            for (i, facts) in transformed.into_iter().enumerate() {
                let Some(facts) = facts else { continue };
                let summary = scanned.get_mut(i).and_then(Option::take);
                let mut summary = summary.unwrap_or_else(|| DocumentSummary { path: documents[i].0.to_string(), ..Default::default() });
                summary.facts.extend(facts);
                found.push(summary);
            }
        }
        states
    }

    /// Every stage over one document, one after the other: what a pipeline
    /// without a tree-wide stage does with each document, on any thread.
    /// Returns the result and the facts each stage the document got
    /// through recorded; give those to [`Pipeline::record`] in input order.
    pub fn through(&self, path: &str, text: String, step: &(dyn Fn(&str) + Sync)) -> (Result<Processed, Failure>, Vec<Vec<Fact>>) {
        debug_assert!(!self.needs_whole_tree(), "a tree-wide stage needs the whole tree: use process");
        let mut processed = Processed::of(text);
        let mut table = None;
        let mut facts = Vec::new();
        let nothing = Arc::new(TreeIndex::default());
        for stage in self.stages {
            let done = transform(stage, self.dialect, path, &mut processed, &mut table, &nothing);
            step(stage.name());
            match done {
                Ok(found) => facts.push(found),
                Err(failure) => return (Err(failure), facts),
            }
        }
        (Ok(processed), facts)
    }

    /// What `finish` will see of a document [`Pipeline::through`] took:
    /// the facts of each stage it got through.
    pub fn record(&mut self, path: &str, facts: Vec<Vec<Fact>>) {
        for (found, facts) in self.found.iter_mut().zip(facts) {
            found.push(DocumentSummary { path: path.to_string(), facts, ..Default::default() });
        }
    }

    /// Each stage's run-level output, from the whole run's index.
    pub fn finish(self) -> Vec<Finished> {
        let tree = self.tree;
        self.stages
            .iter()
            .zip(self.found)
            .map(|(stage, found)| {
                let seen = if stage.sessions.info().tree_wide { tree.clone() } else { Arc::default() };
                let after = Arc::new(TreeIndex::new(found, seen));
                Finished { plugin: stage.name().to_string(), result: stage.sessions.finish(&after) }
            })
            .collect()
    }
}

/// The scan pass of a tree-wide stage: each live document's summary with
/// the facts the plugin recorded, or `None` where the document failed.
fn scan(
    stage: &Stage,
    dialect: Dialect,
    documents: &[(&str, &str)],
    states: &mut [Result<Processed, Failure>],
    tables: &mut [Option<NodeTable>],
) -> Vec<Option<DocumentSummary>> {
    // Nothing is known of the tree yet while it is scanned.
    let nothing = Arc::new(TreeIndex::default());
    states
        .par_iter_mut()
        .zip(tables)
        .zip(documents)
        .map(|((state, table), (path, _))| {
            let processed = state.as_ref().ok()?;
            let table = table.get_or_insert_with(|| doc::parse_in(&processed.output, dialect));
            let mut summary = DocumentSummary::of(path, table);
            let doc = DocumentRef { path, source: &processed.output, table };
            match stage.sessions.scan(doc, &nothing) {
                Ok(facts) => {
                    summary.facts = changed_by(processed);
                    summary.facts.extend(facts);
                    Some(summary)
                }
                Err(error) => {
                    *state = Err(Failure::Plugin { plugin: stage.name().to_string(), error });
                    None
                }
            }
        })
        .collect()
}

/// Fact key under which the host records, for each document, every earlier
/// plugin of the pipeline that changed it: a last stage (a document's own
/// version bump) acts on exactly the documents the run changed.
pub const CHANGED_BY: &str = "dochost:changed-by";

/// The [`CHANGED_BY`] facts of a document so far, in pipeline order.
fn changed_by(processed: &Processed) -> Vec<Fact> {
    let mut plugins: Vec<&str> = Vec::new();
    for change in processed.changes.iter().filter(|c| c.before != c.after) {
        if !plugins.contains(&change.plugin.as_str()) {
            plugins.push(&change.plugin);
        }
    }
    plugins.into_iter().map(|p| (CHANGED_BY.to_string(), p.to_string())).collect()
}

/// One document through one stage: parse (unless `parsed` holds the table
/// of this very text), transform, apply. Returns the facts the plugin
/// recorded. On failure the document is dropped.
fn transform(
    stage: &Stage,
    dialect: Dialect,
    path: &str,
    result: &mut Processed,
    parsed: &mut Option<NodeTable>,
    index: &Arc<TreeIndex>,
) -> Result<Vec<Fact>, Failure> {
    let text = std::mem::take(&mut result.output);
    let table = parsed.take().unwrap_or_else(|| doc::parse_in(&text, dialect));
    let plugin = stage.name().to_string();
    let out = stage
        .sessions
        .transform(DocumentRef { path, source: &text, table: &table }, index)
        .map_err(|error| Failure::Plugin { plugin: plugin.clone(), error })?;
    // One index for every diagnostic and change (a line_col each would be
    // quadratic in a large document with many of them), made only if any.
    let lines = LazyCell::new(|| doc::LineIndex::new(&text));
    for d in out.diagnostics {
        let (line, column) = lines.line_col(position(&table, &d));
        result.diagnostics.push(PlacedDiagnostic { plugin: plugin.clone(), line, column, diagnostic: d });
    }
    result.artifacts.extend(out.artifacts.into_iter().map(|(n, c)| (plugin.clone(), n, c)));
    if out.edits.is_empty() {
        // Nothing to apply: the text and its table go on as they are.
        drop(lines);
        result.output = text;
        *parsed = Some(table);
        return Ok(out.facts);
    }
    let (new_text, changes) = doc::apply(&text, &table, &out.edits)
        .map_err(|error| Failure::Edit { plugin: plugin.clone(), error })?;
    for change in changes {
        result.changes.push(ChangeRecord {
            plugin: plugin.clone(),
            line: lines.line(change.range.start),
            before: text[change.range].to_string(),
            after: change.replacement,
            reason: change.reason,
        });
    }
    if new_text == text {
        *parsed = Some(table);
        result.output = text;
    } else {
        result.original.get_or_insert(text);
        result.output = new_text;
    }
    Ok(out.facts)
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
