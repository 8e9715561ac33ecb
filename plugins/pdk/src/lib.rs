//! The dochost plugin development kit for Rust (contract
//! `dochost:plugin@0.3.0`).
//!
//! A plugin is a type implementing [`Plugin`]: opened once per session with
//! its options, then called for many documents. Export it with
//! [`export_plugin!`]:
//!
//! ```ignore
//! use dochost_pdk::{Config, Document, NodeKind, Output, Plugin, PluginInfo, Result};
//!
//! struct Shout;
//!
//! impl Plugin for Shout {
//!     fn describe() -> PluginInfo {
//!         PluginInfo::new("shout", env!("CARGO_PKG_VERSION"), "Upper-cases every text node")
//!     }
//!     fn open(_config: &Config) -> Result<Self> {
//!         Ok(Shout)
//!     }
//!     fn transform(&mut self, doc: &Document) -> Result<Output> {
//!         let mut out = Output::default();
//!         for id in doc.ids_of(NodeKind::Text) {
//!             out.set_text(id, doc.text(id).to_uppercase());
//!         }
//!         Ok(out)
//!     }
//! }
//!
//! dochost_pdk::export_plugin!(Shout);
//! ```
//!
//! [`Document`] gives the nodes as [`Node`] records: the host sends the node
//! table in columns (0.3.0), and the kit decodes them once per document into
//! the records contract 0.2.0 handed over. [`Document::strings`] reads the
//! nodes' strings straight from the columns, for plugins that scan all of a
//! document's text and would otherwise pay for records they never read.
//!
//! Build it with `cargo build --target wasm32-wasip2 --release`; the `.wasm`
//! in `target/wasm32-wasip2/release/` is the plugin.

mod config;
mod document;
mod error;
pub mod http;
pub mod index;
mod node;
mod output;

pub use config::Config;
pub use document::Document;
pub use error::{Error, Result};
pub use node::Node;
pub use output::{Output, RunOutput};

/// The raw bindings generated from `wit/plugin.wit`.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "plugin",
        default_bindings_module: "dochost_pdk::bindings",
        pub_export_macro: true,
        export_macro_name: "__export_bindings",
        // `link-kind` is in no signature since 0.3.0 (the node table numbers
        // it), but `Node::link_kind` is one.
        generate_unused_types: true,
    });
}

pub use bindings::dochost::plugin::types::{
    Artifact, Diagnostic, Edit, EditOp, Fact, LinkKind, NodeKind, NodeValue, OptionKind, OptionSpec, PluginInfo,
    PropertyName, RunDiagnostic, Severity, Span, SpanValue,
};

/// Index of a node in [`Document::nodes`].
pub type NodeId = u32;

/// What a plugin implements. The implementing type is the session's state:
/// built once by [`Plugin::open`], then called for each document this
/// session is given. The host may run several sessions at once, each seeing
/// some of the documents: share what one document teaches about another
/// through [`Output::fact`] and [`index`], not through fields.
pub trait Plugin: Sized + 'static {
    /// Name, version, description and options of the plugin.
    fn describe() -> PluginInfo;
    /// Set up a session from the options (already checked by the host
    /// against what `describe` declares, defaults filled in). An `Err` fails
    /// the run before any document.
    fn open(config: &Config) -> Result<Self>;
    /// Record facts about a document before any is transformed; called only
    /// for plugins declared [`PluginInfo::tree_wide`].
    fn scan(&mut self, _doc: &Document) -> Result<Vec<Fact>> {
        Ok(Vec::new())
    }
    /// Look at one document and answer with edits, diagnostics, artifacts
    /// and facts. An `Err` fails this document with that message.
    fn transform(&mut self, doc: &Document) -> Result<Output>;
    /// Output about the whole run, called once on one session after every
    /// document; [`index`] answers for the whole tree.
    fn finish(&mut self) -> Result<RunOutput> {
        Ok(RunOutput::default())
    }
}

impl NodeKind {
    /// Whether nodes of this kind sit inside a paragraph, heading or cell
    /// (text, code spans, emphasis, links, breaks …) rather than being blocks.
    pub fn is_inline(self) -> bool {
        matches!(
            self,
            NodeKind::Text
                | NodeKind::Code
                | NodeKind::InlineHtml
                | NodeKind::Emphasis
                | NodeKind::Strong
                | NodeKind::Strikethrough
                | NodeKind::Link
                | NodeKind::Image
                | NodeKind::SoftBreak
                | NodeKind::HardBreak
                | NodeKind::FootnoteReference
                | NodeKind::TaskMarker
                | NodeKind::MathInline
        )
    }
}

impl Fact {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Fact { key: key.into(), value: value.into() }
    }
}

impl PluginInfo {
    /// Plugin info with no options; declare them with [`PluginInfo::option`]
    /// and its siblings.
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        PluginInfo {
            name: name.to_string(),
            version: version.to_string(),
            description: description.to_string(),
            options: Vec::new(),
            tree_wide: false,
        }
    }

    fn declare(mut self, name: &str, description: &str, default: Option<String>, kind: OptionKind) -> Self {
        self.options.push(OptionSpec {
            name: name.to_string(),
            description: description.to_string(),
            default,
            kind,
            required: false,
        });
        self
    }

    /// Declare a text option.
    pub fn option(self, name: &str, description: &str, default: Option<&str>) -> Self {
        self.declare(name, description, default.map(str::to_string), OptionKind::Text)
    }

    /// Declare a true/false option.
    pub fn flag_option(self, name: &str, description: &str, default: bool) -> Self {
        self.declare(name, description, Some(default.to_string()), OptionKind::Flag)
    }

    /// Declare a whole-number option.
    pub fn integer_option(self, name: &str, description: &str, default: Option<i64>) -> Self {
        self.declare(name, description, default.map(|d| d.to_string()), OptionKind::Integer)
    }

    /// Declare an option naming a file or directory the plugin reads (the
    /// host checks that it exists and is granted with `--allow-read`).
    pub fn path_option(self, name: &str, description: &str) -> Self {
        self.declare(name, description, None, OptionKind::Path)
    }

    /// Make the option declared last required.
    pub fn required(mut self) -> Self {
        if let Some(last) = self.options.last_mut() {
            last.required = true;
        }
        self
    }

    /// Ask to see the whole tree: [`Plugin::scan`] runs on every document
    /// before the first [`Plugin::transform`].
    pub fn tree_wide(mut self) -> Self {
        self.tree_wide = true;
        self
    }
}

impl Edit {
    /// Attach a human reason, shown in change reports.
    pub fn because(&mut self, reason: impl Into<String>) -> &mut Self {
        self.reason = Some(reason.into());
        self
    }
}

/// Write to the host's log (stderr, prefixed with the plugin's name).
pub mod log {
    use crate::bindings::log as host_log;
    use crate::Severity;

    pub fn info(message: &str) {
        host_log(Severity::Info, message);
    }
    pub fn warn(message: &str) {
        host_log(Severity::Warning, message);
    }
    pub fn error(message: &str) {
        host_log(Severity::Error, message);
    }
}

/// Export a type implementing [`Plugin`] as the component's entry points.
#[macro_export]
macro_rules! export_plugin {
    ($ty:ident) => {
        /// The session resource: the plugin's state behind a `RefCell`, as
        /// resource methods take `&self`.
        struct __DochostSession(::std::cell::RefCell<$ty>);

        impl $crate::bindings::exports::dochost::plugin::plugin_api::GuestSession for __DochostSession {
            fn scan(
                &self,
                doc: $crate::bindings::dochost::plugin::types::Document,
            ) -> ::std::result::Result<::std::vec::Vec<$crate::Fact>, ::std::string::String> {
                let doc = $crate::Document::new(doc);
                <$ty as $crate::Plugin>::scan(&mut self.0.borrow_mut(), &doc).map_err($crate::Error::into_message)
            }
            fn transform(
                &self,
                doc: $crate::bindings::dochost::plugin::types::Document,
            ) -> ::std::result::Result<$crate::bindings::dochost::plugin::types::Output, ::std::string::String> {
                let doc = $crate::Document::new(doc);
                <$ty as $crate::Plugin>::transform(&mut self.0.borrow_mut(), &doc)
                    .map($crate::Output::into_raw)
                    .map_err($crate::Error::into_message)
            }
            fn finish(
                &self,
            ) -> ::std::result::Result<$crate::bindings::dochost::plugin::types::RunOutput, ::std::string::String> {
                <$ty as $crate::Plugin>::finish(&mut self.0.borrow_mut())
                    .map($crate::RunOutput::into_raw)
                    .map_err($crate::Error::into_message)
            }
        }

        impl $crate::bindings::exports::dochost::plugin::plugin_api::Guest for $ty {
            type Session = __DochostSession;
            fn describe() -> $crate::PluginInfo {
                <$ty as $crate::Plugin>::describe()
            }
            fn open(
                config: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            ) -> ::std::result::Result<
                $crate::bindings::exports::dochost::plugin::plugin_api::Session,
                ::std::string::String,
            > {
                let config = $crate::Config::new(config);
                <$ty as $crate::Plugin>::open(&config)
                    .map(|plugin| {
                        $crate::bindings::exports::dochost::plugin::plugin_api::Session::new(__DochostSession(
                            ::std::cell::RefCell::new(plugin),
                        ))
                    })
                    .map_err($crate::Error::into_message)
            }
        }
        // Only a Wasm build exports the entry points: their names
        // (`dochost:plugin/plugin-api@0.3.0#…`) are not valid symbols for a
        // native linker, and native builds exist only for unit tests.
        #[cfg(target_family = "wasm")]
        $crate::bindings::__export_bindings!($ty with_types_in $crate::bindings);
        // Native builds still use the entry points, so the plugin's code is
        // not reported as dead there.
        #[cfg(not(target_family = "wasm"))]
        const _: () = {
            let _ = <$ty as $crate::bindings::exports::dochost::plugin::plugin_api::Guest>::open;
            let _ = <__DochostSession as $crate::bindings::exports::dochost::plugin::plugin_api::GuestSession>::transform;
            let _ = <__DochostSession as $crate::bindings::exports::dochost::plugin::plugin_api::GuestSession>::scan;
            let _ = <__DochostSession as $crate::bindings::exports::dochost::plugin::plugin_api::GuestSession>::finish;
        };
    };
}
