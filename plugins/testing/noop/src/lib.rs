//! Changes nothing: the output must equal the input byte for byte.

use dochost_pdk::{Config, Document, Output, Plugin, PluginInfo, Result};

struct Noop;

impl Plugin for Noop {
    fn describe() -> PluginInfo {
        PluginInfo::new("noop", env!("CARGO_PKG_VERSION"), "Changes nothing")
    }

    fn open(_config: &Config) -> Result<Self> {
        Ok(Noop)
    }

    fn transform(&mut self, _doc: &Document) -> Result<Output> {
        Ok(Output::default())
    }
}

dochost_pdk::export_plugin!(Noop);
