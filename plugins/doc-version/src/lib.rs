//! Bumps a document's own version and last-updated date when the run
//! changed it:
//!
//! ```text
//! dochost run versions --then replace --then doc-version --set doc-version.date=2025-11-05 docs/ --in-place
//! ```
//!
//! A tree-wide plugin, run after the plugins that change content: the host
//! records under `dochost:changed-by` which earlier stages changed each
//! document, and only those documents are bumped (`all=true` bumps every
//! document given). Where a document keeps its version and date is the
//! business of the `dochost-doc-fields` crate, shared with `freshness`.

use std::collections::BTreeMap;

use dochost_doc_fields::date::Date;
use dochost_doc_fields::version::{bump, Bump};
use dochost_doc_fields::{changed_documents, find, Field, Labels, Value};
use dochost_pdk::{Config, Document, NodeId, Output, Plugin, PluginInfo, Result, Severity};

struct DocVersion {
    bump: Bump,
    date: Date,
    all: bool,
    labels: Labels,
    /// Document → the earlier plugins that changed it, read from the index
    /// on first use (it is the same for the whole stage).
    changed: Option<BTreeMap<String, Vec<String>>>,
}

impl Plugin for DocVersion {
    fn describe() -> PluginInfo {
        let info = PluginInfo::new(
            "doc-version",
            env!("CARGO_PKG_VERSION"),
            "Bump the own version and last-updated date of each document the run changed",
        )
        .option("bump", "which part of a document's version to raise: major, minor or patch", Some("minor"))
        .option("date", "the new last-updated date, YYYY-MM-DD (default: today in UTC)", None)
        .flag_option("all", "bump every document of the run, not only those earlier plugins changed", false);
        Labels::declare(info).tree_wide()
    }

    fn open(config: &Config) -> Result<Self> {
        let bump = config.parse("bump", Bump::Minor)?;
        let date = match config.get("date").filter(|d| !d.is_empty()) {
            Some(date) => Date::parse_iso(date).map_err(|e| format!("option `date`: {e}"))?,
            None => Date::today()?,
        };
        Ok(DocVersion { bump, date, all: config.flag("all", false)?, labels: Labels::from_config(config), changed: None })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        let changed_by = if self.all {
            Vec::new()
        } else {
            let changed = self.changed.get_or_insert_with(changed_documents);
            match changed.get(doc.path()) {
                Some(plugins) => plugins.clone(),
                None => return Ok(out),
            }
        };
        let by = if changed_by.is_empty() { String::new() } else { format!(" (changed by {})", changed_by.join(", ")) };
        let fields = find(doc, &self.labels);
        if fields.is_empty() {
            out.diagnose(
                Severity::Info,
                "no-doc-version",
                format!("keeps no version or last-updated date to bump{by}"),
                None,
            );
            return Ok(out);
        }
        let mut by_node: BTreeMap<NodeId, Vec<(&Field, String, String)>> = BTreeMap::new();
        let mut said = Vec::new();
        for field in &fields {
            let old = &doc.text(field.node)[field.range.clone()];
            let (new, reason) = match &field.value {
                Value::Version(version) => {
                    let new = bump(version, self.bump);
                    let reason = format!("document version: {old} → {new}");
                    (new, reason)
                }
                Value::Date(written) if written.shows(self.date) => continue,
                Value::Date(written) if written.date > self.date => {
                    out.diagnose(
                        Severity::Info,
                        "doc-date-ahead",
                        format!("last updated `{old}` is later than {}: left as it is", self.date),
                        Some(field.node),
                    );
                    continue;
                }
                Value::Date(written) => {
                    let new = written.render(self.date);
                    let reason = format!("last updated: {old} → {new}");
                    (new, reason)
                }
            };
            said.push(format!("{old} → {new}"));
            by_node.entry(field.node).or_default().push((field, new, reason));
        }
        for (node, bumps) in by_node {
            let mut text = doc.text(node).to_string();
            for (field, new, _) in bumps.iter().rev() {
                text.replace_range(field.range.clone(), new);
            }
            let reasons: Vec<&str> = bumps.iter().map(|(_, _, reason)| reason.as_str()).collect();
            out.set_text(node, text).because(reasons.join("; "));
        }
        if !said.is_empty() {
            out.diagnose(Severity::Info, "doc-version", format!("{}{by}", said.join(", ")), None);
        }
        Ok(out)
    }
}

dochost_pdk::export_plugin!(DocVersion);
