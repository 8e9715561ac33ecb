//! Changes nothing: the output must equal the input byte for byte.

use dochost_pdk::{Config, Document, Output, Plugin, PluginInfo};

struct Noop;

impl Plugin for Noop {
    fn describe() -> PluginInfo {
        PluginInfo::new("noop", env!("CARGO_PKG_VERSION"), "Changes nothing")
    }

    fn transform(_doc: &Document, _config: &Config) -> Result<Output, String> {
        Ok(Output::default())
    }
}

dochost_pdk::export_plugin!(Noop);
