//! What the session contracts (0.2.0 and later) share, written once as a
//! macro each version's module expands: the `log` and `index` imports, the
//! component linked against the version's world, and the session resource
//! called for many documents. A version's module brings its `bindings` and
//! its `DocumentIn`, the WIT `document` as it lowers it.

/// Expands to `Linked` (a component of contract `$version`, a [`Binary`])
/// and its sessions, for a module that defines `bindings` (the world's
/// `bindgen!`) and `DocumentIn<'a>` (the `document` record, built by
/// `DocumentIn::of(DocumentRef<'a>)`).
macro_rules! session_world {
    ($version:literal) => {
        use std::sync::Arc;

        use anyhow::Result;
        use wasmtime::component::{Component, Func, HasSelf, ResourceAny, TypedFunc};
        use wasmtime::Store;

        use super::{call, linker, store, State};
        use crate::doc::{TargetKind, TreeIndex};
        use crate::runtime::engine::Runtime;
        use crate::runtime::error::PluginError;
        use crate::runtime::plugin::{
            Binary, DocumentRef, Fact, OptionKind, PluginInfo, PluginOption, PluginOutput, RunDiagnostic, RunOutput,
            Session,
        };

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

        /// A linked component of this contract version.
        pub(in crate::runtime) struct Linked {
            pre: PluginPre<State>,
        }

        impl Linked {
            pub(super) fn link(runtime: &Runtime, origin: &str, component: &Component) -> Result<Self> {
                let mut linker = linker(runtime)?;
                Plugin::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
                let pre = linker.instantiate_pre(component).and_then(PluginPre::new).map_err(|e| {
                    anyhow::anyhow!(
                        "{origin} is not a dochost plugin: it does not fit the dochost:plugin@{} world (it must export \
                         `plugin-api` and import nothing beyond WASI p2, wasi-http, `log` and `index`): {e:#}",
                        $version
                    )
                })?;
                Ok(Linked { pre })
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

        impl Binary for Linked {
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
                    contract: $version,
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
                        .get_export_index(&mut *store, None, concat!("dochost:plugin/plugin-api@", $version))
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
                Ok(Box::new(Opened { runtime: runtime.clone(), name: name.to_string(), store, plugin, session, scan, transform }))
            }
        }

        /// The parameters of `session.scan` and `session.transform`: the session
        /// and the document.
        type DocumentParams<'a> = (ResourceAny, &'a DocumentIn<'a>);
        /// What `session.scan` returns.
        type ScanResults = (Result<Vec<wit::Fact>, String>,);
        /// What `session.transform` returns.
        type TransformResults = (Result<wit::Output, String>,);

        /// An instance of a component of this version and the session resource it opened.
        struct Opened {
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

        impl Opened {
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

        impl Session for Opened {
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
    };
}
