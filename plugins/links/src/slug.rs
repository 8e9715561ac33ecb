//! Heading slugs: the anchor id each renderer gives a heading, so that a
//! `#fragment` link can be resolved the way the published page resolves it.
//!
//! Every rule takes the heading's *rendered plain text*: markup removed,
//! entities decoded, inline code content included, soft line breaks given
//! as a space. The rules follow the renderers' own code, not their
//! documentation; each function below names the file it follows:
//!
//! | rule | renderer (version read) | follows |
//! | --- | --- | --- |
//! | [`SlugRule::GitHub`] | `github-slugger` 2.0.0 (GitHub's own code is not public) | `index.js`, `script/generate-regex.js` |
//! | [`SlugRule::GitLab`] | GitLab 17.0 and later: comrak's header ids through `gitlab-glfm-markdown` | comrak `src/html/anchorizer.rs` |
//! | [`SlugRule::MdBook04`] | mdBook 0.4.52 | `src/utils/mod.rs`, `src/renderer/html_handlebars/hbs_renderer.rs` |
//! | [`SlugRule::MdBook05`] | mdBook 0.5.4 | `crates/mdbook-html/src/utils.rs`, `crates/mdbook-html/src/html/tree.rs` |
//! | [`SlugRule::Pandoc`] | pandoc 3.9, `auto_identifiers` | `src/Text/Pandoc/Shared.hs`, `src/Text/Pandoc/Parsing/General.hs` |
//!
//! Unicode data: the GitHub rule carries the Unicode 13.0 table that
//! github-slugger's regex was generated from (`GITHUB_KEEP`, below);
//! general categories elsewhere come from the `unicode-general-category`
//! crate (Unicode 16.0), case mappings and `char` predicates from `std`.
//! The renderers' own Unicode versions differ a little from these, which
//! only matters for characters assigned in the newest versions.

use std::collections::{HashMap, HashSet};

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// A renderer's rule for turning heading text into an anchor id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugRule {
    /// GitHub, as reproduced by `github-slugger`: lower-case; drop
    /// punctuation, symbols, separators other than the space, control,
    /// format, private-use and unassigned characters (Unicode 13.0) unless
    /// alphabetic; each space becomes `-`.
    GitHub,
    /// GitLab 17.0 and later (comrak's anchorizer): lower-case; keep
    /// letters, marks, numbers, connector punctuation, spaces and `-`; each
    /// space becomes `-`. Runs of hyphens are kept (GitLab 16 and earlier
    /// squeezed them and prefixed digit-only ids with `anchor-`).
    GitLab,
    /// mdBook 0.4: drop `<`, `>`, `&`; trim; drop a leading run of `#`;
    /// keep alphanumerics, `_` and `-` with ASCII-only lower-casing; each
    /// whitespace character becomes `-`.
    MdBook04,
    /// mdBook 0.5: trim; full Unicode lower-casing; keep alphanumerics, `_`
    /// and `-`; each whitespace character becomes `-`.
    MdBook05,
    /// pandoc's `auto_identifiers`: lower-case; keep letters, numbers, `_`,
    /// `-`, `.`; whitespace runs become one `-`; drop everything before the
    /// first letter; nothing left gives `section`.
    Pandoc,
}

/// The option values [`SlugRule::parse`] accepts, for messages.
const RULE_NAMES: &str = "github, gitlab, mdbook, mdbook-0.4, mdbook-0.5, pandoc";

impl SlugRule {
    /// Parse an option value: "github", "gitlab", "mdbook" (= the newest,
    /// 0.5), "mdbook-0.4", "mdbook-0.5", "pandoc"; Err names the accepted
    /// values.
    pub fn parse(name: &str) -> Result<SlugRule, String> {
        match name {
            "github" => Ok(SlugRule::GitHub),
            "gitlab" => Ok(SlugRule::GitLab),
            "mdbook" | "mdbook-0.5" => Ok(SlugRule::MdBook05),
            "mdbook-0.4" => Ok(SlugRule::MdBook04),
            "pandoc" => Ok(SlugRule::Pandoc),
            _ => Err(format!(
                "unknown slug rule `{name}`: expected one of {RULE_NAMES}"
            )),
        }
    }

    /// The slug of one heading's text, before de-duplication.
    pub fn slug(self, text: &str) -> String {
        match self {
            SlugRule::GitHub => github(text),
            SlugRule::GitLab => gitlab(text),
            SlugRule::MdBook04 => mdbook04(text),
            SlugRule::MdBook05 => mdbook05(text),
            SlugRule::Pandoc => pandoc(text),
        }
    }
}

// github-slugger 2.0.0, `index.js` (`slug`): `value.toLowerCase()`, then
// `.replace(regex, '')` with the regex of `regex.js`, then `/ /g` → `-`.
// `script/generate-regex.js` builds that regex from Unicode 13.0.0: the
// general categories Other_Number, all punctuation but Connector
// (Close, Final, Initial, Open, Other, Dash), Symbol, Control, Private_Use,
// Format, Unassigned and Separator, minus the Alphabetic property, minus
// ` ` and `-`. [`GITHUB_KEEP`] is the complement of that set.
fn github(text: &str) -> String {
    // `toLowerCase` is full, context-sensitive lower-casing (final sigma
    // included), as `str::to_lowercase` is.
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == ' ' {
            out.push('-');
        } else if github_keeps(c) {
            out.push(c);
        }
    }
    out
}

/// Whether github-slugger keeps `c` (after lower-casing).
fn github_keeps(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ' ';
    }
    GITHUB_KEEP
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

// comrak `src/html/anchorizer.rs` (`Anchorizer::anchorize`), which GitLab
// calls through `gitlab-glfm-markdown` (gitlab `lib/banzai/filter/
// markdown_engines/glfm_markdown.rs`, option `header_ids`) since 17.0:
// `header.to_lowercase()`, keep `' '`, `'-'`, letters, marks, numbers and
// connector punctuation, then each `' '` → `'-'`. Nothing is trimmed or
// squeezed. (The legacy Ruby path, `lib/gitlab/utils/markdown.rb`
// `string_to_anchor`, also squeezed `-` runs and turned a digits-only id
// into `anchor-N`; GitLab 17.0 dropped that, see its docs' example
// `this-heading-has--multiple-spaces-and-----hyphens`.)
fn gitlab(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|&c| c == ' ' || c == '-' || gitlab_keeps(c))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn gitlab_keeps(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
            | Gc::NonspacingMark
            | Gc::SpacingMark
            | Gc::EnclosingMark
            | Gc::DecimalNumber
            | Gc::LetterNumber
            | Gc::OtherNumber
            | Gc::ConnectorPunctuation
    )
}

// mdBook 0.4.52 `src/utils/mod.rs`: `unique_id_from_content` →
// `id_from_content`, which gets the heading's HTML (from
// `src/renderer/html_handlebars/hbs_renderer.rs`, `build_header_links`),
// strips tags, deletes the escapes `&lt;` `&gt;` `&amp;` `&#39;` `&quot;`
// outright, trims, trims a leading run of `#`, trims again, and calls
// `normalize_id`: alphanumerics, `_`, `-` kept and ASCII-lower-cased (so
// `Ü` stays `Ü`), whitespace → `-`, the rest dropped. pulldown-cmark 0.10
// (`escape_html_body_text`) escapes only `<`, `>` and `&` in heading text,
// so on plain text exactly those three characters go before the trimming
// (`"` and `'` stay until `normalize_id` drops them: `Foo "` → `foo-`).
// Not modelled: `build_header_links` matches `<h1>…</h1>` with a regex whose
// `.` stops at a newline, so a heading with a soft break gets no id at all.
fn mdbook04(text: &str) -> String {
    let unescaped: String = text
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&'))
        .collect();
    let trimmed = unescaped.trim().trim_start_matches('#').trim();
    trimmed
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch.to_ascii_lowercase())
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

// mdBook 0.5.4 `crates/mdbook-html/src/utils.rs` (`id_from_content`), fed
// the text nodes of the heading (`crates/mdbook-html/src/html/tree.rs`,
// `add_header_links` and `text_in_node`): trim, `to_lowercase`, keep
// alphanumerics, `_`, `-`, whitespace → `-`, drop the rest. An empty
// result stays empty (mdBook's main branch, unreleased after 0.5.4, falls
// back to `section`).
fn mdbook05(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

// pandoc `src/Text/Pandoc/Shared.hs`: `uniqueIdent` takes
// `inlineListToIdentifier` (`stringify`, then `textToIdentifier` without
// the `gfm_auto_identifiers` and `ascii_identifiers` extensions):
// `T.toLower`, keep `isSpace`, `isAlphaNum`, `_`, `-`, `.`; `T.words` and
// join with `-`; `T.dropWhile (not . isAlpha)`; an empty result becomes
// `section`. `T.toLower` maps each character on its own (no final sigma).
fn pandoc(text: &str) -> String {
    let kept: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| hs_is_space(c) || hs_is_alnum(c) || matches!(c, '_' | '-' | '.'))
        .collect();
    let joined = kept
        .split(hs_is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let id = joined.trim_start_matches(|c: char| !hs_is_alpha(c));
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

/// GHC's `Data.Char.isSpace`: the Latin-1 spaces (tab, LF, VT, FF, CR,
/// space, no-break space), and above U+0377 the Space_Separator category
/// (not U+0085, U+2028, U+2029).
fn hs_is_space(c: char) -> bool {
    let cp = c as u32;
    if cp <= 0x377 {
        cp == 0x20 || (0x09..=0x0d).contains(&cp) || cp == 0xa0
    } else {
        get_general_category(c) == Gc::SpaceSeparator
    }
}

/// GHC's `Data.Char.isAlpha`: the letter categories (not marks).
fn hs_is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// GHC's `Data.Char.isAlphaNum`: the letter and number categories (not
/// marks: pandoc turns `हिन्दी` into `हनद`).
fn hs_is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    hs_is_alpha(c)
        || matches!(
            get_general_category(c),
            Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber
        )
}

/// Ids of a document's headings in order, de-duplicated the way the
/// renderer does it.
///
/// * GitHub (github-slugger `index.js`, `BananaSlug.slug`): a taken slug
///   `x` gets `x-1`, `x-2`, … counted per base slug, skipping ids already
///   taken (`echo`, `echo`, `echo 1`, `echo-1`, `echo` → `echo`, `echo-1`,
///   `echo-1-1`, `echo-1-2`, `echo-2`).
/// * GitLab (comrak `Anchorizer::anchorize`): the first of `x`, `x-1`,
///   `x-2`, … not yet taken.
/// * mdBook 0.5 (`crates/mdbook-html/src/utils.rs`, `unique_id`): the
///   same.
/// * mdBook 0.4 (`src/utils/mod.rs`, `unique_id_from_content`): a counter
///   per base id only, so `x`, `x`, `x-1` give `x`, `x-1`, `x-1`: the
///   collision mdBook 0.5 fixed is reproduced.
/// * pandoc (`uniqueIdent`): the first of `x-1` … `x-60000` not taken
///   (past that, `x` again).
///
/// An explicit id (`Some(id)`, e.g. from `{#id}`) is returned as-is. Under
/// pandoc, GitHub and GitLab it also reserves the id, so a later heading
/// whose slug is the same moves on to a suffix; pandoc does so in
/// `registerHeader` (`src/Text/Pandoc/Parsing/General.hs`), and GitHub and
/// GitLab have no explicit heading ids of their own, so reserving is this
/// checker's choice there. mdBook (0.4 `insert_link_into_header`, 0.5
/// `add_header_links`) does not record explicit ids, so under the mdBook
/// rules they reserve nothing and a later heading can get the same id.
#[derive(Debug, Clone)]
pub struct Slugger {
    rule: SlugRule,
    /// Ids handed out or reserved (GitHub: with the count of suffixes
    /// tried for that base, as github-slugger's `occurrences`; mdBook 0.4:
    /// the per-base counter).
    counts: HashMap<String, usize>,
    /// Ids handed out or reserved (GitLab, mdBook 0.5, pandoc).
    used: HashSet<String>,
}

impl Slugger {
    /// A slugger for one document under `rule`.
    pub fn new(rule: SlugRule) -> Self {
        Slugger {
            rule,
            counts: HashMap::new(),
            used: HashSet::new(),
        }
    }

    /// The id of the next heading, whose plain text is `text` and whose
    /// explicit id, if it has one, is `explicit`.
    pub fn next(&mut self, text: &str, explicit: Option<&str>) -> String {
        if let Some(id) = explicit {
            self.reserve(id);
            return id.to_string();
        }
        let base = self.rule.slug(text);
        match self.rule {
            SlugRule::GitHub => {
                // `while (own.call(occurrences, result)) {
                //    occurrences[originalSlug]++;
                //    result = originalSlug + '-' + occurrences[originalSlug] }
                //  occurrences[result] = 0`
                let mut result = base.clone();
                while self.counts.contains_key(&result) {
                    let n = self.counts.get_mut(&base).expect("base slug was counted");
                    *n += 1;
                    result = format!("{base}-{n}");
                }
                self.counts.insert(result.clone(), 0);
                result
            }
            SlugRule::GitLab | SlugRule::MdBook05 => {
                let mut result = base.clone();
                let mut n = 0usize;
                while self.used.contains(&result) {
                    n += 1;
                    result = format!("{base}-{n}");
                }
                self.used.insert(result.clone());
                result
            }
            SlugRule::MdBook04 => {
                let n = self.counts.entry(base.clone()).or_insert(0);
                let result = if *n == 0 { base } else { format!("{base}-{n}") };
                *n += 1;
                result
            }
            SlugRule::Pandoc => {
                let result = if self.used.contains(&base) {
                    (1..=60000)
                        .map(|n| format!("{base}-{n}"))
                        .find(|id| !self.used.contains(id))
                        .unwrap_or(base)
                } else {
                    base
                };
                self.used.insert(result.clone());
                result
            }
        }
    }

    /// Record an explicit id where the renderer records it.
    fn reserve(&mut self, id: &str) {
        match self.rule {
            SlugRule::GitHub => {
                self.counts.entry(id.to_string()).or_insert(0);
            }
            SlugRule::GitLab | SlugRule::Pandoc => {
                self.used.insert(id.to_string());
            }
            SlugRule::MdBook04 | SlugRule::MdBook05 => {}
        }
    }
}

/// The characters github-slugger 2.0.0 keeps, as inclusive code point
/// ranges: the complement (surrogates aside) of the set its
/// `script/generate-regex.js` removes, computed from the Unicode 13.0.0
/// character database (General_Category and the Alphabetic property).
#[rustfmt::skip]
static GITHUB_KEEP: &[(u32, u32)] = &[
    (0x0020, 0x0020), (0x002D, 0x002D), (0x0030, 0x0039), (0x0041, 0x005A), (0x005F, 0x005F),
    (0x0061, 0x007A), (0x00AA, 0x00AA), (0x00B5, 0x00B5), (0x00BA, 0x00BA), (0x00C0, 0x00D6),
    (0x00D8, 0x00F6), (0x00F8, 0x02C1), (0x02C6, 0x02D1), (0x02E0, 0x02E4), (0x02EC, 0x02EC),
    (0x02EE, 0x02EE), (0x0300, 0x0374), (0x0376, 0x0377), (0x037A, 0x037D), (0x037F, 0x037F),
    (0x0386, 0x0386), (0x0388, 0x038A), (0x038C, 0x038C), (0x038E, 0x03A1), (0x03A3, 0x03F5),
    (0x03F7, 0x0481), (0x0483, 0x052F), (0x0531, 0x0556), (0x0559, 0x0559), (0x0560, 0x0588),
    (0x0591, 0x05BD), (0x05BF, 0x05BF), (0x05C1, 0x05C2), (0x05C4, 0x05C5), (0x05C7, 0x05C7),
    (0x05D0, 0x05EA), (0x05EF, 0x05F2), (0x0610, 0x061A), (0x0620, 0x0669), (0x066E, 0x06D3),
    (0x06D5, 0x06DC), (0x06DF, 0x06E8), (0x06EA, 0x06FC), (0x06FF, 0x06FF), (0x0710, 0x074A),
    (0x074D, 0x07B1), (0x07C0, 0x07F5), (0x07FA, 0x07FA), (0x07FD, 0x07FD), (0x0800, 0x082D),
    (0x0840, 0x085B), (0x0860, 0x086A), (0x08A0, 0x08B4), (0x08B6, 0x08C7), (0x08D3, 0x08E1),
    (0x08E3, 0x0963), (0x0966, 0x096F), (0x0971, 0x0983), (0x0985, 0x098C), (0x098F, 0x0990),
    (0x0993, 0x09A8), (0x09AA, 0x09B0), (0x09B2, 0x09B2), (0x09B6, 0x09B9), (0x09BC, 0x09C4),
    (0x09C7, 0x09C8), (0x09CB, 0x09CE), (0x09D7, 0x09D7), (0x09DC, 0x09DD), (0x09DF, 0x09E3),
    (0x09E6, 0x09F1), (0x09FC, 0x09FC), (0x09FE, 0x09FE), (0x0A01, 0x0A03), (0x0A05, 0x0A0A),
    (0x0A0F, 0x0A10), (0x0A13, 0x0A28), (0x0A2A, 0x0A30), (0x0A32, 0x0A33), (0x0A35, 0x0A36),
    (0x0A38, 0x0A39), (0x0A3C, 0x0A3C), (0x0A3E, 0x0A42), (0x0A47, 0x0A48), (0x0A4B, 0x0A4D),
    (0x0A51, 0x0A51), (0x0A59, 0x0A5C), (0x0A5E, 0x0A5E), (0x0A66, 0x0A75), (0x0A81, 0x0A83),
    (0x0A85, 0x0A8D), (0x0A8F, 0x0A91), (0x0A93, 0x0AA8), (0x0AAA, 0x0AB0), (0x0AB2, 0x0AB3),
    (0x0AB5, 0x0AB9), (0x0ABC, 0x0AC5), (0x0AC7, 0x0AC9), (0x0ACB, 0x0ACD), (0x0AD0, 0x0AD0),
    (0x0AE0, 0x0AE3), (0x0AE6, 0x0AEF), (0x0AF9, 0x0AFF), (0x0B01, 0x0B03), (0x0B05, 0x0B0C),
    (0x0B0F, 0x0B10), (0x0B13, 0x0B28), (0x0B2A, 0x0B30), (0x0B32, 0x0B33), (0x0B35, 0x0B39),
    (0x0B3C, 0x0B44), (0x0B47, 0x0B48), (0x0B4B, 0x0B4D), (0x0B55, 0x0B57), (0x0B5C, 0x0B5D),
    (0x0B5F, 0x0B63), (0x0B66, 0x0B6F), (0x0B71, 0x0B71), (0x0B82, 0x0B83), (0x0B85, 0x0B8A),
    (0x0B8E, 0x0B90), (0x0B92, 0x0B95), (0x0B99, 0x0B9A), (0x0B9C, 0x0B9C), (0x0B9E, 0x0B9F),
    (0x0BA3, 0x0BA4), (0x0BA8, 0x0BAA), (0x0BAE, 0x0BB9), (0x0BBE, 0x0BC2), (0x0BC6, 0x0BC8),
    (0x0BCA, 0x0BCD), (0x0BD0, 0x0BD0), (0x0BD7, 0x0BD7), (0x0BE6, 0x0BEF), (0x0C00, 0x0C0C),
    (0x0C0E, 0x0C10), (0x0C12, 0x0C28), (0x0C2A, 0x0C39), (0x0C3D, 0x0C44), (0x0C46, 0x0C48),
    (0x0C4A, 0x0C4D), (0x0C55, 0x0C56), (0x0C58, 0x0C5A), (0x0C60, 0x0C63), (0x0C66, 0x0C6F),
    (0x0C80, 0x0C83), (0x0C85, 0x0C8C), (0x0C8E, 0x0C90), (0x0C92, 0x0CA8), (0x0CAA, 0x0CB3),
    (0x0CB5, 0x0CB9), (0x0CBC, 0x0CC4), (0x0CC6, 0x0CC8), (0x0CCA, 0x0CCD), (0x0CD5, 0x0CD6),
    (0x0CDE, 0x0CDE), (0x0CE0, 0x0CE3), (0x0CE6, 0x0CEF), (0x0CF1, 0x0CF2), (0x0D00, 0x0D0C),
    (0x0D0E, 0x0D10), (0x0D12, 0x0D44), (0x0D46, 0x0D48), (0x0D4A, 0x0D4E), (0x0D54, 0x0D57),
    (0x0D5F, 0x0D63), (0x0D66, 0x0D6F), (0x0D7A, 0x0D7F), (0x0D81, 0x0D83), (0x0D85, 0x0D96),
    (0x0D9A, 0x0DB1), (0x0DB3, 0x0DBB), (0x0DBD, 0x0DBD), (0x0DC0, 0x0DC6), (0x0DCA, 0x0DCA),
    (0x0DCF, 0x0DD4), (0x0DD6, 0x0DD6), (0x0DD8, 0x0DDF), (0x0DE6, 0x0DEF), (0x0DF2, 0x0DF3),
    (0x0E01, 0x0E3A), (0x0E40, 0x0E4E), (0x0E50, 0x0E59), (0x0E81, 0x0E82), (0x0E84, 0x0E84),
    (0x0E86, 0x0E8A), (0x0E8C, 0x0EA3), (0x0EA5, 0x0EA5), (0x0EA7, 0x0EBD), (0x0EC0, 0x0EC4),
    (0x0EC6, 0x0EC6), (0x0EC8, 0x0ECD), (0x0ED0, 0x0ED9), (0x0EDC, 0x0EDF), (0x0F00, 0x0F00),
    (0x0F18, 0x0F19), (0x0F20, 0x0F29), (0x0F35, 0x0F35), (0x0F37, 0x0F37), (0x0F39, 0x0F39),
    (0x0F3E, 0x0F47), (0x0F49, 0x0F6C), (0x0F71, 0x0F84), (0x0F86, 0x0F97), (0x0F99, 0x0FBC),
    (0x0FC6, 0x0FC6), (0x1000, 0x1049), (0x1050, 0x109D), (0x10A0, 0x10C5), (0x10C7, 0x10C7),
    (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x1248), (0x124A, 0x124D), (0x1250, 0x1256),
    (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1288), (0x128A, 0x128D), (0x1290, 0x12B0),
    (0x12B2, 0x12B5), (0x12B8, 0x12BE), (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6),
    (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A), (0x135D, 0x135F), (0x1380, 0x138F),
    (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1401, 0x166C), (0x166F, 0x167F), (0x1681, 0x169A),
    (0x16A0, 0x16EA), (0x16EE, 0x16F8), (0x1700, 0x170C), (0x170E, 0x1714), (0x1720, 0x1734),
    (0x1740, 0x1753), (0x1760, 0x176C), (0x176E, 0x1770), (0x1772, 0x1773), (0x1780, 0x17D3),
    (0x17D7, 0x17D7), (0x17DC, 0x17DD), (0x17E0, 0x17E9), (0x180B, 0x180D), (0x1810, 0x1819),
    (0x1820, 0x1878), (0x1880, 0x18AA), (0x18B0, 0x18F5), (0x1900, 0x191E), (0x1920, 0x192B),
    (0x1930, 0x193B), (0x1946, 0x196D), (0x1970, 0x1974), (0x1980, 0x19AB), (0x19B0, 0x19C9),
    (0x19D0, 0x19D9), (0x1A00, 0x1A1B), (0x1A20, 0x1A5E), (0x1A60, 0x1A7C), (0x1A7F, 0x1A89),
    (0x1A90, 0x1A99), (0x1AA7, 0x1AA7), (0x1AB0, 0x1AC0), (0x1B00, 0x1B4B), (0x1B50, 0x1B59),
    (0x1B6B, 0x1B73), (0x1B80, 0x1BF3), (0x1C00, 0x1C37), (0x1C40, 0x1C49), (0x1C4D, 0x1C7D),
    (0x1C80, 0x1C88), (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF), (0x1CD0, 0x1CD2), (0x1CD4, 0x1CFA),
    (0x1D00, 0x1DF9), (0x1DFB, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D),
    (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC),
    (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC),
    (0x203F, 0x2040), (0x2054, 0x2054), (0x2071, 0x2071), (0x207F, 0x207F), (0x2090, 0x209C),
    (0x20D0, 0x20F0), (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115),
    (0x2119, 0x211D), (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D),
    (0x212F, 0x2139), (0x213C, 0x213F), (0x2145, 0x2149), (0x214E, 0x214E), (0x2160, 0x2188),
    (0x24B6, 0x24E9), (0x2C00, 0x2C2E), (0x2C30, 0x2C5E), (0x2C60, 0x2CE4), (0x2CEB, 0x2CF3),
    (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D), (0x2D30, 0x2D67), (0x2D6F, 0x2D6F),
    (0x2D7F, 0x2D96), (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE), (0x2DB0, 0x2DB6), (0x2DB8, 0x2DBE),
    (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE), (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE), (0x2DE0, 0x2DFF),
    (0x2E2F, 0x2E2F), (0x3005, 0x3007), (0x3021, 0x302F), (0x3031, 0x3035), (0x3038, 0x303C),
    (0x3041, 0x3096), (0x3099, 0x309A), (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF),
    (0x3105, 0x312F), (0x3131, 0x318E), (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFC), (0xA000, 0xA48C), (0xA4D0, 0xA4FD), (0xA500, 0xA60C), (0xA610, 0xA62B),
    (0xA640, 0xA672), (0xA674, 0xA67D), (0xA67F, 0xA6F1), (0xA717, 0xA71F), (0xA722, 0xA788),
    (0xA78B, 0xA7BF), (0xA7C2, 0xA7CA), (0xA7F5, 0xA827), (0xA82C, 0xA82C), (0xA840, 0xA873),
    (0xA880, 0xA8C5), (0xA8D0, 0xA8D9), (0xA8E0, 0xA8F7), (0xA8FB, 0xA8FB), (0xA8FD, 0xA92D),
    (0xA930, 0xA953), (0xA960, 0xA97C), (0xA980, 0xA9C0), (0xA9CF, 0xA9D9), (0xA9E0, 0xA9FE),
    (0xAA00, 0xAA36), (0xAA40, 0xAA4D), (0xAA50, 0xAA59), (0xAA60, 0xAA76), (0xAA7A, 0xAAC2),
    (0xAADB, 0xAADD), (0xAAE0, 0xAAEF), (0xAAF2, 0xAAF6), (0xAB01, 0xAB06), (0xAB09, 0xAB0E),
    (0xAB11, 0xAB16), (0xAB20, 0xAB26), (0xAB28, 0xAB2E), (0xAB30, 0xAB5A), (0xAB5C, 0xAB69),
    (0xAB70, 0xABEA), (0xABEC, 0xABED), (0xABF0, 0xABF9), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6),
    (0xD7CB, 0xD7FB), (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17),
    (0xFB1D, 0xFB28), (0xFB2A, 0xFB36), (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41),
    (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F), (0xFD92, 0xFDC7),
    (0xFDF0, 0xFDFB), (0xFE00, 0xFE0F), (0xFE20, 0xFE2F), (0xFE33, 0xFE34), (0xFE4D, 0xFE4F),
    (0xFE70, 0xFE74), (0xFE76, 0xFEFC), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF3F, 0xFF3F),
    (0xFF41, 0xFF5A), (0xFF66, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7),
    (0xFFDA, 0xFFDC), (0x10000, 0x1000B), (0x1000D, 0x10026), (0x10028, 0x1003A),
    (0x1003C, 0x1003D), (0x1003F, 0x1004D), (0x10050, 0x1005D), (0x10080, 0x100FA),
    (0x10140, 0x10174), (0x101FD, 0x101FD), (0x10280, 0x1029C), (0x102A0, 0x102D0),
    (0x102E0, 0x102E0), (0x10300, 0x1031F), (0x1032D, 0x1034A), (0x10350, 0x1037A),
    (0x10380, 0x1039D), (0x103A0, 0x103C3), (0x103C8, 0x103CF), (0x103D1, 0x103D5),
    (0x10400, 0x1049D), (0x104A0, 0x104A9), (0x104B0, 0x104D3), (0x104D8, 0x104FB),
    (0x10500, 0x10527), (0x10530, 0x10563), (0x10600, 0x10736), (0x10740, 0x10755),
    (0x10760, 0x10767), (0x10800, 0x10805), (0x10808, 0x10808), (0x1080A, 0x10835),
    (0x10837, 0x10838), (0x1083C, 0x1083C), (0x1083F, 0x10855), (0x10860, 0x10876),
    (0x10880, 0x1089E), (0x108E0, 0x108F2), (0x108F4, 0x108F5), (0x10900, 0x10915),
    (0x10920, 0x10939), (0x10980, 0x109B7), (0x109BE, 0x109BF), (0x10A00, 0x10A03),
    (0x10A05, 0x10A06), (0x10A0C, 0x10A13), (0x10A15, 0x10A17), (0x10A19, 0x10A35),
    (0x10A38, 0x10A3A), (0x10A3F, 0x10A3F), (0x10A60, 0x10A7C), (0x10A80, 0x10A9C),
    (0x10AC0, 0x10AC7), (0x10AC9, 0x10AE6), (0x10B00, 0x10B35), (0x10B40, 0x10B55),
    (0x10B60, 0x10B72), (0x10B80, 0x10B91), (0x10C00, 0x10C48), (0x10C80, 0x10CB2),
    (0x10CC0, 0x10CF2), (0x10D00, 0x10D27), (0x10D30, 0x10D39), (0x10E80, 0x10EA9),
    (0x10EAB, 0x10EAC), (0x10EB0, 0x10EB1), (0x10F00, 0x10F1C), (0x10F27, 0x10F27),
    (0x10F30, 0x10F50), (0x10FB0, 0x10FC4), (0x10FE0, 0x10FF6), (0x11000, 0x11046),
    (0x11066, 0x1106F), (0x1107F, 0x110BA), (0x110D0, 0x110E8), (0x110F0, 0x110F9),
    (0x11100, 0x11134), (0x11136, 0x1113F), (0x11144, 0x11147), (0x11150, 0x11173),
    (0x11176, 0x11176), (0x11180, 0x111C4), (0x111C9, 0x111CC), (0x111CE, 0x111DA),
    (0x111DC, 0x111DC), (0x11200, 0x11211), (0x11213, 0x11237), (0x1123E, 0x1123E),
    (0x11280, 0x11286), (0x11288, 0x11288), (0x1128A, 0x1128D), (0x1128F, 0x1129D),
    (0x1129F, 0x112A8), (0x112B0, 0x112EA), (0x112F0, 0x112F9), (0x11300, 0x11303),
    (0x11305, 0x1130C), (0x1130F, 0x11310), (0x11313, 0x11328), (0x1132A, 0x11330),
    (0x11332, 0x11333), (0x11335, 0x11339), (0x1133B, 0x11344), (0x11347, 0x11348),
    (0x1134B, 0x1134D), (0x11350, 0x11350), (0x11357, 0x11357), (0x1135D, 0x11363),
    (0x11366, 0x1136C), (0x11370, 0x11374), (0x11400, 0x1144A), (0x11450, 0x11459),
    (0x1145E, 0x11461), (0x11480, 0x114C5), (0x114C7, 0x114C7), (0x114D0, 0x114D9),
    (0x11580, 0x115B5), (0x115B8, 0x115C0), (0x115D8, 0x115DD), (0x11600, 0x11640),
    (0x11644, 0x11644), (0x11650, 0x11659), (0x11680, 0x116B8), (0x116C0, 0x116C9),
    (0x11700, 0x1171A), (0x1171D, 0x1172B), (0x11730, 0x11739), (0x11800, 0x1183A),
    (0x118A0, 0x118E9), (0x118FF, 0x11906), (0x11909, 0x11909), (0x1190C, 0x11913),
    (0x11915, 0x11916), (0x11918, 0x11935), (0x11937, 0x11938), (0x1193B, 0x11943),
    (0x11950, 0x11959), (0x119A0, 0x119A7), (0x119AA, 0x119D7), (0x119DA, 0x119E1),
    (0x119E3, 0x119E4), (0x11A00, 0x11A3E), (0x11A47, 0x11A47), (0x11A50, 0x11A99),
    (0x11A9D, 0x11A9D), (0x11AC0, 0x11AF8), (0x11C00, 0x11C08), (0x11C0A, 0x11C36),
    (0x11C38, 0x11C40), (0x11C50, 0x11C59), (0x11C72, 0x11C8F), (0x11C92, 0x11CA7),
    (0x11CA9, 0x11CB6), (0x11D00, 0x11D06), (0x11D08, 0x11D09), (0x11D0B, 0x11D36),
    (0x11D3A, 0x11D3A), (0x11D3C, 0x11D3D), (0x11D3F, 0x11D47), (0x11D50, 0x11D59),
    (0x11D60, 0x11D65), (0x11D67, 0x11D68), (0x11D6A, 0x11D8E), (0x11D90, 0x11D91),
    (0x11D93, 0x11D98), (0x11DA0, 0x11DA9), (0x11EE0, 0x11EF6), (0x11FB0, 0x11FB0),
    (0x12000, 0x12399), (0x12400, 0x1246E), (0x12480, 0x12543), (0x13000, 0x1342E),
    (0x14400, 0x14646), (0x16800, 0x16A38), (0x16A40, 0x16A5E), (0x16A60, 0x16A69),
    (0x16AD0, 0x16AED), (0x16AF0, 0x16AF4), (0x16B00, 0x16B36), (0x16B40, 0x16B43),
    (0x16B50, 0x16B59), (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E7F),
    (0x16F00, 0x16F4A), (0x16F4F, 0x16F87), (0x16F8F, 0x16F9F), (0x16FE0, 0x16FE1),
    (0x16FE3, 0x16FE4), (0x16FF0, 0x16FF1), (0x17000, 0x187F7), (0x18800, 0x18CD5),
    (0x18D00, 0x18D08), (0x1B000, 0x1B11E), (0x1B150, 0x1B152), (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A), (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88),
    (0x1BC90, 0x1BC99), (0x1BC9D, 0x1BC9E), (0x1D165, 0x1D169), (0x1D16D, 0x1D172),
    (0x1D17B, 0x1D182), (0x1D185, 0x1D18B), (0x1D1AA, 0x1D1AD), (0x1D242, 0x1D244),
    (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2),
    (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB),
    (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514),
    (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544),
    (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5), (0x1D6A8, 0x1D6C0),
    (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA), (0x1D6FC, 0x1D714), (0x1D716, 0x1D734),
    (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788), (0x1D78A, 0x1D7A8),
    (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB), (0x1D7CE, 0x1D7FF), (0x1DA00, 0x1DA36),
    (0x1DA3B, 0x1DA6C), (0x1DA75, 0x1DA75), (0x1DA84, 0x1DA84), (0x1DA9B, 0x1DA9F),
    (0x1DAA1, 0x1DAAF), (0x1E000, 0x1E006), (0x1E008, 0x1E018), (0x1E01B, 0x1E021),
    (0x1E023, 0x1E024), (0x1E026, 0x1E02A), (0x1E100, 0x1E12C), (0x1E130, 0x1E13D),
    (0x1E140, 0x1E149), (0x1E14E, 0x1E14E), (0x1E2C0, 0x1E2F9), (0x1E800, 0x1E8C4),
    (0x1E8D0, 0x1E8D6), (0x1E900, 0x1E94B), (0x1E950, 0x1E959), (0x1EE00, 0x1EE03),
    (0x1EE05, 0x1EE1F), (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27),
    (0x1EE29, 0x1EE32), (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39), (0x1EE3B, 0x1EE3B),
    (0x1EE42, 0x1EE42), (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B),
    (0x1EE4D, 0x1EE4F), (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57),
    (0x1EE59, 0x1EE59), (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D), (0x1EE5F, 0x1EE5F),
    (0x1EE61, 0x1EE62), (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72),
    (0x1EE74, 0x1EE77), (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89),
    (0x1EE8B, 0x1EE9B), (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9), (0x1EEAB, 0x1EEBB),
    (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189), (0x1FBF0, 0x1FBF9),
    (0x20000, 0x2A6DD), (0x2A700, 0x2B734), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D), (0x30000, 0x3134A), (0xE0100, 0xE01EF),
];

#[cfg(test)]
mod tests {
    use super::SlugRule::{self, GitHub, GitLab, MdBook04, MdBook05, Pandoc};
    use super::Slugger;

    /// Ids of `headings` (no explicit ids) in one document under `rule`.
    fn ids(rule: SlugRule, headings: &[&str]) -> Vec<String> {
        let mut slugger = Slugger::new(rule);
        headings
            .iter()
            .map(|text| slugger.next(text, None))
            .collect()
    }

    #[test]
    fn parse_accepts_the_documented_names() {
        assert_eq!(SlugRule::parse("github"), Ok(GitHub));
        assert_eq!(SlugRule::parse("gitlab"), Ok(GitLab));
        assert_eq!(SlugRule::parse("mdbook"), Ok(MdBook05));
        assert_eq!(SlugRule::parse("mdbook-0.5"), Ok(MdBook05));
        assert_eq!(SlugRule::parse("mdbook-0.4"), Ok(MdBook04));
        assert_eq!(SlugRule::parse("pandoc"), Ok(Pandoc));
        let err = SlugRule::parse("GitHub").unwrap_err();
        assert!(err.contains("`GitHub`"), "{err}");
        assert!(
            err.contains("github, gitlab, mdbook, mdbook-0.4, mdbook-0.5, pandoc"),
            "{err}"
        );
        assert!(SlugRule::parse("mdbook-0.3").is_err());
        assert!(SlugRule::parse("").is_err());
    }

    // The issue's expectations. Each matches github-slugger 2.0.0 (run
    // under Node) and, for the pandoc line, pandoc 3.9.
    #[test]
    fn issue_examples() {
        assert_eq!(
            ids(GitHub, &["版本信息更新报告", "版本信息更新报告"]),
            ["版本信息更新报告", "版本信息更新报告-1"]
        );
        assert_eq!(GitHub.slug("Kubernetes 1.30 升级"), "kubernetes-130-升级");
        assert_eq!(GitHub.slug("🚀 快速开始"), "-快速开始");
        assert_eq!(GitHub.slug("C++ / Rust 互操作"), "c--rust-互操作");
        assert_eq!(
            ids(GitHub, &["echo", "echo", "echo 1", "echo-1", "echo"]),
            ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"]
        );
        assert_eq!(Pandoc.slug("Kubernetes 1.30 升级"), "kubernetes-1.30-升级");
    }

    // github-slugger `test/fixtures.json` (run there in one slugger, in
    // this order for the repetition cases).
    #[test]
    fn github_slugger_fixtures() {
        assert_eq!(
            ids(GitHub, &["foxtrot-1", "foxtrot", "foxtrot"]),
            ["foxtrot-1", "foxtrot", "foxtrot-2"]
        );
        assert_eq!(
            ids(GitHub, &["__proto__", "__proto__"]),
            ["__proto__", "__proto__-1"]
        );
        assert_eq!(ids(GitHub, &[" a ", "-a-"]), ["-a-", "-a--1"]);
        for (text, slug) in [
            ("bravoCharlieDelta", "bravocharliedelta"),
            ("heading with a - dash", "heading-with-a---dash"),
            (
                "heading with an _ underscore",
                "heading-with-an-_-underscore",
            ),
            ("heading with a period.txt", "heading-with-a-periodtxt"),
            (
                "exchange.bind_headers(exchange, routing [, bindCallback])",
                "exchangebind_headersexchange-routing--bindcallback",
            ),
            (" ", "-"),
            (
                "apostrophe’s should be trimmed",
                "apostrophes-should-be-trimmed",
            ),
            ("I ♥ unicode", "i--unicode"),
            ("en–dash", "endash"),
            ("😄 unicode emoji", "-unicode-emoji"),
            ("😄_😄 unicode emoji", "_-unicode-emoji"),
            ("😄 - an emoji", "---an-emoji"),
            (":smile: - a gemoji", "smile---a-gemoji"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            // Connector punctuation stays; other punctuation goes.
            ("a_ ‿ ⁀ ＿b", "a_-‿-⁀-＿b"),
            // Other_Symbol letters that are Alphabetic stay (lower-cased).
            ("a$ Ⓖ 🄸b", "a-ⓖ-🄸b"),
            // Separators other than U+0020 go.
            ("a\u{a0}\u{2028}\u{3000}b", "ab"),
            // Format characters go; marks (U+0301, U+FE0F) stay.
            ("a\u{ad}\u{200b}\u{200d}b", "ab"),
            ("é\u{301}", "é\u{301}"),
            // `toLowerCase` is a full mapping.
            ("İ", "i\u{307}"),
        ] {
            assert_eq!(GitHub.slug(text), slug, "{text:?}");
        }
    }

    // The table is Unicode 13.0's: a letter assigned later (U+0870, Arabic,
    // Unicode 14) was unassigned there, so github-slugger drops it, while
    // the rules reading newer Unicode data keep it.
    #[test]
    fn github_uses_unicode_13() {
        assert_eq!(GitHub.slug("a\u{870}b"), "ab");
        assert_eq!(GitLab.slug("a\u{870}b"), "a\u{870}b");
        assert_eq!(MdBook05.slug("a\u{870}b"), "a\u{870}b");
    }

    // comrak `src/tests/header_id_prefix.rs` (`header_id_prefix`).
    #[test]
    fn gitlab_comrak_sequence() {
        assert_eq!(
            ids(
                GitLab,
                &[
                    "Hi.",
                    "Hi 1.",
                    "Hi.",
                    "Hello.",
                    "Hi.",
                    "Hello.",
                    "Isn't it grand?"
                ]
            ),
            [
                "hi",
                "hi-1",
                "hi-2",
                "hello",
                "hi-3",
                "hello-1",
                "isnt-it-grand"
            ]
        );
    }

    // GitLab `doc/user/markdown.md`, "Heading IDs and links" (17.0 and
    // later; the heading text is as comrak sees it, before GitLab turns
    // `:thumbsup:` into an emoji).
    #[test]
    fn gitlab_docs_example() {
        assert_eq!(
            ids(
                GitLab,
                &[
                    "This heading has spaces in it",
                    "This heading has a :thumbsup: in it",
                    "This heading has Unicode in it: 한글",
                    "This heading has spaces in it",
                    "This heading has spaces in it",
                    "This heading has 3.5 in it (and parentheses)",
                    "This heading has  multiple spaces and --- hyphens",
                ]
            ),
            [
                "this-heading-has-spaces-in-it",
                "this-heading-has-a-thumbsup-in-it",
                "this-heading-has-unicode-in-it-한글",
                "this-heading-has-spaces-in-it-1",
                "this-heading-has-spaces-in-it-2",
                "this-heading-has-35-in-it-and-parentheses",
                "this-heading-has--multiple-spaces-and-----hyphens",
            ]
        );
        // No `anchor-` prefix for digits only any more, and empty stays empty.
        assert_eq!(ids(GitLab, &["123", "", ""]), ["123", "", "-1"]);
    }

    // mdBook 0.4.52 `src/utils/mod.rs`, `html_munging` tests
    // (`it_normalizes_ids`, `it_generates_unique_ids_from_content`). The
    // heading `` `--passes`: add … `` renders to the plain text below.
    #[test]
    fn mdbook04_upstream_cases() {
        for (text, slug) in [
            (
                "--passes: add more rustdoc passes",
                "--passes-add-more-rustdoc-passes",
            ),
            (
                "Method-call 🐙 expressions \u{1f47c}",
                "method-call--expressions-",
            ),
            ("_-_12345", "_-_12345"),
            ("12345", "12345"),
            ("中文", "中文"),
            ("にほんご", "にほんご"),
            ("한국어", "한국어"),
            ("", ""),
        ] {
            assert_eq!(MdBook04.slug(text), slug, "{text:?}");
        }
        assert_eq!(
            ids(MdBook04, &["Über", "中文標題 CJK title", "Über", "Über"]),
            ["Über", "中文標題-cjk-title", "Über-1", "Über-2"]
        );
    }

    // mdBook 0.5.4 `crates/mdbook-html/src/utils.rs` tests
    // (`it_normalizes_ids`, `it_generates_unique_ids`).
    #[test]
    fn mdbook05_upstream_cases() {
        for (text, slug) in [
            (
                "--passes: add more rustdoc passes",
                "--passes-add-more-rustdoc-passes",
            ),
            (
                "Method-call 🐙 expressions \u{1f47c}",
                "method-call--expressions-",
            ),
            ("_-_12345", "_-_12345"),
            ("12345", "12345"),
            ("中文", "中文"),
            ("にほんご", "にほんご"),
            ("한국어", "한국어"),
            ("", ""),
            ("中文標題 CJK title", "中文標題-cjk-title"),
            ("Über", "über"),
        ] {
            assert_eq!(MdBook05.slug(text), slug, "{text:?}");
        }
        assert_eq!(
            ids(MdBook05, &["Über", "Über", "Über"]),
            ["über", "über-1", "über-2"]
        );
    }

    // mdBook 0.4 counts per base id only, so a generated `x-1` can collide
    // with a heading whose own id is `x-1`; 0.5 fixed that ("Fixed ID
    // collisions when the numeric suffix gets used", CHANGELOG 0.5.0).
    #[test]
    fn mdbook_suffix_collisions() {
        assert_eq!(
            ids(MdBook04, &["echo", "echo", "echo-1"]),
            ["echo", "echo-1", "echo-1"]
        );
        assert_eq!(
            ids(MdBook05, &["echo", "echo", "echo-1"]),
            ["echo", "echo-1", "echo-1-1"]
        );
        assert_eq!(
            ids(MdBook05, &["echo-1", "echo", "echo"]),
            ["echo-1", "echo", "echo-2"]
        );
    }

    // pandoc `MANUAL.txt`, "Extension: auto_identifiers" (heading text as
    // plain text, without `smart`, which would turn `--` into a dash).
    #[test]
    fn pandoc_manual_table() {
        for (text, slug) in [
            ("Heading identifiers in HTML", "heading-identifiers-in-html"),
            ("Maître d'hôtel", "maître-dhôtel"),
            ("Dogs?--in my house?", "dogs--in-my-house"),
            ("HTML, S5, or RTF?", "html-s5-or-rtf"),
            ("3. Applications", "applications"),
            ("33", "section"),
        ] {
            assert_eq!(Pandoc.slug(text), slug, "{text:?}");
        }
        assert_eq!(
            ids(Pandoc, &["x", "x", "x", "x-1"]),
            ["x", "x-1", "x-2", "x-1-1"]
        );
        assert_eq!(
            ids(Pandoc, &["", "!!!", "²"]),
            ["section", "section-1", "section-2"]
        );
    }

    // Output of pandoc 3.9 (`-f markdown-smart`): marks are not
    // alphanumeric to GHC, `T.toLower` has no final sigma, `isSpace` knows
    // U+00A0 and U+3000 but not U+2028.
    #[test]
    fn pandoc_character_classes() {
        assert_eq!(Pandoc.slug("हिन्दी"), "हनद");
        assert_eq!(Pandoc.slug("Ünïcode ΑΣ Σ"), "ünïcode-ασ-σ");
        assert_eq!(Pandoc.slug("a\u{a0}b\u{3000}c\u{2028}d"), "a-b-cd");
        assert_eq!(Pandoc.slug("İstanbul"), "istanbul");
        assert_eq!(Pandoc.slug("²³ Ⅻ ① ٣"), "section");
    }

    // Where the rules part ways on one heading. Columns: GitHub, GitLab,
    // mdBook 0.4, mdBook 0.5, pandoc. Every cell is what the real
    // implementation gives (github-slugger 2.0.0, comrak 0.54, mdBook
    // 0.4.52 and 0.5.4, pandoc 3.9).
    #[test]
    fn rules_compared() {
        let rules = [GitHub, GitLab, MdBook04, MdBook05, Pandoc];
        let table: &[(&str, [&str; 5])] = &[
            ("Hello, World!", ["hello-world"; 5]),
            // Punctuation: pandoc keeps `.`; all drop `+` and `/`.
            (
                "Kubernetes 1.30 升级",
                [
                    "kubernetes-130-升级",
                    "kubernetes-130-升级",
                    "kubernetes-130-升级",
                    "kubernetes-130-升级",
                    "kubernetes-1.30-升级",
                ],
            ),
            (
                "C++ / Rust 互操作",
                [
                    "c--rust-互操作",
                    "c--rust-互操作",
                    "c--rust-互操作",
                    "c--rust-互操作",
                    "c-rust-互操作",
                ],
            ),
            // Emoji: gone everywhere; the space after it stays, except in pandoc.
            (
                "🚀 快速开始",
                [
                    "-快速开始",
                    "-快速开始",
                    "-快速开始",
                    "-快速开始",
                    "快速开始",
                ],
            ),
            // Leading digits: only pandoc drops up to the first letter.
            (
                "1.2.3 Release Notes",
                [
                    "123-release-notes",
                    "123-release-notes",
                    "123-release-notes",
                    "123-release-notes",
                    "release-notes",
                ],
            ),
            // Repeated spaces and hyphens: each kept, except by pandoc.
            (
                "a  --  b",
                ["a------b", "a------b", "a------b", "a------b", "a----b"],
            ),
            // Upper-case non-ASCII: mdBook 0.4 lower-cases ASCII only.
            (
                "Ünïcode",
                ["ünïcode", "ünïcode", "Ünïcode", "ünïcode", "ünïcode"],
            ),
            // Final sigma: `ς` from context-sensitive lower-casing; pandoc maps
            // each letter alone, mdBook 0.4 lower-cases ASCII only.
            ("ΑΣ", ["ας", "ας", "ΑΣ", "ας", "ασ"]),
            // Combining marks (decomposed `ï`, `é`): kept by GitHub and
            // GitLab, dropped by mdBook (not alphanumeric) and pandoc.
            (
                "nai\u{308}ve cafe\u{301}",
                [
                    "nai\u{308}ve-cafe\u{301}",
                    "nai\u{308}ve-cafe\u{301}",
                    "naive-cafe",
                    "naive-cafe",
                    "naive-cafe",
                ],
            ),
            // Other numbers and circled letters.
            ("x² ½ Ⓐ", ["x--ⓐ", "x²-½-", "x²-½-Ⓐ", "x²-½-ⓐ", "x²-½"]),
            // A leading `#`, and `<`/`&` before trimming: mdBook 0.4.
            (
                "# Not a heading",
                [
                    "-not-a-heading",
                    "-not-a-heading",
                    "not-a-heading",
                    "-not-a-heading",
                    "not-a-heading",
                ],
            ),
            (
                "Errors & <",
                ["errors--", "errors--", "errors", "errors--", "errors"],
            ),
            (
                "Say \"hi\" '",
                ["say-hi-", "say-hi-", "say-hi-", "say-hi-", "say-hi"],
            ),
            // Empty heading: only pandoc has a fallback.
            ("", ["", "", "", "", "section"]),
        ];
        for (text, want) in table {
            for (rule, want) in rules.iter().zip(want) {
                assert_eq!(rule.slug(text), *want, "{rule:?} {text:?}");
            }
        }
    }

    #[test]
    fn explicit_ids() {
        // pandoc registers explicit ids (`registerHeader`); GitHub and
        // GitLab reserve them here too.
        for rule in [GitHub, GitLab, Pandoc] {
            let mut slugger = Slugger::new(rule);
            assert_eq!(slugger.next("Intro", Some("intro")), "intro");
            assert_eq!(slugger.next("Intro", None), "intro-1", "{rule:?}");
            assert_eq!(slugger.next("Other", Some("Custom ID")), "Custom ID");
        }
        // mdBook does not record them: the next `Intro` gets `intro` again.
        for rule in [MdBook04, MdBook05] {
            let mut slugger = Slugger::new(rule);
            assert_eq!(slugger.next("Intro", Some("intro")), "intro");
            assert_eq!(slugger.next("Intro", None), "intro", "{rule:?}");
            assert_eq!(slugger.next("Intro", None), "intro-1", "{rule:?}");
        }
        // A reserved `x-1` is skipped by the suffixes (pandoc 3.9 gives
        // `x-1`, `x`, `x-2`, `x-3` for `Other {#x-1}`, `x`, `x`, `x`).
        for rule in [GitHub, GitLab, Pandoc] {
            let mut slugger = Slugger::new(rule);
            assert_eq!(slugger.next("Other", Some("x-1")), "x-1");
            assert_eq!(slugger.next("x", None), "x");
            assert_eq!(slugger.next("x", None), "x-2", "{rule:?}");
            assert_eq!(slugger.next("x", None), "x-3", "{rule:?}");
        }
    }
}
