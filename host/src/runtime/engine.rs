//! One Wasmtime engine per process, with the epoch ticker that enforces
//! deadlines.

use std::sync::Arc;
use std::thread;

use anyhow::{Context, Result};
use wasmtime::Engine;

use super::engine_config::engine_config;
use super::limits::{Limits, EPOCH_TICK};
use super::sandbox::Grants;

/// The engine, the limits and grants every plugin call gets.
#[derive(Clone)]
pub struct Runtime {
    pub(super) engine: Engine,
    pub(super) limits: Limits,
    pub(super) grants: Arc<Grants>,
}

impl Runtime {
    pub fn new(limits: Limits, grants: Grants) -> Result<Self> {
        let engine = Engine::new(&engine_config()).map_err(anyhow::Error::from).context("cannot start the WebAssembly engine")?;
        let weak = engine.weak();
        thread::Builder::new()
            .name("dochost-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    drop(engine);
                    thread::sleep(EPOCH_TICK);
                    match weak.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .context("cannot start the deadline timer")?;
        Ok(Runtime { engine, limits, grants: Arc::new(grants) })
    }

    /// What plugins are granted.
    pub fn grants(&self) -> &Arc<Grants> {
        &self.grants
    }
}
