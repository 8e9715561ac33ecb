//! Brings software versions in docs up to date from a manifest, leaving
//! historical and comparative mentions alone.
//!
//! ```text
//! dochost run versions --allow-read versions.toml --set manifest=versions.toml docs/
//! ```
//!
//! The work is done by plain modules that tests can drive without a host:
//! [`manifest`] (what to target), [`rules`] (marker lists, data in
//! `rules.toml`), [`version`] (parse, compare, rewrite), [`scan`] (one text)
//! and [`plan`] (one document). This file only reads options and turns the
//! plan into edits or diagnostics.

pub mod manifest;
pub mod plan;
pub mod rules;
pub mod scan;
pub mod version;

use std::collections::BTreeMap;

use dochost_pdk::{bail, Config, Document, NodeId, Output, Plugin, PluginInfo, Result, Severity, Span};

use manifest::Manifest;
use plan::{Change, Field, Options};

/// A session: the manifest, parsed once, and the options.
struct Versions {
    manifest: Manifest,
    options: Options,
    /// Only report stale versions.
    check: bool,
}

impl Plugin for Versions {
    fn describe() -> PluginInfo {
        PluginInfo::new("versions", env!("CARGO_PKG_VERSION"), "Bring software versions in docs up to date")
            .path_option("manifest", "TOML file of products and target versions (grant it with --allow-read)")
            .required()
            .option("mode", "`bump` rewrites stale versions, `check` only reports them", Some("bump"))
            .flag_option("code", "also look for product names in inline code and code blocks", false)
    }

    fn open(config: &Config) -> Result<Self> {
        let path = config.get("manifest").unwrap_or_default();
        let check = match config.get_or("mode", "bump") {
            "bump" => false,
            "check" => true,
            other => bail!("option `mode`: expected bump or check, got `{other}`"),
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read manifest `{path}`: {e} (grant it with --allow-read {path})"))?;
        let manifest = Manifest::parse(&text).map_err(|e| format!("{path}: {e}"))?;
        Ok(Versions { manifest, options: Options { code: config.flag("code", false)? }, check })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let plan = plan::plan(doc, &self.manifest, self.options);
        Ok(output(doc, plan, self.check))
    }
}

/// Edits (bump mode) or `stale-version` warnings (check mode), plus the
/// plan's notes as diagnostics.
fn output(doc: &Document, plan: plan::Plan, check: bool) -> Output {
    let mut out = Output::default();
    let mut by_node: BTreeMap<(NodeId, bool), Vec<&Change>> = BTreeMap::new();
    for change in &plan.changes {
        by_node.entry((change.node, change.field == Field::Url)).or_default().push(change);
    }
    for ((node, is_url), changes) in by_node {
        let field = if is_url { Field::Url } else { Field::Text };
        if check {
            for c in changes {
                diagnose(&mut out, doc, node, field, &c.range, Severity::Warning, "stale-version", c.reason.clone());
            }
            continue;
        }
        let original = field_text(doc, node, field);
        let mut text = original.to_string();
        for c in changes.iter().rev() {
            text.replace_range(c.range.clone(), &c.new);
        }
        // One edit per node; its reason lists each change, `; `-separated.
        let reason = changes.iter().map(|c| c.reason.as_str()).collect::<Vec<_>>().join("; ");
        match field {
            Field::Text => out.set_text(node, text).because(reason),
            Field::Url => out.set_url(node, text).because(reason),
        };
    }
    for note in plan.notes {
        diagnose(&mut out, doc, note.node, note.field, &note.range, note.severity, note.code, note.message);
    }
    out
}

fn field_text(doc: &Document, node: NodeId, field: Field) -> &str {
    match field {
        Field::Text => doc.text(node),
        Field::Url => doc.node(node).url.as_deref().unwrap_or(""),
    }
}

/// A diagnostic on the exact source bytes when the field appears verbatim
/// in the node's source, else on the node.
#[allow(clippy::too_many_arguments)]
fn diagnose(
    out: &mut Output,
    doc: &Document,
    node: NodeId,
    field: Field,
    range: &std::ops::Range<usize>,
    severity: Severity,
    code: &str,
    message: String,
) {
    let value = field_text(doc, node, field);
    let found = (!value.is_empty()).then(|| doc.source_of(node).find(value)).flatten();
    match found {
        Some(offset) => {
            let base = doc.span(node).start as usize + offset;
            let span = Span { start: (base + range.start) as u32, end: (base + range.end) as u32 };
            out.diagnose_span(severity, code, message, span);
        }
        None => {
            out.diagnose(severity, code, message, Some(node));
        }
    }
}

dochost_pdk::export_plugin!(Versions);
