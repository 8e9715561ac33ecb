//! Components built against `dochost:plugin@0.2.0` (`wit/plugin.wit`): a
//! session resource opened once with the checked options and called for
//! many documents, and the `index` import answering from the tree.

mod lower;

use std::sync::Arc;

use anyhow::Result;
use wasmtime::component::{Component, ComponentType, Func, HasSelf, Lower, ResourceAny, TypedFunc};
use wasmtime::Store;

use self::lower::Nodes;
use super::{call, linker, store, State};
use crate::doc::{Node, TargetKind, TreeIndex};
use crate::runtime::engine::Runtime;
use crate::runtime::error::PluginError;
use crate::runtime::plugin::{
    Binary, DocumentRef, Fact, OptionKind, PluginInfo, PluginOption, PluginOutput, RunDiagnostic, RunOutput,
    Session,
};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
    });
}

use bindings::dochost::plugin::index as wit_index;
use bindings::exports::dochost::plugin::plugin_api::GuestSession;
use bindings::{Plugin, PluginImports, PluginPre};

shared_conversions!(bindings::dochost::plugin::types);

impl wit::Host for State {}

impl PluginImports for State {
    fn log(&mut self, level: wit::Severity, message: String) {
        State::log(self, severity_name(level), &message);
    }
}

fn index_span(r: &std::ops::Range<usize>) -> wit_index::Span {
    wit_index::Span { start: r.start as u32, end: r.end as u32 }
}

impl wit_index::Host for State {
    fn documents(&mut self) -> Vec<String> {
        self.index.paths().map(str::to_string).collect()
    }

    fn headings(&mut self, path: String) -> Option<Vec<wit_index::HeadingEntry>> {
        let doc = self.index.document(&path)?;
        Some(
            doc.headings
                .iter()
                .map(|h| wit_index::HeadingEntry {
                    text: h.text.clone(),
                    level: h.level,
                    id: h.id.clone(),
                    span: index_span(&h.span),
                })
                .collect(),
        )
    }

    fn targets(&mut self, path: String) -> Option<Vec<wit_index::TargetEntry>> {
        let doc = self.index.document(&path)?;
        Some(
            doc.targets
                .iter()
                .map(|t| wit_index::TargetEntry {
                    kind: match t.kind {
                        TargetKind::Link => wit_index::TargetKind::Link,
                        TargetKind::Image => wit_index::TargetKind::Image,
                        TargetKind::LinkDefinition => wit_index::TargetKind::LinkDefinition,
                    },
                    url: t.url.clone(),
                    span: index_span(&t.span),
                })
                .collect(),
        )
    }

    fn front_matter(&mut self, path: String) -> Option<String> {
        self.index.document(&path)?.front_matter.clone()
    }

    fn facts(&mut self, key: String) -> Vec<wit_index::FactEntry> {
        self.index
            .facts(&key)
            .into_iter()
            .map(|(path, value)| wit_index::FactEntry { path: path.to_string(), value: value.to_string() })
            .collect()
    }

    fn files(&mut self) -> Vec<String> {
        self.index.tree().files.clone()
    }

    fn roots(&mut self) -> Vec<String> {
        self.index.tree().roots.clone()
    }
}

/// A linked 0.2.0 component.
pub(in crate::runtime) struct ComponentV2 {
    pre: PluginPre<State>,
}

impl ComponentV2 {
    pub(super) fn link(runtime: &Runtime, origin: &str, component: &Component) -> Result<Self> {
        let mut linker = linker(runtime)?;
        Plugin::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
        let pre = linker.instantiate_pre(component).and_then(PluginPre::new).map_err(|e| {
            anyhow::anyhow!(
                "{origin} is not a dochost plugin: it does not fit the dochost:plugin@0.2.0 world \
                 (it must export `plugin-api` and import nothing beyond WASI p2, wasi-http, `log` and `index`): {e:#}"
            )
        })?;
        Ok(ComponentV2 { pre })
    }
}

fn option_kind(k: wit::OptionKind) -> OptionKind {
    match k {
        wit::OptionKind::Text => OptionKind::Text,
        wit::OptionKind::Flag => OptionKind::Flag,
        wit::OptionKind::Integer => OptionKind::Integer,
        wit::OptionKind::Path => OptionKind::Path,
    }
}

impl Binary for ComponentV2 {
    fn describe(&self, runtime: &Runtime, origin: &str) -> Result<PluginInfo, PluginError> {
        let mut store = store(runtime, origin)?;
        let pre = &self.pre;
        let info = call(runtime, &mut store, &format!("{origin}: describe"), &Arc::default(), |store| {
            let plugin = pre.instantiate(&mut *store)?;
            plugin.dochost_plugin_plugin_api().call_describe(store)
        })?;
        Ok(PluginInfo {
            name: info.name,
            version: info.version,
            description: info.description,
            options: info
                .options
                .into_iter()
                .map(|o| PluginOption {
                    name: o.name,
                    description: o.description,
                    default: o.default,
                    kind: option_kind(o.kind),
                    required: o.required,
                })
                .collect(),
            tree_wide: info.tree_wide,
            contract: "0.2.0",
        })
    }

    fn open(&self, runtime: &Runtime, name: &str, config: &[(String, String)]) -> Result<Box<dyn Session>, PluginError> {
        let mut store = store(runtime, name)?;
        let pre = &self.pre;
        let prefix = format!("{name}: open");
        let (plugin, opened, [scan, transform]) = call(runtime, &mut store, &prefix, &Arc::default(), |store| {
            let instance = pre.instance_pre().instantiate(&mut *store)?;
            let plugin = Plugin::new(&mut *store, &instance)?;
            let api = instance
                .get_export_index(&mut *store, None, "dochost:plugin/plugin-api@0.2.0")
                .ok_or_else(|| wasmtime::Error::msg("no plugin-api export"))?;
            let method = |store: &mut Store<State>, name: &str| {
                let index = instance
                    .get_export_index(&mut *store, Some(&api), name)
                    .ok_or_else(|| wasmtime::Error::msg(format!("no {name} export")))?;
                instance.get_func(&mut *store, index).ok_or_else(|| wasmtime::Error::msg(format!("{name} is not a function")))
            };
            let methods = [method(store, "[method]session.scan")?, method(store, "[method]session.transform")?];
            // Their types are checked once, here, not at every call.
            methods[0].typed::<DocumentParams<'_>, ScanResults>(&*store)?;
            methods[1].typed::<DocumentParams<'_>, TransformResults>(&*store)?;
            let opened = plugin.dochost_plugin_plugin_api().call_open(&mut *store, config)?;
            Ok((plugin, opened, methods))
        })?;
        let session = opened.map_err(PluginError::Rejected)?;
        Ok(Box::new(SessionV2 { runtime: runtime.clone(), name: name.to_string(), store, plugin, session, scan, transform }))
    }
}

/// The WIT `document` record lowered straight from the host's node table:
/// the bindings' own type would copy every string once more first.
#[derive(ComponentType, Lower)]
#[component(record)]
struct DocumentIn<'a> {
    path: &'a str,
    source: &'a str,
    nodes: Nodes<'a>,
}

/// The WIT `node` record, borrowed from a host node: what [`Nodes`] is
/// checked against, and how it is lowered for a guest that does not take
/// UTF-8.
#[derive(ComponentType, Lower)]
#[component(record)]
struct NodeIn<'a> {
    kind: wit::NodeKind,
    parent: Option<u32>,
    children: &'a [u32],
    span: wit::Span,
    text: Option<&'a str>,
    level: Option<u8>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    info: Option<&'a str>,
    checked: Option<bool>,
    #[component(name = "link-kind")]
    link_kind: Option<wit::LinkKind>,
    label: Option<&'a str>,
    start: Option<u64>,
    attributes: &'a [(String, Option<String>)],
}

impl<'a> NodeIn<'a> {
    fn of(n: &'a Node) -> Self {
        NodeIn {
            kind: node_kind(n.kind),
            parent: n.parent,
            children: &n.children,
            span: span(&n.span),
            text: n.text.as_deref(),
            level: n.level,
            url: n.url.as_deref(),
            title: n.title.as_deref(),
            info: n.info.as_deref(),
            checked: n.checked,
            link_kind: n.link_kind.map(link_kind),
            label: n.label.as_deref(),
            start: n.start,
            attributes: &n.attributes,
        }
    }
}

impl<'a> DocumentIn<'a> {
    fn of(doc: DocumentRef<'a>) -> Self {
        DocumentIn { path: doc.path, source: doc.source, nodes: Nodes(&doc.table.nodes) }
    }
}

/// The parameters of `session.scan` and `session.transform`: the session
/// and the document.
type DocumentParams<'a> = (ResourceAny, &'a DocumentIn<'a>);
/// What `session.scan` returns.
type ScanResults = (Result<Vec<wit::Fact>, String>,);
/// What `session.transform` returns.
type TransformResults = (Result<wit::Output, String>,);

/// An instance of a 0.2.0 component and the session resource it opened.
struct SessionV2 {
    runtime: Runtime,
    name: String,
    store: Store<State>,
    plugin: Plugin,
    session: ResourceAny,
    /// `session.scan` and `session.transform`, called with [`DocumentIn`];
    /// their types were checked when the session was opened.
    scan: Func,
    transform: Func,
}

impl SessionV2 {
    /// Call a method of the session resource; its `err` fails the call.
    /// `about` is the document's path, or what the call is for.
    fn call<R>(
        &mut self,
        about: &str,
        index: &Arc<TreeIndex>,
        method: impl FnOnce(&GuestSession<'_>, &mut Store<State>, ResourceAny) -> wasmtime::Result<Result<R, String>>,
    ) -> Result<R, PluginError> {
        let prefix = format!("{}: {about}", self.name);
        let (plugin, session) = (&self.plugin, self.session);
        call(&self.runtime, &mut self.store, &prefix, index, |store| {
            method(&plugin.dochost_plugin_plugin_api().session(), store, session)
        })?
        .map_err(PluginError::Failed)
    }
}

impl Session for SessionV2 {
    fn scan(&mut self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<Vec<Fact>, PluginError> {
        let input = DocumentIn::of(doc);
        let func = self.scan;
        let facts: Vec<wit::Fact> = self.call(doc.path, index, |_, store, session| {
            // SAFETY: `open` checked `func` against these very types (a
            // lifetime is no part of a WIT type).
            let typed = unsafe { TypedFunc::<DocumentParams<'_>, ScanResults>::new_unchecked(func) };
            Ok(typed.call(store, (session, &input))?.0)
        })?;
        Ok(facts.into_iter().map(|f| (f.key, f.value)).collect())
    }

    fn transform(&mut self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError> {
        let input = DocumentIn::of(doc);
        let func = self.transform;
        let out: wit::Output = self.call(doc.path, index, |_, store, session| {
            // SAFETY: as in `scan`.
            let typed = unsafe { TypedFunc::<DocumentParams<'_>, TransformResults>::new_unchecked(func) };
            Ok(typed.call(store, (session, &input))?.0)
        })?;
        Ok(PluginOutput {
            edits: out.edits.into_iter().map(edit).collect(),
            diagnostics: out.diagnostics.into_iter().map(diagnostic).collect(),
            artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
            facts: out.facts.into_iter().map(|f| (f.key, f.value)).collect(),
        })
    }

    fn finish(&mut self, index: &Arc<TreeIndex>) -> Result<RunOutput, PluginError> {
        let out = self.call("finish", index, |api, store, session| api.call_finish(store, session))?;
        Ok(RunOutput {
            diagnostics: out
                .diagnostics
                .into_iter()
                .map(|d| RunDiagnostic { severity: severity(d.severity), code: d.code, message: d.message, path: d.path })
                .collect(),
            artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
        })
    }
}
