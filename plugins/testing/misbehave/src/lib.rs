//! Hostile behaviours for the sandbox tests, chosen with `--set mode=...`.

use dochost_pdk::{bail, log, Config, Document, Output, Plugin, PluginInfo, Result};

struct Misbehave {
    config: Config,
}

impl Plugin for Misbehave {
    fn describe() -> PluginInfo {
        PluginInfo::new("misbehave", env!("CARGO_PKG_VERSION"), "Misbehaves on purpose")
            .option("mode", "loop, alloc, trap, error, read, env, stderr, log, reject", None)
            .option("path", "file to read in mode=read", None)
            .option("when", "only misbehave on documents whose source contains this", None)
    }

    fn open(config: &Config) -> Result<Self> {
        if config.get("mode") == Some("reject") {
            bail!("deliberately rejected options");
        }
        Ok(Misbehave { config: config.clone() })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let config = &self.config;
        if let Some(marker) = config.get("when") {
            if !doc.source().contains(marker) {
                return Ok(Output::default());
            }
        }
        match config.get_or("mode", "") {
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "alloc" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 16 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "trap" => panic!("deliberate trap"),
            "error" => bail!("deliberate error"),
            "read" => {
                let path = config.get("path").ok_or("mode=read needs path")?;
                match std::fs::read_to_string(path) {
                    Ok(text) => Ok(report(format!("read {} bytes", text.len()))),
                    Err(e) => bail!("cannot read {path}: {e}"),
                }
            }
            "env" => {
                let vars: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
                let home = std::env::var("HOME").ok();
                Ok(report(format!("vars={vars:?} home={home:?}")))
            }
            "stderr" => {
                eprintln!("a line on stderr");
                Ok(Output::default())
            }
            "log" => {
                log::warn("a logged warning");
                Ok(Output::default())
            }
            other => bail!("unknown mode `{other}`"),
        }
    }
}

fn report(message: String) -> Output {
    let mut out = Output::default();
    out.diagnose(dochost_pdk::Severity::Info, "observed", message, None);
    out
}

dochost_pdk::export_plugin!(Misbehave);
