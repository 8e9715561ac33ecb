//! The anchors a document offers (heading ids under a slug rule, explicit
//! `{#id}`s, HTML `id`/`name` attributes) and the nearest one to a fragment
//! that matches none.

use std::collections::HashSet;

use crate::slug::{SlugRule, Slugger};

/// Every anchor of one document.
#[derive(Debug, Default)]
pub struct Anchors {
    /// In document order: headings first, then HTML anchors.
    ids: Vec<String>,
    set: HashSet<String>,
}

impl Anchors {
    /// Anchors of headings ((text, explicit id) in order) and HTML ids.
    pub fn new(rule: SlugRule, headings: &[(String, Option<String>)], html: &[String]) -> Anchors {
        let mut slugger = Slugger::new(rule);
        let mut anchors = Anchors::default();
        for (text, explicit) in headings {
            anchors.add(slugger.next(text, explicit.as_deref()));
        }
        for id in html {
            anchors.add(id.clone());
        }
        anchors
    }

    fn add(&mut self, id: String) {
        if self.set.insert(id.clone()) {
            self.ids.push(id);
        }
    }

    /// Whether `fragment` lands on an anchor. `top` (and the empty
    /// fragment) always do: browsers scroll to the top for them.
    pub fn contains(&self, fragment: &str) -> bool {
        fragment.is_empty() || self.set.contains(fragment) || fragment.eq_ignore_ascii_case("top")
    }

    /// The anchor that equals `fragment` but for case.
    pub fn in_other_case(&self, fragment: &str) -> Option<&str> {
        let folded = fragment.to_lowercase();
        self.ids.iter().find(|id| id.to_lowercase() == folded).map(String::as_str)
    }

    /// The one anchor clearly closest to `fragment` (a heading renamed a
    /// little): similar enough, and no other as similar.
    pub fn closest(&self, fragment: &str) -> Option<&str> {
        closest(fragment, self.ids.iter().map(String::as_str))
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The candidate most similar to `wanted` when it is similar enough (at
/// least 0.6) and clearly ahead of the next one.
pub fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates.map(|c| (similarity(wanted, c), c)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(best, id), rest @ ..] if *best >= 0.6 && rest.first().is_none_or(|(next, _)| best - next >= 0.1) => Some(id),
        _ => None,
    }
}

/// 1 minus the edit distance over the longer length, in characters.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    1.0 - row[b.len()] as f64 / longest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(items: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        items.iter().map(|(t, id)| (t.to_string(), id.map(str::to_string))).collect()
    }

    #[test]
    fn headings_explicit_ids_and_html() {
        let a = Anchors::new(
            SlugRule::GitHub,
            &headings(&[("版本信息更新报告", None), ("版本信息更新报告", None), ("Setup", Some("install"))]),
            &["legacy".to_string()],
        );
        assert!(a.contains("版本信息更新报告") && a.contains("版本信息更新报告-1"));
        assert!(a.contains("install") && a.contains("legacy") && a.contains("top") && a.contains(""));
        assert!(!a.contains("setup"));
        assert_eq!(a.in_other_case("Install"), Some("install"));
    }

    #[test]
    fn the_closest_anchor_must_be_clearly_closest() {
        let ids = ["installing-on-linux", "installing-on-macos", "configuration"];
        assert_eq!(closest("configuraton", ids.into_iter()), Some("configuration"));
        // Two near-equal candidates: no guess.
        assert_eq!(closest("installing-on-linu", ids.into_iter()), Some("installing-on-linux"));
        assert_eq!(closest("installing-on", ids.into_iter()), None);
        assert_eq!(closest("usage", ids.into_iter()), None);
    }
}
