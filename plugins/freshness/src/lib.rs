//! Flags what a maintenance pass leaves stale, and what disagrees across
//! the tree:
//!
//! - `warning[stale-figure]`: a figure dated before `older-than` ("2023 CNCF
//!   调查", "Alibaba 2022 双 11 压测，90% …", "as of 2022");
//! - `warning[stale-latest]`: a "latest version" claim the manifest
//!   contradicts ("Linkerd 的最新版本是 2.14" when it says 2.16);
//! - `warning[version-mismatch]`: a product different documents state at
//!   different current versions, naming which files say what and which
//!   agrees with the manifest (a document naming several versions of a
//!   product is comparing them, and states none);
//! - `warning[version-not-bumped]`: a document earlier stages changed whose
//!   own version and date were not bumped (it keeps them, but no
//!   `doc-version` stage ran after the change);
//! - `info[freshness-summary]` per document, `info[freshness]` for the run.
//!
//! Broken cross-document references (a section renamed by the run) are
//! the `links` plugin's: run it in the same pipeline.
//!
//! A tree-wide plugin: `scan` records the versions each document states,
//! `transform` compares each document with the others.

pub mod figures;
pub mod products;
pub mod rules;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use dochost_doc_fields::date::Date;
use dochost_doc_fields::{changed_documents, find, Labels};
use dochost_pdk::{index, Config, Document, Fact, NodeKind, Output, Plugin, PluginInfo, Result, RunOutput, Severity};

use products::agree;
use rules::Rules;

/// `PRODUCT\tVERSION`, a version a document states as current.
const VERSION_FACT: &str = "freshness:version";
/// `FIGURES\tLATEST\tMISMATCHES\tNOT-BUMPED`, what a document was found to hold.
const COUNTS_FACT: &str = "freshness:counts";
const NAME: &str = "freshness";

struct Freshness {
    rules: Rules,
    older_than: u32,
    bumped_by: String,
    labels: Labels,
    /// What the other documents say, read from the index on first use.
    tree: Option<Tree>,
}

/// What the index says about the whole tree.
#[derive(Default)]
struct Tree {
    /// Product → (version, documents stating it), in input order.
    versions: BTreeMap<String, Vec<(String, Vec<String>)>>,
    /// Document → the earlier plugins that changed it, in pipeline order.
    changed: BTreeMap<String, Vec<String>>,
}

impl Tree {
    fn load() -> Tree {
        let mut tree = Tree::default();
        for fact in index::facts(VERSION_FACT) {
            let Some((product, version)) = fact.value.split_once('\t') else { continue };
            let stated = tree.versions.entry(product.to_string()).or_default();
            match stated.iter_mut().find(|(v, _)| v == version) {
                Some((_, docs)) => docs.push(fact.path),
                None => stated.push((version.to_string(), vec![fact.path])),
            }
        }
        tree.changed = changed_documents();
        tree
    }
}

/// What one document was found to hold.
#[derive(Default)]
struct Counts {
    figures: usize,
    years: BTreeSet<u32>,
    latest: usize,
    mismatches: usize,
    not_bumped: usize,
}

impl Plugin for Freshness {
    fn describe() -> PluginInfo {
        let info = PluginInfo::new(
            NAME,
            env!("CARGO_PKG_VERSION"),
            "Flag stale figures, contradicted \"latest\" claims and versions that disagree across documents",
        )
        .path_option("manifest", "versions manifest (TOML, as the versions plugin reads it) naming products and their current versions")
        .path_option("rules", "TOML file adding to the built-in marker lists and naming more products (see README)")
        .integer_option("older-than", "figures dated before this year are stale (default: last year)", None)
        .option("bumped-by", "the plugin that bumps a document's own version and date", Some("doc-version"));
        Labels::declare(info).tree_wide()
    }

    fn open(config: &Config) -> Result<Self> {
        let read = |key: &str| -> Result<Option<(String, String)>> {
            let Some(path) = config.get(key) else { return Ok(None) };
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {key} `{path}`: {e} (grant it with --allow-read {path})"))?;
            Ok(Some((path.to_string(), text)))
        };
        let (rules, manifest) = (read("rules")?, read("manifest")?);
        let rules = Rules::load(pair(&rules), pair(&manifest))?;
        let older_than = match config.get("older-than") {
            Some(year) => year.parse::<u32>().map_err(|_| format!("option `older-than`: expected a year, got `{year}`"))?,
            None => (Date::today()?.year - 1) as u32,
        };
        Ok(Freshness {
            rules,
            older_than,
            bumped_by: config.get_or("bumped-by", "doc-version").to_string(),
            labels: Labels::from_config(config),
            tree: None,
        })
    }

    fn scan(&mut self, doc: &Document) -> Result<Vec<Fact>> {
        let units = text::units(doc);
        let facts = stated(doc, &units, &self.rules)
            .into_iter()
            .map(|(product, s)| Fact::new(VERSION_FACT, format!("{}\t{}", self.rules.products[product].name, s.version)));
        Ok(facts.collect())
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let tree = self.tree.get_or_insert_with(Tree::load);
        let mut out = Output::default();
        let mut counts = Counts::default();
        let units = text::units(doc);
        for unit in &units {
            for year in figures::stale(&unit.text, self.older_than, &self.rules) {
                let message = format!(
                    "figure dated {} (before {}): “{}”",
                    &unit.text[year.range.clone()],
                    self.older_than,
                    context(&unit.text, &year.range)
                );
                out.diagnose_span(Severity::Warning, "stale-figure", message, unit.locate(doc, year.range));
                counts.figures += 1;
                counts.years.insert(year.year);
            }
            for claim in products::latest_claims(&unit.text, &self.rules) {
                let product = &self.rules.products[claim.product];
                let Some(target) = product.version.as_deref().filter(|t| !agree(&claim.version, t)) else { continue };
                let message = format!("says {} {} is the latest; the manifest says {target}", product.name, claim.version);
                out.diagnose_span(Severity::Warning, "stale-latest", message, unit.locate(doc, claim.range));
                counts.latest += 1;
            }
        }
        for (product, stated) in stated(doc, &units, &self.rules) {
            let product = &self.rules.products[product];
            if product.version.as_deref().is_some_and(|t| agree(&stated.version, t)) {
                continue;
            }
            let said = tree.versions.get(&product.name).map(Vec::as_slice).unwrap_or_default();
            let others: Vec<String> = said
                .iter()
                .filter(|(v, _)| !agree(v, &stated.version))
                .map(|(v, docs)| format!("{v} in {}", named(docs)))
                .collect();
            if others.is_empty() {
                continue;
            }
            let verdict = match &product.version {
                Some(target) => format!("the manifest says {target}"),
                None => "the manifest does not name it: decide which is right".to_string(),
            };
            let message = format!("{} {} here; {}; {verdict}", product.name, stated.version, others.join("; "));
            out.diagnose_span(Severity::Warning, "version-mismatch", message, units[stated.unit].locate(doc, stated.range));
            counts.mismatches += 1;
        }
        if let Some(message) = not_bumped(tree.changed.get(doc.path()), &self.bumped_by, || !find(doc, &self.labels).is_empty()) {
            out.diagnose(Severity::Warning, "version-not-bumped", message, None);
            counts.not_bumped += 1;
        }
        if let Some(summary) = summary(&counts) {
            out.diagnose(Severity::Info, "freshness-summary", summary, None);
        }
        out.fact(COUNTS_FACT, format!("{}\t{}\t{}\t{}", counts.figures, counts.latest, counts.mismatches, counts.not_bumped));
        Ok(out)
    }

    fn finish(&mut self) -> Result<RunOutput> {
        let mut run = RunOutput::default();
        let mut totals = [0usize; 4];
        let mut with_figures = 0;
        for fact in index::facts(COUNTS_FACT) {
            let counts: Vec<usize> = fact.value.split('\t').map(|n| n.parse().unwrap_or(0)).collect();
            with_figures += usize::from(counts.first().is_some_and(|&n| n > 0));
            for (total, n) in totals.iter_mut().zip(counts) {
                *total += n;
            }
        }
        let [figures, latest, mismatches, not_bumped] = totals;
        run.diagnose(
            Severity::Info,
            NAME,
            format!(
                "{figures} stale figures in {with_figures} documents, {latest} contradicted latest-version claims, \
                 {mismatches} version mismatches, {not_bumped} documents changed without their version bumped"
            ),
            None,
        );
        for (product, stated) in &Tree::load().versions {
            let disagree = stated.iter().any(|(a, _)| stated.iter().any(|(b, _)| !agree(a, b)));
            if disagree {
                let target = self.rules.products.iter().find(|p| &p.name == product).and_then(|p| p.version.clone());
                let said: Vec<String> = stated.iter().map(|(v, docs)| format!("{v} in {}", named(docs))).collect();
                let verdict = target.map(|t| format!(" (the manifest says {t})")).unwrap_or_default();
                run.diagnose(Severity::Info, "version-spread", format!("{product}: {}{verdict}", said.join("; ")), None);
            }
        }
        Ok(run)
    }
}

/// The version a document states for a product: every current mention
/// of it (outside link text, which names other pages) agrees. A document
/// that names several versions of a product is comparing them, and states
/// none.
struct Stated {
    version: String,
    /// Where it is first said: the unit and the range in its text.
    unit: usize,
    range: Range<usize>,
}

fn stated(doc: &Document, units: &[text::Unit], rules: &Rules) -> BTreeMap<usize, Stated> {
    let mut found: BTreeMap<usize, Option<Stated>> = BTreeMap::new();
    for (u, unit) in units.iter().enumerate() {
        for m in products::mentions(&unit.text, rules) {
            let in_link = unit.node_at(m.range.start).is_some_and(|n| doc.is_inside(n, NodeKind::Link));
            if !m.current || in_link {
                continue;
            }
            match found.get_mut(&m.product) {
                None => {
                    found.insert(m.product, Some(Stated { version: m.version, unit: u, range: m.range }));
                }
                Some(Some(first)) if !agree(&first.version, &m.version) => {
                    found.insert(m.product, None);
                }
                Some(_) => {}
            }
        }
    }
    found.into_iter().filter_map(|(p, s)| Some((p, s?))).collect()
}

/// Documents as a message names them: three, then how many more.
fn named(docs: &[String]) -> String {
    let shown = docs.iter().take(3).map(String::as_str).collect::<Vec<_>>().join(", ");
    match docs.len() {
        0..=3 => shown,
        n => format!("{shown} and {} more", n - 3),
    }
}

/// A (path, text) pair as borrowed strings.
fn pair(read: &Option<(String, String)>) -> Option<(&str, &str)> {
    read.as_ref().map(|(path, text)| (path.as_str(), text.as_str()))
}

/// Why a changed document's own version and date look untouched, if they
/// do: `changed_by` lists the earlier plugins that changed it, in pipeline
/// order; `keeps_fields` says whether it has a version or date at all.
fn not_bumped(changed_by: Option<&Vec<String>>, bumped_by: &str, keeps_fields: impl FnOnce() -> bool) -> Option<String> {
    let changed_by = changed_by?;
    let content = |p: &&String| p.as_str() != bumped_by && p.as_str() != NAME;
    let bump = changed_by.iter().position(|p| p == bumped_by);
    let after: Vec<&str> = changed_by[bump.map_or(0, |b| b + 1)..].iter().filter(content).map(String::as_str).collect();
    if after.is_empty() || !keeps_fields() {
        return None;
    }
    Some(match bump {
        None => format!(
            "changed by {}, but its own version and last-updated date were not bumped (run {bumped_by} after them)",
            after.join(", ")
        ),
        Some(_) => format!("changed by {} after {bumped_by} bumped its version and date", after.join(", ")),
    })
}

/// The per-document summary, when there is anything to say.
fn summary(c: &Counts) -> Option<String> {
    let mut parts = Vec::new();
    if c.figures > 0 {
        let years: Vec<String> = c.years.iter().map(u32::to_string).collect();
        parts.push(format!("{} stale figures ({})", c.figures, years.join(", ")));
    }
    if c.latest > 0 {
        parts.push(format!("{} contradicted latest-version claims", c.latest));
    }
    if c.mismatches > 0 {
        parts.push(format!("{} versions that disagree with other documents", c.mismatches));
    }
    if c.not_bumped > 0 {
        parts.push("its own version not bumped".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The sentence around `range`, cut to about 40 characters, for a message.
fn context(text: &str, range: &Range<usize>) -> String {
    let sentence = text::sentences(text).into_iter().find(|s| s.start <= range.start && range.start < s.end).unwrap_or(0..text.len());
    let s = &text[sentence.clone()];
    let at = s[..range.start - sentence.start].chars().count();
    let chars: Vec<char> = s.chars().map(|c| if c == text::PLACEHOLDER { '…' } else { c }).collect();
    let from = at.saturating_sub(12);
    let to = (from + 40).min(chars.len());
    let mut out: String = chars[from..to].iter().collect::<String>().trim().to_string();
    if from > 0 {
        out.insert(0, '…');
    }
    if to < chars.len() {
        out.push('…');
    }
    out.trim_end_matches(['。', '.', '；', ';']).to_string()
}

dochost_pdk::export_plugin!(Freshness);

#[cfg(test)]
mod tests {
    use super::*;

    fn by(plugins: &[&str]) -> Vec<String> {
        plugins.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_changed_document_must_have_its_version_bumped_after_the_change() {
        let keeps = || true;
        assert_eq!(not_bumped(None, "doc-version", keeps), None);
        assert_eq!(not_bumped(Some(&by(&["versions", "doc-version"])), "doc-version", keeps), None);
        assert_eq!(
            not_bumped(Some(&by(&["mojibake", "versions"])), "doc-version", keeps).unwrap(),
            "changed by mojibake, versions, but its own version and last-updated date were not bumped (run doc-version after them)"
        );
        assert_eq!(
            not_bumped(Some(&by(&["versions", "doc-version", "links"])), "doc-version", keeps).unwrap(),
            "changed by links after doc-version bumped its version and date"
        );
        assert_eq!(not_bumped(Some(&by(&["versions"])), "doc-version", || false), None, "nothing to bump");
    }

    #[test]
    fn messages_quote_the_sentence_around_the_year() {
        let text = "前言。Alibaba 2022 双 11 压测，90% 延迟变化可用 2-阶模型预测（误差 < 5%），这一段很长很长很长很长很长。";
        let at = text.find("2022").unwrap();
        assert_eq!(context(text, &(at..at + 4)), "Alibaba 2022 双 11 压测，90% 延迟变化可用 2-阶模型预测（…");
        let at = text.find("这一段").unwrap();
        assert_eq!(context(text, &(at..at + 3)), "…预测（误差 < 5%），这一段很长很长很长很长很长");
        let summary = summary(&Counts { figures: 2, years: [2022, 2023].into(), latest: 1, ..Default::default() });
        assert_eq!(summary.unwrap(), "2 stale figures (2022, 2023), 1 contradicted latest-version claims");
    }
}
