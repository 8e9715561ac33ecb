//! Components built against `dochost:plugin@0.1.0` (`wit/0.1.0/`), run as
//! they were built to expect: each document in a fresh instance, options
//! passed with every call, no scan, no run-level output.

use std::sync::Arc;

use anyhow::Result;
use wasmtime::component::{Component, HasSelf};

use super::{call, linker, store, State};
use crate::doc::{Node, NodeTable, TreeIndex};
use crate::runtime::engine::Runtime;
use crate::runtime::error::PluginError;
use crate::runtime::plugin::{
    Binary, DocumentRef, PluginInfo, PluginOption, PluginOutput, Session,
};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/0.1.0",
        world: "plugin",
    });
}

use bindings::{Plugin, PluginImports, PluginPre};

shared_conversions!(bindings::dochost::plugin::types);

/// The WIT document of 0.1.0, built as the bindings' owned type: 0.1.0
/// plugins pay a fresh instance per document anyway, so the copy 0.2.0
/// avoids (see `v0_2::DocumentIn`) hardly shows here.
fn document(doc: crate::runtime::plugin::DocumentRef<'_>) -> wit::Document {
    let table = doc.table;
    wit::Document {
        path: doc.path.to_string(),
        source: doc.source.to_string(),
        nodes: table.nodes.iter().map(|n| node(table, n)).collect(),
    }
}

fn node(table: &NodeTable, n: &Node) -> wit::Node {
    let string = |s| table.string(s).map(str::to_string);
    wit::Node {
        kind: node_kind(n.kind),
        parent: n.parent,
        children: table.children(n).to_vec(),
        span: span(&n.span),
        text: string(n.text),
        level: n.level,
        url: string(n.url),
        title: string(n.title),
        info: string(n.info),
        checked: n.checked,
        link_kind: n.link_kind.map(link_kind),
        label: string(n.label),
        start: n.start,
        attributes: table.attributes(n).map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect(),
    }
}

impl wit::Host for State {}

impl PluginImports for State {
    fn log(&mut self, level: wit::Severity, message: String) {
        State::log(self, severity_name(level), &message);
    }
}

/// A linked 0.1.0 component.
pub(in crate::runtime) struct ComponentV1 {
    pre: PluginPre<State>,
}

impl ComponentV1 {
    pub(super) fn link(runtime: &Runtime, origin: &str, component: &Component) -> Result<Self> {
        let mut linker = linker(runtime)?;
        Plugin::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
        let pre = linker.instantiate_pre(component).and_then(PluginPre::new).map_err(|e| {
            anyhow::anyhow!(
                "{origin} is not a dochost plugin: it does not fit the dochost:plugin@0.1.0 world \
                 (it must export `describe` and `transform` and import nothing beyond WASI p2, wasi-http and `log`): {e:#}"
            )
        })?;
        Ok(ComponentV1 { pre })
    }

    /// Instantiate in a fresh store and make one call.
    fn once<R>(
        &self,
        runtime: &Runtime,
        prefix: &str,
        f: impl FnOnce(&Plugin, &mut wasmtime::Store<State>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        let mut store = store(runtime, prefix)?;
        let pre = &self.pre;
        call(runtime, &mut store, prefix, &Arc::new(TreeIndex::default()), |store| {
            let plugin = pre.instantiate(&mut *store)?;
            f(&plugin, store)
        })
    }
}

impl Binary for ComponentV1 {
    fn describe(&self, runtime: &Runtime, origin: &str) -> Result<PluginInfo, PluginError> {
        let info = self.once(runtime, &format!("{origin}: describe"), |p, s| p.call_describe(s))?;
        Ok(PluginInfo {
            name: info.name,
            version: info.version,
            description: info.description,
            options: info.options.into_iter().map(|o| PluginOption::untyped(o.name, o.description, o.default)).collect(),
            tree_wide: false,
            contract: "0.1.0",
        })
    }

    fn open(&self, runtime: &Runtime, name: &str, config: &[(String, String)]) -> Result<Box<dyn Session>, PluginError> {
        Ok(Box::new(SessionV1 {
            component: ComponentV1 { pre: self.pre.clone() },
            runtime: runtime.clone(),
            name: name.to_string(),
            config: config.to_vec(),
        }))
    }
}

/// A 0.1.0 plugin's "session": its options, and a fresh instance per call.
struct SessionV1 {
    component: ComponentV1,
    runtime: Runtime,
    name: String,
    config: Vec<(String, String)>,
}

impl Session for SessionV1 {
    fn transform(&mut self, doc: DocumentRef<'_>, _index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError> {
        let prefix = format!("{}: {}", self.name, doc.path);
        let input = document(doc);
        let config = &self.config;
        let answer = self.component.once(&self.runtime, &prefix, |p, s| p.call_transform(s, &input, config))?;
        let out = answer.map_err(PluginError::Failed)?;
        Ok(PluginOutput {
            edits: out.edits.into_iter().map(edit).collect(),
            diagnostics: out.diagnostics.into_iter().map(diagnostic).collect(),
            artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
            facts: Vec::new(),
        })
    }
}
