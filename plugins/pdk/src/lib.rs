//! The dochost plugin development kit for Rust.
//!
//! A plugin implements [`Plugin`] and exports it with [`export_plugin!`]:
//!
//! ```ignore
//! use dochost_pdk::{Config, Document, NodeKind, Output, Plugin, PluginInfo};
//!
//! struct Shout;
//!
//! impl Plugin for Shout {
//!     fn describe() -> PluginInfo {
//!         PluginInfo::new("shout", env!("CARGO_PKG_VERSION"), "Upper-cases every text node")
//!     }
//!     fn transform(doc: &Document, _config: &Config) -> Result<Output, String> {
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
//! Build it with `cargo build --target wasm32-wasip2 --release`; the `.wasm`
//! in `target/wasm32-wasip2/release/` is the plugin.

mod config;
mod document;
mod output;

pub use config::Config;
pub use document::Document;
pub use output::Output;

/// The raw bindings generated from `wit/plugin.wit`.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "plugin",
        default_bindings_module: "dochost_pdk::bindings",
        pub_export_macro: true,
        export_macro_name: "__export_bindings",
    });
}

pub use bindings::dochost::plugin::types::{
    Artifact, Diagnostic, Edit, EditOp, LinkKind, Node, NodeKind, NodeValue, OptionSpec,
    PluginInfo, Severity, Span, SpanValue,
};

/// Index of a node in [`Document::nodes`].
pub type NodeId = u32;

/// What a plugin implements.
pub trait Plugin {
    /// Name, version, description and options of the plugin.
    fn describe() -> PluginInfo;
    /// Look at one document and answer with edits, diagnostics and artifacts.
    /// An `Err` fails this document with that message.
    fn transform(doc: &Document, config: &Config) -> Result<Output, String>;
}

impl PluginInfo {
    /// Plugin info with no options; add them with [`PluginInfo::option`].
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        PluginInfo {
            name: name.to_string(),
            version: version.to_string(),
            description: description.to_string(),
            options: Vec::new(),
        }
    }

    /// Declare an option (shown by `dochost inspect`).
    pub fn option(mut self, name: &str, description: &str, default: Option<&str>) -> Self {
        self.options.push(OptionSpec {
            name: name.to_string(),
            description: description.to_string(),
            default: default.map(str::to_string),
        });
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
        impl $crate::bindings::Guest for $ty {
            fn describe() -> $crate::PluginInfo {
                <$ty as $crate::Plugin>::describe()
            }
            fn transform(
                doc: $crate::bindings::dochost::plugin::types::Document,
                config: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            ) -> ::std::result::Result<$crate::bindings::dochost::plugin::types::Output, ::std::string::String> {
                let doc = $crate::Document::new(doc);
                let config = $crate::Config::new(config);
                <$ty as $crate::Plugin>::transform(&doc, &config).map($crate::Output::into_raw)
            }
        }
        $crate::bindings::__export_bindings!($ty with_types_in $crate::bindings);
    };
}
