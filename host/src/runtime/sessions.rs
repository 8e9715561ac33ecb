//! Reusing plugin instances across documents.
//!
//! A stage of a run keeps a pool of open sessions: a worker takes one (or
//! opens one when none is idle), calls it for a document and puts it back,
//! so there are never more sessions than workers and set-up is paid once per
//! worker, not once per document. A session whose call trapped, timed out or
//! hit the memory cap is dropped with its instance; the next document gets
//! a fresh one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::error::PluginError;
use super::plugin::{CompiledPlugin, DocumentRef, Fact, PluginInfo, PluginOutput, RunOutput, Session};
use crate::doc::TreeIndex;

/// The sessions of one plugin with one configuration.
pub struct SessionPool {
    plugin: CompiledPlugin,
    config: Vec<(String, String)>,
    idle: Mutex<Vec<Box<dyn Session>>>,
    opened: AtomicUsize,
}

impl SessionPool {
    /// Open the first session now, so that a configuration the plugin
    /// rejects fails the run once, before any document is read.
    pub fn open(plugin: CompiledPlugin, config: Vec<(String, String)>) -> Result<Self, PluginError> {
        let first = plugin.open(&config)?;
        Ok(SessionPool { plugin, config, idle: Mutex::new(vec![first]), opened: AtomicUsize::new(1) })
    }

    pub fn info(&self) -> &PluginInfo {
        self.plugin.info()
    }

    /// The options the sessions were opened with.
    pub fn config(&self) -> &[(String, String)] {
        &self.config
    }

    /// How many sessions have been opened so far.
    pub fn sessions_opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }

    pub fn scan(&self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<Vec<Fact>, PluginError> {
        self.with(|session| session.scan(doc, index))
    }

    pub fn transform(&self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError> {
        let output = self.with(|session| session.transform(doc, index))?;
        let max = self.plugin.max_edits();
        if output.edits.len() > max {
            return Err(PluginError::TooMuchOutput(format!("{} edits (the limit is {max})", output.edits.len())));
        }
        Ok(output)
    }

    /// Run-level output, from one session.
    pub fn finish(&self, index: &Arc<TreeIndex>) -> Result<RunOutput, PluginError> {
        self.with(|session| session.finish(index))
    }

    fn with<R>(&self, call: impl FnOnce(&mut dyn Session) -> Result<R, PluginError>) -> Result<R, PluginError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut session = match idle {
            Some(session) => session,
            None => {
                self.opened.fetch_add(1, Ordering::Relaxed);
                self.plugin.open(&self.config)?
            }
        };
        let result = call(session.as_mut());
        let keep = match &result {
            Ok(_) => true,
            Err(error) => !error.poisons_instance(),
        };
        if keep {
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(session);
        }
        result
    }
}
