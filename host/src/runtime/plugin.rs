//! A compiled plugin and the calls into it: a component of the
//! `dochost:plugin` world, or a WASI preview 1 module speaking JSON (`p1`).

use std::io::Write;

use anyhow::{Context, Result};
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Module, Store, StoreLimits};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::convert;
use super::engine::Runtime;
use super::error::PluginError;
use super::p1::P1Plugin;
use crate::doc::{Edit, NodeTable};

/// Host bindings generated from `wit/plugin.wit`.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
    });
}

use bindings::{Plugin, PluginImports, PluginPre};
pub(super) use bindings::dochost::plugin::types as wit;

/// What `describe` returns.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    pub options: Vec<PluginOption>,
}

/// One option a plugin declares.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginOption {
    pub name: String,
    pub description: String,
    pub default: Option<String>,
}

/// A plugin's answer for one document.
#[derive(Debug, Clone, Default)]
pub struct PluginOutput {
    pub edits: Vec<Edit>,
    pub diagnostics: Vec<crate::doc::Diagnostic>,
    pub artifacts: Vec<(String, String)>,
}

/// Per-call state of a component: the WASI context, limits, and who is logging.
struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
    /// `plugin: file` prefix for log lines.
    log_prefix: String,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl wit::Host for State {}

impl PluginImports for State {
    fn log(&mut self, level: wit::Severity, message: String) {
        let level = match level {
            wit::Severity::Error => "error",
            wit::Severity::Warning => "warning",
            wit::Severity::Info => "info",
        };
        eprintln!("{}: {level}: {message}", self.log_prefix);
    }
}

/// A plugin compiled and linked, ready to run on any number of documents,
/// each in a fresh store.
pub struct CompiledPlugin {
    runtime: Runtime,
    origin: String,
    kind: Kind,
    info: PluginInfo,
}

/// The two kinds of binary a plugin can be.
enum Kind {
    /// A component of the `dochost:plugin` world, called through its exports.
    Component(PluginPre<State>),
    /// A WASI preview 1 command module, run once per call with the JSON
    /// protocol on stdin and stdout.
    P1(P1Plugin),
}

impl CompiledPlugin {
    /// Link a component and ask it to describe itself.
    pub(super) fn new(runtime: Runtime, origin: &str, component: Component) -> Result<Self> {
        let mut linker = Linker::<State>::new(&runtime.engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        Plugin::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
        let pre = linker
            .instantiate_pre(&component)
            .and_then(PluginPre::new)
            .map_err(anyhow::Error::from)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{origin} is not a dochost plugin: it does not fit the dochost:plugin@0.1.0 world \
                     (it must export `describe` and `transform` and import nothing beyond WASI p2 and `log`): {e:#}"
                )
            })?;
        Self::described(runtime, origin, Kind::Component(pre))
    }

    /// Link a WASI preview 1 command module and ask it to describe itself.
    pub(super) fn new_p1(runtime: Runtime, origin: &str, module: Module) -> Result<Self> {
        let plugin = P1Plugin::new(&runtime, origin, &module)?;
        Self::described(runtime, origin, Kind::P1(plugin))
    }

    /// Ask the plugin to describe itself; its answer names it from then on.
    fn described(runtime: Runtime, origin: &str, kind: Kind) -> Result<Self> {
        let prefix = format!("{origin}: describe");
        let info = match &kind {
            Kind::Component(pre) => {
                call(&runtime, pre, &prefix, |bindings, store| bindings.call_describe(store)).map(convert::info)
            }
            Kind::P1(p1) => p1.describe(&runtime, &prefix).map_err(anyhow::Error::new),
        }
        .with_context(|| format!("{origin}: `describe` failed"))?;
        Ok(CompiledPlugin { runtime, origin: origin.to_string(), kind, info })
    }

    /// Where the plugin came from: a path or `builtin:NAME`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The plugin's own description of itself.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// Run `transform` on one document.
    pub fn transform(
        &self,
        path: &str,
        source: &str,
        table: &NodeTable,
        config: &[(String, String)],
    ) -> Result<PluginOutput, PluginError> {
        let prefix = format!("{}: {path}", self.info.name);
        let output = match &self.kind {
            Kind::Component(pre) => {
                let doc = convert::document(path, source, table);
                let result = call(&self.runtime, pre, &prefix, |bindings, store| {
                    bindings.call_transform(store, &doc, config)
                })
                    .map_err(|e| match e.downcast::<PluginError>() {
                        Ok(plugin_error) => plugin_error,
                        Err(other) => PluginError::Trap(format!("{other:#}")),
                    })?;
                convert::output(result.map_err(PluginError::Failed)?)
            }
            Kind::P1(p1) => p1.transform(&self.runtime, &prefix, path, source, table, config)?,
        };
        if output.edits.len() > self.runtime.limits.max_edits {
            return Err(PluginError::TooMuchOutput(format!(
                "{} edits (the limit is {})",
                output.edits.len(),
                self.runtime.limits.max_edits
            )));
        }
        Ok(output)
    }
}

/// Instantiate a component in a fresh store and make one call, forwarding
/// the plugin's stdout and stderr to ours with `prefix`.
fn call<R>(
    runtime: &Runtime,
    pre: &PluginPre<State>,
    prefix: &str,
    f: impl FnOnce(&Plugin, &mut Store<State>) -> wasmtime::Result<R>,
) -> Result<R> {
    let limits = &runtime.limits;
    let (wasi, stdout, stderr) = runtime.grants.context()?;
    let state = State {
        wasi,
        table: ResourceTable::new(),
        limits: limits.store_limits(),
        log_prefix: prefix.to_string(),
    };
    let mut store = Store::new(&runtime.engine, state);
    store.limiter(|state| &mut state.limits);
    limits.arm_deadline(&mut store);
    let result = pre.instantiate(&mut store).and_then(|bindings| f(&bindings, &mut store));
    forward(prefix, &stdout.contents());
    forward(prefix, &stderr.contents());
    result.map_err(|e| {
        anyhow::Error::new(PluginError::from_wasmtime(e, limits.timeout, limits.max_memory))
    })
}

/// Print a plugin's output on our stderr, one line at a time behind `prefix`.
pub(super) fn forward(prefix: &str, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    let mut err = std::io::stderr().lock();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(err, "{prefix}: {line}");
    }
}
