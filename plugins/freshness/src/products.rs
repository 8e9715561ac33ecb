//! Products and their versions in prose: "Kubernetes 1.30", "Istio v1.21",
//! and "latest version" claims ("the latest Istio 1.19", "Linkerd 的最新版本是
//! 2.14").
//!
//! A mention is a product name (or alias; whole word, ASCII case ignored)
//! with a dotted version right after it. It is the version in use
//! (*current*) unless a history marker stands right before the name
//! ("introduced in", "从", "vs") or a floor, range or transition marker
//! right after the version ("+", "or later", "及以上", "-1.30", "→").

use std::ops::Range;

use crate::rules::{Product, Rules, RELEASE_PAGES};
use crate::text::{ends_with_marker, find_marker, head, sentences, starts_with_marker, tail};

/// How far (in characters) a "latest" word may stand from the name, and
/// the version from the word.
const LATEST_WINDOW: usize = 12;
const VERSION_WINDOW: usize = 16;
/// Bytes a "latest" word may stand after a version (`is the `, `是`).
const CLAIM_GAP: usize = 8;

/// A product named with a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index into [`Rules::products`].
    pub product: usize,
    pub version: String,
    /// The name and version as written.
    pub range: Range<usize>,
    /// The version in use, not history, a floor or a range.
    pub current: bool,
}

/// A "latest version" claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    pub product: usize,
    pub version: String,
    /// The version as written.
    pub range: Range<usize>,
}

/// A dotted version at the start of `text` (`v` allowed): its length and
/// the number without the `v`.
fn version_at(text: &str) -> Option<(usize, &str)> {
    let skip = usize::from(text.starts_with(['v', 'V']));
    let bytes = text.as_bytes();
    let mut end = skip;
    let mut dots = 0;
    loop {
        let start = end;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return None;
        }
        if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 1;
            dots += 1;
        } else {
            break;
        }
    }
    let next = text[end..].chars().next();
    if dots == 0 || next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((end, &text[skip..end]))
}

/// Whether two versions say the same at the precision of the shorter one
/// (`1.30` and `1.30.2` agree; `1.28` and `1.30` do not).
pub fn agree(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.trim_start_matches(['v', 'V']).split('.').map(|p| p.parse().unwrap_or(u64::MAX)).collect() };
    let (a, b) = (parts(a), parts(b));
    a.iter().zip(&b).all(|(x, y)| x == y)
}

/// Where each product's names occur in `text`: (product, range), earliest
/// first, a longer name winning over a shorter one at the same place.
fn names(text: &str, products: &[Product]) -> Vec<(usize, Range<usize>)> {
    let mut found: Vec<(usize, Range<usize>)> = Vec::new();
    for (p, product) in products.iter().enumerate() {
        for name in &product.names {
            let mut from = 0;
            while let Some(at) = find_marker(&text[from..], name) {
                let start = from + at;
                found.push((p, start..start + name.len()));
                from = start + name.len();
            }
        }
    }
    found.sort_by_key(|(_, r)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<(usize, Range<usize>)> = Vec::new();
    for (p, range) in found {
        if kept.last().is_none_or(|(_, last)| range.start >= last.end) {
            kept.push((p, range));
        }
    }
    kept
}

/// The version right after a name (one space at most), with its range.
fn version_after(text: &str, name_end: usize) -> Option<(Range<usize>, String)> {
    let rest = &text[name_end..];
    let gap = if rest.starts_with(' ') || rest.starts_with('\u{a0}') { rest.chars().next()?.len_utf8() } else { 0 };
    let (len, number) = version_at(&rest[gap..])?;
    let start = name_end + gap;
    Some((start..start + len, number.to_string()))
}

/// Every product mention in `text`.
pub fn mentions(text: &str, rules: &Rules) -> Vec<Mention> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let s = &text[sentence.clone()];
        let release_page = RELEASE_PAGES.iter().any(|m| find_marker(s, m).is_some());
        for (product, name) in names(s, &rules.products) {
            let Some((version, number)) = version_after(s, name.end) else { continue };
            let before = &s[..name.start];
            // `1.28 版本以下` reads as `1.28 以下`.
            let after = &s[version.end..];
            let after = after.trim_start().strip_prefix("版本").or_else(|| after.trim_start().strip_prefix('版')).unwrap_or(after);
            let after_dash = after.strip_prefix(['-', '–']).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            let arrow_before = before.trim_end().ends_with('→');
            let history = !arrow_before
                && (release_page
                    || rules.history_before.iter().any(|m| ends_with_marker(before, m))
                    || rules.version_after.iter().any(|m| starts_with_marker(after, m))
                    || after_dash
                    || after.starts_with(".x"));
            out.push(Mention {
                product,
                version: number,
                range: sentence.start + name.start..sentence.start + version.end,
                current: !history,
            });
        }
    }
    out
}

/// "Latest version" claims in `text`: a latest word shortly before a
/// product mention ("the latest Istio 1.19"), or after the name and before
/// a version ("Linkerd 的最新版本是 2.14", "Istio's latest release is 1.19").
pub fn latest_claims(text: &str, rules: &Rules) -> Vec<Latest> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let s = &text[sentence.clone()];
        let said = |m: &String| find_marker(s, m).is_some();
        if !rules.latest.iter().any(said) {
            continue;
        }
        for (product, name) in names(s, &rules.products) {
            let near_before = tail(&s[..name.start], LATEST_WINDOW);
            if let Some((version, number)) = version_after(s, name.end) {
                // "the latest Istio 1.19", "Istio 1.19 is the latest".
                let near_after = head(&s[version.end..], CLAIM_GAP + LATEST_WINDOW);
                let after = rules.latest.iter().any(|m| find_marker(near_after, m).is_some_and(|at| at <= CLAIM_GAP));
                if after || rules.latest.iter().any(|m| find_marker(near_before, m).is_some()) {
                    out.push(Latest { product, version: number, range: sentence.start + version.start..sentence.start + version.end });
                }
                continue;
            }
            // "Linkerd 的最新版本是 2.14", "the latest Linkerd release, 2.14".
            let rest = &s[name.end..];
            let window = head(rest, LATEST_WINDOW);
            let word_after = rules.latest.iter().filter_map(|m| find_marker(window, m).map(|at| at + m.len())).min();
            let word_before = rules.latest.iter().any(|m| find_marker(near_before, m).is_some());
            let Some(word_end) = word_after.or(word_before.then_some(0)) else { continue };
            let search = head(&rest[word_end..], VERSION_WINDOW);
            let found = search.char_indices().find_map(|(i, c)| {
                let boundary = i == 0 || !search[..i].ends_with(|p: char| p.is_ascii_alphanumeric() || p == '.');
                (boundary && (c.is_ascii_digit() || c == 'v' || c == 'V')).then(|| version_at(&search[i..]).map(|v| (i, v))).flatten()
            });
            if let Some((i, (len, number))) = found {
                let start = sentence.start + name.end + word_end + i;
                out.push(Latest { product, version: number.to_string(), range: start..start + len });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        let manifest = "[[product]]\nname = \"Kubernetes\"\naliases = [\"K8s\"]\nversion = \"1.30\"\n\n\
                        [[product]]\nname = \"K3s\"\nversion = \"1.30\"\n\n\
                        [[product]]\nname = \"Linkerd\"\nversion = \"2.16\"\n\n\
                        [[product]]\nname = \"Kata Containers\"\naliases = [\"Kata\"]\nversion = \"3.0\"\n";
        Rules::load(None, Some(("v.toml", manifest))).unwrap()
    }

    fn shown(text: &str) -> Vec<(String, bool)> {
        mentions(text, &rules()).into_iter().map(|m| (text[m.range].to_string(), m.current)).collect()
    }

    #[test]
    fn mentions_in_use_and_in_history() {
        assert_eq!(shown("基于 Kubernetes 1.28 与 K3s v1.28 部署"), [("Kubernetes 1.28".into(), true), ("K3s v1.28".into(), true)]);
        assert_eq!(shown("从 Kubernetes 1.19 开始支持"), [("Kubernetes 1.19".into(), false)]);
        assert_eq!(shown("Requires Kubernetes 1.28 or later."), [("Kubernetes 1.28".into(), false)]);
        assert_eq!(shown("Kubernetes 1.26-1.28 are supported"), [("Kubernetes 1.26".into(), false)]);
        assert_eq!(shown("Kubernetes 1.26–1.28、K3s 1.28–"), [("Kubernetes 1.26".into(), false), ("K3s 1.28".into(), true)]);
        assert_eq!(shown("Kubernetes 1.28 introduced sidecars; K3s 1.28 首次内置"), [("Kubernetes 1.28".into(), false), ("K3s 1.28".into(), false)]);
        assert_eq!(shown("Kata Containers 2.5 and Kata 3.0"), [("Kata Containers 2.5".into(), true), ("Kata 3.0".into(), true)]);
        assert_eq!(shown("Kubernetes 3 个节点，K8s1.30"), Vec::<(String, bool)>::new());
        assert_eq!(shown("在 Kubernetes 1.28 前；K3s 1.28 版本以下"), [("Kubernetes 1.28".into(), false), ("K3s 1.28".into(), false)]);
        assert_eq!(shown("# Kubernetes 1.28 RC1 Release Notes"), [("Kubernetes 1.28".into(), false)]);
    }

    #[test]
    fn latest_claims_before_and_after_the_name() {
        let text = "Linkerd 的最新版本是 2.14。The latest Kubernetes 1.28 ships it. Kubernetes 1.29 shipped; nothing is latest. \
                    K3s 1.27 is the latest release. The latest Linkerd release, 2.15, is out.";
        let rules = rules();
        let claims: Vec<(&str, &str)> =
            latest_claims(text, &rules).into_iter().map(|c| (&text[c.range], rules.products[c.product].name.as_str())).collect();
        assert_eq!(claims, [("2.14", "Linkerd"), ("1.28", "Kubernetes"), ("1.27", "K3s"), ("2.15", "Linkerd")]);
    }

    #[test]
    fn versions_agree_at_the_shorter_precision() {
        assert!(agree("1.30", "1.30.2"));
        assert!(agree("v2.0", "2.0"));
        assert!(!agree("1.28", "1.30"));
        assert!(!agree("2025.10", "2025.11"));
    }
}
