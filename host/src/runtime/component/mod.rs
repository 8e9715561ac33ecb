//! Plugins that are components of a `dochost:plugin` world: `v0_3` (the
//! current contract: sessions, the tree index, the node table in columns),
//! `v0_2` (the same with one record per node) and `v0_1` (the first one,
//! adapted: a fresh instance per document, as it was built to expect).
//! This module holds what they share: the store's state, the linker and the
//! call wrapper that arms the deadline and forwards the plugin's output.

#[macro_use]
mod convert;
mod pointer_pair;
#[macro_use]
mod session_world;
mod v0_1;
mod v0_2;
mod v0_3;

use std::sync::{Arc, Mutex};

use anyhow::Result;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Store, StoreLimits};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use super::capture::{forward, Capture};
use super::engine::Runtime;
use super::error::PluginError;
use super::net::NetHooks;
use super::plugin::Binary;
use crate::doc::TreeIndex;

/// The state of one component instance's store.
pub(super) struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    http: WasiHttpCtx,
    hooks: NetHooks,
    limits: StoreLimits,
    /// `plugin: file` prefix of log lines; changes with each document.
    log_prefix: Arc<Mutex<String>>,
    /// What the `index` import answers from during the current call.
    index: Arc<TreeIndex>,
    stdout: Capture,
    stderr: Capture,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.hooks }
    }
}

impl State {
    fn log(&self, level: &str, message: &str) {
        let prefix = self.log_prefix.lock().map(|p| p.clone()).unwrap_or_default();
        eprintln!("{prefix}: {level}: {message}");
    }
}

/// Link a component against the newest world it fits and ask nothing yet.
pub(super) fn link(runtime: &Runtime, origin: &str, component: &Component) -> Result<Arc<dyn Binary>> {
    let exports: Vec<String> =
        component.component_type().exports(&runtime.engine).map(|(name, _)| name.to_string()).collect();
    if exports.iter().any(|name| name.starts_with("dochost:plugin/plugin-api@0.3.")) {
        return Ok(Arc::new(v0_3::Linked::link(runtime, origin, component)?));
    }
    if exports.iter().any(|name| name.starts_with("dochost:plugin/plugin-api@0.2.")) {
        return Ok(Arc::new(v0_2::Linked::link(runtime, origin, component)?));
    }
    if exports.iter().any(|name| name == "transform") {
        return Ok(Arc::new(v0_1::ComponentV1::link(runtime, origin, component)?));
    }
    anyhow::bail!(
        "{origin} is not a dochost plugin: it exports none of `dochost:plugin/plugin-api@0.3.0` (the current \
         contract, wit/plugin.wit), `dochost:plugin/plugin-api@0.2.0`, or the `describe` and `transform` of \
         dochost:plugin@0.1.0; it exports: {}",
        if exports.is_empty() { "nothing".to_string() } else { exports.join(", ") }
    )
}

/// A linker with WASI preview 2 and wasi-http; the world adds its own imports.
fn linker(runtime: &Runtime) -> Result<Linker<State>> {
    let mut linker = Linker::<State>::new(&runtime.engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker)?;
    Ok(linker)
}

/// A fresh store for one instance, with the grants and the memory cap.
fn store(runtime: &Runtime, log_prefix: &str) -> Result<Store<State>, PluginError> {
    let (wasi, stdout, stderr) = runtime.grants.context().map_err(|e| PluginError::Trap(format!("{e:#}")))?;
    let log_prefix = Arc::new(Mutex::new(log_prefix.to_string()));
    let state = State {
        wasi,
        table: ResourceTable::new(),
        http: WasiHttpCtx::new(),
        hooks: NetHooks { policy: runtime.grants.net.clone(), log_prefix: log_prefix.clone() },
        limits: runtime.limits.store_limits(),
        log_prefix,
        index: Arc::new(TreeIndex::default()),
        stdout,
        stderr,
    };
    let mut store = Store::new(&runtime.engine, state);
    store.limiter(|state| &mut state.limits);
    Ok(store)
}

/// Make one call into an instance: name who is calling in log lines, give
/// the index, arm the deadline, then forward what the plugin printed.
fn call<R>(
    runtime: &Runtime,
    store: &mut Store<State>,
    log_prefix: &str,
    index: &Arc<TreeIndex>,
    f: impl FnOnce(&mut Store<State>) -> wasmtime::Result<R>,
) -> Result<R, PluginError> {
    {
        let state = store.data_mut();
        if let Ok(mut prefix) = state.log_prefix.lock() {
            prefix.clear();
            prefix.push_str(log_prefix);
        }
        state.index = index.clone();
    }
    runtime.limits.arm_deadline(store);
    let result = f(store);
    forward(log_prefix, &store.data().stdout.take());
    forward(log_prefix, &store.data().stderr.take());
    result.map_err(|e| PluginError::from_wasmtime(e, runtime.limits.timeout, runtime.limits.max_memory))
}
