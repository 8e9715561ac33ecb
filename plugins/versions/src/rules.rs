//! The marker lists that decide whether a mention is current, historical or
//! comparative. They are data: built in from `rules.toml`, extended by the
//! manifest's `[rules]` table.

use std::borrow::Cow;

use serde::Deserialize;

const BUILT_IN: &str = include_str!("rules.toml");

/// One set of marker lists (one language of `rules.toml`, or a manifest
/// extension). Every list is optional so an extension names only what it adds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lists {
    pub historical_before: Vec<String>,
    pub historical_after: Vec<String>,
    pub historical_around: Vec<[String; 2]>,
    pub floor_before: Vec<String>,
    pub floor_after: Vec<String>,
    pub ceiling_before: Vec<String>,
    pub ceiling_after: Vec<String>,
    pub compat_before: Vec<String>,
    pub compat_later: Vec<String>,
    pub compat_around: Vec<[String; 2]>,
    pub support_before: Vec<String>,
    pub range_between: Vec<String>,
    pub list_between: Vec<String>,
    pub fillers: Vec<String>,
    pub joiners: Vec<String>,
    pub prerelease: Vec<String>,
    pub connectors: Vec<String>,
    pub sentence_openers: Vec<String>,
    pub quantity_before: Vec<String>,
    pub quantity_after: Vec<String>,
    pub changelog_headings: Vec<String>,
    pub historical_headers: Vec<String>,
    pub version_headers: Vec<String>,
    pub output_info: Vec<String>,
    pub prompts: Vec<String>,
}

impl Lists {
    fn extend(&mut self, other: Lists) {
        let Lists {
            historical_before,
            historical_after,
            historical_around,
            floor_before,
            floor_after,
            ceiling_before,
            ceiling_after,
            compat_before,
            compat_later,
            compat_around,
            support_before,
            range_between,
            list_between,
            fillers,
            joiners,
            prerelease,
            connectors,
            sentence_openers,
            quantity_before,
            quantity_after,
            changelog_headings,
            historical_headers,
            version_headers,
            output_info,
            prompts,
        } = other;
        self.historical_before.extend(historical_before);
        self.historical_after.extend(historical_after);
        self.historical_around.extend(historical_around);
        self.floor_before.extend(floor_before);
        self.floor_after.extend(floor_after);
        self.ceiling_before.extend(ceiling_before);
        self.ceiling_after.extend(ceiling_after);
        self.compat_before.extend(compat_before);
        self.compat_later.extend(compat_later);
        self.compat_around.extend(compat_around);
        self.support_before.extend(support_before);
        self.range_between.extend(range_between);
        self.list_between.extend(list_between);
        self.fillers.extend(fillers);
        self.joiners.extend(joiners);
        self.prerelease.extend(prerelease);
        self.connectors.extend(connectors);
        self.sentence_openers.extend(sentence_openers);
        self.quantity_before.extend(quantity_before);
        self.quantity_after.extend(quantity_after);
        self.changelog_headings.extend(changelog_headings);
        self.historical_headers.extend(historical_headers);
        self.version_headers.extend(version_headers);
        self.output_info.extend(output_info);
        self.prompts.extend(prompts);
    }
}

/// The `[rules]` table of a manifest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesExtension {
    /// English markers that make a mention historical on either side.
    pub historical_en: Vec<String>,
    /// Chinese markers that make a mention historical on either side.
    pub historical_zh: Vec<String>,
    pub en: Lists,
    pub zh: Lists,
}

#[derive(Deserialize)]
struct BuiltIn {
    en: Lists,
    zh: Lists,
}

/// All markers in effect, every language merged: a Chinese sentence may use
/// English signs and the other way round.
#[derive(Debug, Clone)]
pub struct Rules(pub Lists);

impl Rules {
    /// The built-in rules extended by a manifest's `[rules]`.
    pub fn new(extension: RulesExtension) -> Rules {
        let built_in: BuiltIn = toml::from_str(BUILT_IN).expect("rules.toml is valid");
        let mut lists = built_in.en;
        lists.extend(built_in.zh);
        lists.extend(extension.en);
        lists.extend(extension.zh);
        for marker in extension.historical_en.into_iter().chain(extension.historical_zh) {
            lists.historical_before.push(marker.clone());
            lists.historical_after.push(marker);
        }
        Rules(lists)
    }
}

impl std::ops::Deref for Rules {
    type Target = Lists;
    fn deref(&self) -> &Lists {
        &self.0
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The marker of `markers` that `text` ends with (as a whole word where the
/// marker is a word), ignoring trailing whitespace.
pub fn ends_with<'m>(text: &str, markers: &'m [String]) -> Option<&'m str> {
    let text = text.trim_end();
    markers.iter().map(String::as_str).find(|m| {
        let Some(start) = text.len().checked_sub(m.len()) else { return false };
        if !text.is_char_boundary(start) || !text[start..].eq_ignore_ascii_case(m) {
            return false;
        }
        let needs_boundary = m.chars().next().is_some_and(is_word_char);
        !needs_boundary || !text[..start].chars().next_back().is_some_and(is_word_char)
    })
}

/// The marker of `markers` that `text` starts with (as a whole word where the
/// marker is a word), ignoring leading whitespace.
pub fn starts_with<'m>(text: &str, markers: &'m [String]) -> Option<&'m str> {
    let text = text.trim_start();
    markers.iter().map(String::as_str).find(|m| {
        if !text.is_char_boundary(m.len().min(text.len())) || text.len() < m.len() {
            return false;
        }
        if !text[..m.len()].eq_ignore_ascii_case(m) {
            return false;
        }
        let needs_boundary = m.chars().next_back().is_some_and(is_word_char);
        !needs_boundary || !text[m.len()..].chars().next().is_some_and(is_word_char)
    })
}

/// `text` without one trailing filler word, if it ends with one.
pub fn strip_filler_end<'t>(text: &'t str, fillers: &[String]) -> Option<&'t str> {
    ends_with(text, fillers).map(|f| &text.trim_end()[..text.trim_end().len() - f.len()])
}

/// `text` without one leading filler word, if it starts with one.
pub fn strip_filler_start<'t>(text: &'t str, fillers: &[String]) -> Option<&'t str> {
    starts_with(text, fillers).map(|f| &text.trim_start()[f.len()..])
}

/// Whether `text` contains one of `markers` as a whole word (for headings).
/// An empty marker never matches.
pub fn contains_word(text: &str, markers: &[String]) -> bool {
    if text.is_empty() {
        return false;
    }
    let lower = lowercase(text);
    markers.iter().filter(|m| !m.is_empty()).any(|m| {
        let m = lowercase(m);
        let whole_word = find_all(&lower, &m).any(|i| {
            let before_ok = !m.chars().next().is_some_and(is_word_char)
                || !lower[..i].chars().next_back().is_some_and(is_word_char);
            let after_ok = !m.chars().next_back().is_some_and(is_word_char)
                || !lower[i + m.len()..].chars().next().is_some_and(is_word_char);
            before_ok && after_ok
        });
        whole_word
    })
}

/// Byte offsets of every occurrence of `needle` in `hay`, overlapping ones
/// included. A plain scan: the texts searched are a heading or a few words,
/// where `str::match_indices`' set-up per needle costs more than it saves.
/// A match always starts on a character boundary, as `needle` starts with
/// one.
fn find_all<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let last = hay.len().checked_sub(needle.len());
    (0..last.map_or(0, |l| l + 1)).filter(move |&i| hay[i] == needle[0] && hay[i..].starts_with(needle))
}

/// `text` in lower case, borrowed when it already is (most markers are).
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return match text.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(text.to_ascii_lowercase()),
            false => Cow::Borrowed(text),
        };
    }
    let changes = |c: char| {
        // ASCII, and the CJK and Hangul blocks, which have no case, are
        // answered without the Unicode tables (most of the text searched).
        if c.is_ascii() || matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}') {
            return c.is_ascii_uppercase();
        }
        let mut lower = c.to_lowercase();
        lower.next() != Some(c) || lower.next().is_some()
    };
    if text.chars().any(changes) {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn word_markers_need_boundaries() {
        let m = list(&["since", "自"]);
        assert_eq!(ends_with("deprecated since ", &m), Some("since"));
        assert_eq!(ends_with("convince", &m), None);
        assert_eq!(ends_with("各自", &m), Some("自"));
        assert_eq!(starts_with(" and later.", &list(&["and later"])), Some("and later"));
        assert_eq!(starts_with("+ more", &list(&["+"])), Some("+"));
        assert_eq!(starts_with("origin", &list(&["or"])), None);
    }

    #[test]
    fn built_in_rules_load() {
        let rules = Rules::new(RulesExtension { historical_en: list(&["EOL since"]), ..Default::default() });
        assert!(rules.historical_before.iter().any(|m| m == "EOL since"));
        assert!(rules.floor_after.iter().any(|m| m == "及以上"));
    }

    #[test]
    fn heading_words() {
        let m = list(&["changelog", "发布说明"]);
        assert!(contains_word("## Changelog", &m));
        assert!(contains_word("Istio 1.20 发布说明", &m));
        assert!(!contains_word("Changelogs are nice", &m));
    }

    #[test]
    fn lower_case_and_search_agree_with_the_standard_library() {
        for text in ["Changelog", "changelog", "ÄNDERUNGEN 1.2", "Истории версий", "版本 发布说明", "Ǆ 한국어 ΣΑΣ", ""] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
        let found = |hay, needle| find_all(hay, needle).collect::<Vec<_>>();
        assert_eq!(found("aaa", "aa"), [0, 1]);
        assert_eq!(found("说明 说明", "说明"), [0, 7]);
        assert_eq!(found("ab", "abc"), Vec::<usize>::new());
        assert!(contains_word("Änderungen in 1.2", &list(&["änderungen"])));
        assert!(contains_word("ИСТОРИЯ ВЕРСИЙ", &list(&["история"])));
    }
}
