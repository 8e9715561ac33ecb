//! Finds broken links and anchors across a Markdown tree, and fixes what is
//! certain.
//!
//! ```text
//! dochost run links docs/                                  # report
//! dochost run links --set links.fix=true --in-place docs/  # and fix
//! dochost run links --set links.external=true --allow-net example.org docs/
//! dochost run links --set external=true --allow-net example.org \
//!     --allow-write .cache --set cache=.cache/links.json docs/   # answers kept a day
//! ```
//!
//! A tree-wide plugin: `scan` records each document's HTML anchors, then
//! `transform` checks each document against the whole tree through the
//! host's index (documents, headings, every file under the roots). Plain
//! modules do the work: [`destination`] (what a URL points at),
//! [`tree`] (what exists), [`slug`] and [`anchors`] (heading ids),
//! [`html`], [`references`], [`external`] (HTTP), [`cache`] (external
//! answers between runs) and [`check`] (one document).

pub mod anchors;
pub mod cache;
pub mod check;
pub mod destination;
pub mod external;
pub mod html;
pub mod references;
pub mod slug;
pub mod tree;

use std::collections::HashMap;

use dochost_pdk::{index, Config, Document, Fact, NodeKind, Output, Plugin, PluginInfo, Result, RunOutput, Severity};

use anchors::Anchors;
use check::{Finding, Place, Settings};
use destination::normalize;
use slug::SlugRule;
use tree::Tree;

/// Fact key of an HTML `id`/`name` anchor a document holds.
const HTML_ANCHOR: &str = "html-anchor";
/// Fact keys of per-document counts, summed by `finish`.
const CHECKED: &str = "links-checked";
const BROKEN: &str = "links-broken";
const FIXED: &str = "links-fixed";
/// Fact key of an external answer asked over the network during
/// `transform`: `[url, entry]` as JSON, gathered by `finish` into the cache.
const ASKED: &str = "links-asked";
/// How long a cached external answer is used (lychee's default too).
const DEFAULT_TTL: &str = "1d";

/// A session: the options, and what it learned of the tree on first use.
struct Links {
    rule: SlugRule,
    settings: Settings,
    fix: bool,
    external: Option<external::Checker>,
    /// External answers kept between runs, when `cache` is given.
    cache: Option<cache::Cache>,
    known: Option<Known>,
}

/// The tree and the anchors of the documents looked at so far.
struct Known {
    tree: Tree,
    /// Normalised document path → its HTML anchors.
    html: HashMap<String, Vec<String>>,
    anchors: HashMap<String, Anchors>,
}

impl Plugin for Links {
    fn describe() -> PluginInfo {
        PluginInfo::new("links", env!("CARGO_PKG_VERSION"), "Find and fix broken links and anchors across a tree")
            .option("slugs", "heading id rule: github, gitlab, mdbook, mdbook-0.4, mdbook-0.5 or pandoc", Some("github"))
            .option("root", "where links written `/like/this` start (default: the first path given)", None)
            .flag_option("dir-index", "a link to a directory must find its README.md or index.md", false)
            .flag_option("site-links", "`page.html` and `page` find `page.md`, as site generators publish it", true)
            .flag_option("fix", "rewrite links whose right target is certain", false)
            .flag_option("external", "check http(s) links (needs --allow-net for their hosts)", false)
            .option(
                "cache",
                "file keeping external answers between runs, in a directory granted with --allow-write",
                None,
            )
            .option("cache-ttl", "how long a cached answer is used: seconds, or 90m, 12h, 7d, 2w", Some(DEFAULT_TTL))
            .tree_wide()
    }

    fn open(config: &Config) -> Result<Self> {
        let rule = SlugRule::parse(config.get_or("slugs", "github")).map_err(|e| format!("option `slugs`: {e}"))?;
        let settings = Settings {
            root: config.get("root").map(normalize),
            dir_index: config.flag("dir-index", false)?,
            site_links: config.flag("site-links", true)?,
        };
        let mut external = config.flag("external", false)?.then(|| external::Checker::new(external::Settings::default()));
        let ttl = cache::parse_ttl(config.get_or("cache-ttl", DEFAULT_TTL))?;
        // Without `external` nothing is asked, so there is nothing to keep.
        let cache = match (config.get("cache"), external.as_mut()) {
            (Some(path), Some(checker)) => {
                let cache = cache::Cache::open(path, ttl, cache::now())?;
                for (url, entry) in &cache.entries {
                    checker.remember(url.clone(), entry.answer.outcome());
                }
                Some(cache)
            }
            _ => None,
        };
        Ok(Links { rule, settings, fix: config.flag("fix", false)?, external, cache, known: None })
    }

    fn scan(&mut self, doc: &Document) -> Result<Vec<Fact>> {
        let mut facts = Vec::new();
        for id in doc.ids().filter(|&id| matches!(doc.node(id).kind, NodeKind::HtmlBlock | NodeKind::InlineHtml)) {
            let anchors = html::attributes(doc.source_of(id)).into_iter().filter(|a| a.is_anchor());
            facts.extend(anchors.map(|a| Fact::new(HTML_ANCHOR, a.value)));
        }
        Ok(facts)
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let known = self.known.get_or_insert_with(Known::from_index);
        let mut world = World { known, rule: self.rule, external: self.external.as_mut() };
        let findings = check::check(doc, &mut world, &self.settings);
        let mut out = output(doc, findings, self.fix);
        if let (Some(checker), Some(_)) = (self.external.as_mut(), &self.cache) {
            let checked = cache::now();
            for (url, outcome) in checker.take_asked() {
                if let Some(answer) = cache::Answer::of(&outcome) {
                    let fact = serde_json::to_string(&(url, cache::Entry { checked, answer })).map_err(|e| e.to_string())?;
                    out.fact(ASKED, fact);
                }
            }
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<RunOutput> {
        let total = |key: &str| index::facts(key).iter().filter_map(|f| f.value.parse::<usize>().ok()).sum::<usize>();
        let mut out = RunOutput::default();
        let documents = index::documents().len();
        out.diagnose(
            Severity::Info,
            "links-summary",
            format!(
                "{} links in {documents} documents: {} broken, {} fixed",
                total(CHECKED),
                total(BROKEN),
                total(FIXED)
            ),
            None,
        );
        if let Some(cache) = &mut self.cache {
            save_cache(cache);
        }
        Ok(out)
    }
}

/// Write what every session asked (the facts of `transform`) into the
/// cache with what is still fresh in it. The cache is an aid: a problem
/// with it is a warning in the log, never a failed run.
fn save_cache(cache: &mut cache::Cache) {
    if let Some(why) = cache.ignored.take() {
        dochost_pdk::log::warn(&format!("the cache `{}` was ignored: {why}; it is written anew", cache.path.display()));
    }
    let asked = index::facts(ASKED)
        .into_iter()
        .filter_map(|fact| serde_json::from_str::<(String, cache::Entry)>(&fact.value).ok());
    cache.merge(asked, cache::now());
    if let Err(e) = cache.save() {
        dochost_pdk::log::warn(&format!("{e}; the next run asks again"));
    }
}

impl Known {
    fn from_index() -> Known {
        let documents = index::documents();
        let tree = Tree::new(&index::files(), &documents, &index::roots());
        let mut html: HashMap<String, Vec<String>> = HashMap::new();
        for fact in index::facts(HTML_ANCHOR) {
            html.entry(normalize(&fact.path)).or_default().push(fact.value);
        }
        Known { tree, html, anchors: HashMap::new() }
    }
}

/// The session's knowledge, as [`check::check`] asks for it.
struct World<'a> {
    known: &'a mut Known,
    rule: SlugRule,
    external: Option<&'a mut external::Checker>,
}

impl check::World for World<'_> {
    fn tree(&self) -> &Tree {
        &self.known.tree
    }

    fn anchors(&mut self, path: &str) -> Option<&Anchors> {
        let known = &mut *self.known;
        if !known.anchors.contains_key(path) {
            let document = known.tree.document(path)?;
            let headings: Vec<(String, Option<String>)> =
                index::headings(document)?.into_iter().map(|h| (h.text, h.id)).collect();
            let html = known.html.get(path).map_or(&[][..], Vec::as_slice);
            known.anchors.insert(path.to_string(), Anchors::new(self.rule, &headings, html));
        }
        known.anchors.get(path)
    }

    fn external(&mut self, url: &str) -> Option<external::Outcome> {
        Some(self.external.as_mut()?.check(url))
    }
}

/// Findings as diagnostics, and as edits where `fix` is on and the fix is
/// certain.
fn output(doc: &Document, findings: Vec<Finding>, fix: bool) -> Output {
    let mut out = Output::default();
    let (mut broken, mut fixed) = (0, 0);
    for f in findings {
        broken += usize::from(f.severity == Severity::Error);
        let (severity, code, message) = match &f.fix {
            Some((to, why)) if fix => {
                fixed += 1;
                match f.place {
                    Place::Url(node) => out.set_url(node, to.clone()),
                    Place::Attribute(span) => out.splice(span.start, span.end, to.replace('"', "%22")),
                }
                .because(format!("links: {why}"));
                (Severity::Info, "link-fixed", format!("{}; fixed: {why}", f.message))
            }
            Some((to, _)) => (f.severity, f.code, format!("{} (--set links.fix=true rewrites it to `{to}`)", f.message)),
            None => (f.severity, f.code, f.message),
        };
        match f.place {
            Place::Url(node) => out.diagnose(severity, code, message, Some(node)),
            Place::Attribute(span) => out.diagnose_span(severity, code, message, span),
        };
    }
    let links = doc
        .ids()
        .filter(|&id| matches!(doc.node(id).kind, NodeKind::Link | NodeKind::Image | NodeKind::LinkDefinition))
        .count();
    out.fact(CHECKED, links.to_string());
    out.fact(BROKEN, broken.to_string());
    out.fact(FIXED, fixed.to_string());
    out
}

dochost_pdk::export_plugin!(Links);
