//! Fetches its `url` option through wasi-http for every document and
//! reports the status, size and start of the body; a failed request fails
//! the document with the kit's message.

use dochost_pdk::{http, Config, Document, Output, Plugin, PluginInfo, Result, Severity};

struct Fetch {
    url: String,
}

impl Plugin for Fetch {
    fn describe() -> PluginInfo {
        PluginInfo::new("fetch", env!("CARGO_PKG_VERSION"), "Fetches a URL").option("url", "what to fetch", None).required()
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(Fetch { url: config.get_or("url", "").to_string() })
    }

    fn transform(&mut self, _doc: &Document) -> Result<Output> {
        let response = http::get(&self.url)?;
        let body = String::from_utf8_lossy(&response.body);
        let start: String = body.chars().take(40).collect();
        let mut out = Output::default();
        out.diagnose(
            Severity::Info,
            "fetched",
            format!("status {}, {} bytes: {start}", response.status, response.body.len()),
            None,
        );
        Ok(out)
    }
}

dochost_pdk::export_plugin!(Fetch);
