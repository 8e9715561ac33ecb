//! Checking one document's links: every destination (Markdown links,
//! images, definitions, `<a href>`, `<img src>`), every reference label,
//! and what can be fixed for certain.

use std::collections::{HashMap, HashSet};

use dochost_pdk::{Document, LinkKind, NodeId, NodeKind, Severity, Span};

use crate::anchors::Anchors;
use crate::destination::{join, parent, percent_encode, relative, Destination};
use crate::external::Outcome;
use crate::html;
use crate::references::{normalize_label, written_references};
use crate::tree::{Lookup, Tree};

/// Options that change what counts as found.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Where `/x` links start; the first root when `None`.
    pub root: Option<String>,
    /// A link to a directory must find its `README.md` or `index.md`.
    pub dir_index: bool,
    /// `page.html` and `page` find `page.md`, as site generators (mdBook,
    /// Jekyll, Hugo, Zola) publish it.
    pub site_links: bool,
}

/// Where a destination is written.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// The url of a link, image or definition node.
    Url(NodeId),
    /// An HTML attribute value: its exact bytes in the source.
    Attribute(Span),
}

/// One thing found wrong (or worth saying) about a document.
#[derive(Debug, Clone)]
pub struct Finding {
    pub place: Place,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// A destination that is certainly right, and why.
    pub fix: Option<(String, String)>,
}

/// What a document's check needs from the session.
pub trait World {
    fn tree(&self) -> &Tree;
    /// The anchors of the document at `path` (a normalised path of the tree).
    fn anchors(&mut self, path: &str) -> Option<&Anchors>;
    /// Check an external URL; `None` when external checks are off.
    fn external(&mut self, url: &str) -> Option<Outcome>;
}

/// Every finding about `doc`'s links, in document order.
pub fn check(doc: &Document, world: &mut dyn World, settings: &Settings) -> Vec<Finding> {
    let here = crate::destination::normalize(doc.path());
    let mut findings = Vec::new();
    let mut definitions: Vec<(NodeId, String)> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for id in doc.ids() {
        let node = doc.node(id);
        match node.kind {
            NodeKind::Link | NodeKind::Image => {
                if let Some(label) = node.label.as_deref().filter(|_| is_reference(node.link_kind)) {
                    // Checked once, where it is defined.
                    used.insert(normalize_label(label));
                    continue;
                }
                if let Some(url) = node.url.as_deref() {
                    let fixable = !matches!(node.link_kind, Some(LinkKind::Autolink | LinkKind::Email));
                    findings.extend(destination(url, Place::Url(id), fixable, &here, world, settings));
                }
            }
            NodeKind::LinkDefinition => {
                definitions.push((id, normalize_label(node.label.as_deref().unwrap_or(""))));
                if let Some(url) = node.url.as_deref() {
                    findings.extend(destination(url, Place::Url(id), true, &here, world, settings));
                }
            }
            NodeKind::HtmlBlock | NodeKind::InlineHtml => {
                let source = doc.source_of(id);
                let start = doc.span(id).start;
                for attribute in html::attributes(source).into_iter().filter(|a| a.is_link()) {
                    let span = Span { start: start + attribute.range.start as u32, end: start + attribute.range.end as u32 };
                    findings.extend(destination(attribute.value, Place::Attribute(span), true, &here, world, settings));
                }
            }
            NodeKind::Text if !doc.is_inside(id, NodeKind::Link) => {
                let start = doc.span(id).start;
                for (label, range) in written_references(doc.source_of(id)) {
                    findings.push(Finding {
                        place: Place::Attribute(Span { start: start + range.start as u32, end: start + range.end as u32 }),
                        severity: Severity::Error,
                        code: "undefined-reference",
                        message: format!("`[{label}]` is not defined: add `[{label}]: URL` or fix the label"),
                        fix: None,
                    });
                }
            }
            _ => {}
        }
    }
    let mut seen = HashMap::new();
    for (id, label) in definitions {
        // The first of two definitions of one label wins; the second is dead.
        let first = *seen.entry(label.clone()).or_insert(id) == id;
        if !used.contains(&label) || !first {
            let why = if first { "never used" } else { "defined again: the first definition wins" };
            findings.push(Finding {
                place: Place::Url(id),
                severity: Severity::Warning,
                code: "unused-definition",
                message: format!("`[{}]` is {why}", doc.node(id).label.as_deref().unwrap_or("")),
                fix: None,
            });
        }
    }
    findings
}

fn is_reference(kind: Option<LinkKind>) -> bool {
    matches!(kind, Some(LinkKind::Reference | LinkKind::Collapsed | LinkKind::Shortcut))
}

/// The findings about one destination written at `place` in document `here`.
fn destination(url: &str, place: Place, fixable: bool, here: &str, world: &mut dyn World, settings: &Settings) -> Option<Finding> {
    let finding = |severity, code, message: String, fix: Option<(String, String)>| {
        Some(Finding { place, severity, code, message, fix: fix.filter(|_| fixable) })
    };
    let (path, fragment) = match Destination::parse(url) {
        Destination::Other => return None,
        Destination::External(full) => return external(url, &full, world).and_then(|(s, c, m, f)| finding(s, c, m, f)),
        Destination::Local { path, fragment } => (path, fragment),
    };
    let tree = world.tree();
    // Where the path starts from, and how a rewritten one is written.
    let (base, lead) = match path.strip_prefix('/') {
        Some(_) => (settings.root.as_deref().unwrap_or(tree.first_root()).to_string(), "/"),
        None => (parent(here).to_string(), ""),
    };
    let resolved = if path.is_empty() { Some(here.to_string()) } else { join(&base, &path) };
    let Some(resolved) = resolved.filter(|r| tree.covers(r)) else {
        let message = format!("`{url}`: outside the tree this run was given; not checked");
        return finding(Severity::Info, "not-checked", message, None);
    };
    let published = settings.site_links.then(|| source_of_page(&resolved)).flatten().filter(|md| tree.lookup(md) == Lookup::File);
    let target = match tree.lookup(&resolved) {
        Lookup::File => resolved,
        _ if published.is_some() => published.unwrap_or_default(),
        Lookup::Dir if settings.dir_index => {
            let index = ["README.md", "index.md"].iter().map(|name| join(&resolved, name).unwrap_or_default()).find(|p| tree.lookup(p) == Lookup::File);
            match index {
                Some(index) => index,
                None => {
                    let message = format!("`{url}`: the directory `{resolved}` has no README.md or index.md");
                    return finding(Severity::Error, "broken-link", message, None);
                }
            }
        }
        Lookup::Dir => return None,
        Lookup::CaseDiffers(real) => {
            let fixed = rewrite_path(url, &path, (&base, lead), &real);
            let message = format!(
                "`{url}`: the file is `{real}`; the case differs, which breaks on case-sensitive file systems (Linux, GitHub)"
            );
            return finding(Severity::Error, "link-case", message, Some((fixed, format!("file name case: {real}"))));
        }
        Lookup::Missing => {
            let name = resolved.rsplit('/').next().unwrap_or(&resolved);
            let moved = match tree.named(name) {
                [only] => Some(only.clone()),
                _ => None,
            };
            let message = match &moved {
                Some(m) => format!("`{url}`: no such file `{resolved}` (moved? `{m}` has that name)"),
                None => format!("`{url}`: no such file `{resolved}`"),
            };
            let fix = moved.map(|m| (rewrite_path(url, &path, (&base, lead), &m), format!("file moved to {m}")));
            return finding(Severity::Error, "broken-link", message, fix);
        }
    };
    let fragment = fragment?;
    let document = world.tree().document(&target).map(str::to_string)?;
    let anchors = world.anchors(&target)?;
    if anchors.contains(&fragment) {
        return None;
    }
    let shown = if document == here { "this document".to_string() } else { format!("`{document}`") };
    if let Some(other) = anchors.in_other_case(&fragment) {
        let message = format!("`{url}`: {shown} has `#{other}`, not `#{fragment}`; fragments are case-sensitive");
        return finding(Severity::Warning, "anchor-case", message, Some((with_fragment(url, other), format!("anchor case: #{other}"))));
    }
    let guess = anchors.closest(&fragment).map(str::to_string);
    let message = match &guess {
        Some(g) => format!("`{url}`: {shown} has no heading or anchor `#{fragment}` (renamed? did you mean `#{g}`?)"),
        None => format!("`{url}`: {shown} has no heading or anchor `#{fragment}`"),
    };
    let fix = guess.map(|g| (with_fragment(url, &g), format!("heading renamed: #{g}")));
    finding(Severity::Error, "broken-anchor", message, fix)
}

/// The Markdown file a site generator publishes at `path`: `x.md` for
/// `x.html` and for `x` without an extension.
fn source_of_page(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some(stem) = path.strip_suffix(".html") {
        return Some(format!("{stem}.md"));
    }
    (!name.is_empty() && !name.contains('.')).then(|| format!("{path}.md"))
}

/// What an external check says, as (severity, code, message, fix).
fn external(url: &str, full: &str, world: &mut dyn World) -> Option<(Severity, &'static str, String, Option<(String, String)>)> {
    let Some(outcome) = world.external(full) else {
        let host = host_of(full);
        let message = format!("`{url}`: not checked (offline; check with --set links.external=true --allow-net {host})");
        return Some((Severity::Info, "not-checked", message, None));
    };
    Some(match outcome {
        Outcome::Ok => return None,
        Outcome::Redirected { to, permanent: true } => {
            let to = match full.split_once('#') {
                Some((_, fragment)) if !to.contains('#') => format!("{to}#{fragment}"),
                _ => to,
            };
            (Severity::Warning, "redirect", format!("`{url}` moved permanently to `{to}`"), Some((to.clone(), format!("permanent redirect to {to}"))))
        }
        Outcome::Redirected { to, permanent: false } => (Severity::Info, "redirect", format!("`{url}` redirects to `{to}`"), None),
        Outcome::Broken { status } => (Severity::Error, "broken-link", format!("`{url}`: HTTP {status}"), None),
        Outcome::RateLimited { retry_after } => {
            let wait = retry_after.map(|d| format!(" (Retry-After {} s)", d.as_secs())).unwrap_or_default();
            (Severity::Warning, "rate-limited", format!("`{url}`: rate limited by the server (HTTP 429){wait}; not checked"), None)
        }
        Outcome::NotGranted { host } => {
            (Severity::Info, "not-checked", format!("`{url}`: not checked (no network granted for {host}: --allow-net {host})"), None)
        }
        Outcome::Failed { message } => (Severity::Warning, "link-unreachable", format!("`{url}`: {message}"), None),
    })
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// `url` with its path part replaced by the way from `from` (the directory
/// the path starts at, and `/` for root-relative paths) to `target`,
/// keeping query and fragment as written.
fn rewrite_path(url: &str, path: &str, from: (&str, &str), target: &str) -> String {
    let (base, root) = from;
    let tail = url.find(['?', '#']).map_or("", |i| &url[i..]);
    let new_path = relative(base, target);
    let encoded = percent_encode(&new_path, url.contains('%') && !path.is_ascii());
    let lead = if !root.is_empty() {
        root
    } else if url.starts_with("./") && !encoded.starts_with("..") {
        "./"
    } else {
        ""
    };
    format!("{lead}{encoded}{tail}")
}

/// `url` with its fragment replaced by `fragment`.
fn with_fragment(url: &str, fragment: &str) -> String {
    let (base, old) = url.split_once('#').unwrap_or((url, ""));
    let encoded = if old.contains('%') { percent_encode(fragment, true) } else { fragment.to_string() };
    format!("{base}#{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_keep_the_way_the_url_was_written() {
        assert_eq!(rewrite_path("Guide.md#x", "Guide.md", ("docs", ""), "docs/guide.md"), "guide.md#x");
        assert_eq!(rewrite_path("./old/setup.md", "./old/setup.md", ("docs", ""), "docs/new/setup.md"), "./new/setup.md");
        assert_eq!(rewrite_path("%E8%AE%BE%E8%AE%A1.md", "设计.md", ("", ""), "docs/设计.md"), "docs/%E8%AE%BE%E8%AE%A1.md");
        assert_eq!(rewrite_path("/Img/a.png", "/Img/a.png", ("docs", "/"), "docs/img/a.png"), "/img/a.png");
        assert_eq!(with_fragment("b.md#instal", "install"), "b.md#install");
        assert_eq!(with_fragment("#%E5%AE%89", "安装"), "#%E5%AE%89%E8%A3%85");
        assert_eq!(with_fragment("a%20b.md#升", "升级"), "a%20b.md#升级");
        assert_eq!(host_of("https://example.org:8080/a?b#c"), "example.org:8080");
    }

    #[test]
    fn published_pages_name_their_sources() {
        assert_eq!(source_of_page("src/ch01-02.html").as_deref(), Some("src/ch01-02.md"));
        assert_eq!(source_of_page("EIPS/eip-155").as_deref(), Some("EIPS/eip-155.md"));
        assert_eq!(source_of_page("img/a.png"), None);
    }
}
