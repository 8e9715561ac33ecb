//! Counts the documents each session sees, to show that a session is reused
//! across documents and replaced after a trap. Each document gets an info
//! diagnostic `document N of this session`; a document whose source contains
//! the `trap-on` marker traps. `finish` writes `counter.txt`, the documents
//! every session saw, gathered from the facts they recorded.

use dochost_pdk::{index, Config, Document, Output, Plugin, PluginInfo, Result, RunOutput, Severity};

struct Counter {
    seen: usize,
    trap_on: Option<String>,
}

impl Plugin for Counter {
    fn describe() -> PluginInfo {
        PluginInfo::new("counter", env!("CARGO_PKG_VERSION"), "Counts the documents each session sees")
            .option("trap-on", "trap on documents whose source contains this", None)
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(Counter { seen: 0, trap_on: config.get("trap-on").map(str::to_string) })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        if let Some(marker) = &self.trap_on {
            if doc.source().contains(marker.as_str()) {
                panic!("deliberate trap on {}", doc.path());
            }
        }
        self.seen += 1;
        let mut out = Output::default();
        out.diagnose(Severity::Info, "counter", format!("document {} of this session", self.seen), None);
        out.fact("seen", self.seen.to_string());
        Ok(out)
    }

    fn finish(&mut self) -> Result<RunOutput> {
        let mut run = RunOutput::default();
        let lines: Vec<String> = index::facts("seen").into_iter().map(|f| format!("{} {}\n", f.path, f.value)).collect();
        run.diagnose(Severity::Info, "counter-total", format!("{} documents transformed", lines.len()), None);
        run.artifact("counter.txt", lines.concat());
        Ok(run)
    }
}

dochost_pdk::export_plugin!(Counter);
