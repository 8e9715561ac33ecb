//! A glossary the user grants (CSV: `source,target,flag`): terms flagged
//! do-not-translate (`dnt`) become standalone codes in messages, so no
//! translator or engine can change them, and so do bare URLs (glossary or
//! not); terms with a target are checked in translations, with a warning
//! when the agreed word is missing.
//!
//! ```text
//! source,target,flag
//! Kubernetes,,dnt
//! cluster,集群,
//! ```

use std::collections::HashMap;
use std::ops::Range;

use crate::message::{Arity, Token};
use crate::segment::{Code, Place, Segment, Shape};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    /// Do-not-translate terms, longest first.
    pub keep: Vec<String>,
    /// (source term, required translation).
    pub terms: Vec<(String, String)>,
}

impl Glossary {
    /// Reads the CSV; errors name the line.
    pub fn parse(text: &str) -> Result<Glossary, String> {
        let mut glossary = Glossary::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields = fields(line).map_err(|e| format!("line {}: {e}", i + 1))?;
            let field = |k: usize| fields.get(k).map(|f| f.trim()).unwrap_or_default();
            let (source, target, flag) = (field(0), field(1), field(2).to_ascii_lowercase());
            if i == 0 && source.eq_ignore_ascii_case("source") {
                continue;
            }
            if source.is_empty() {
                return Err(format!("line {}: the source term is empty", i + 1));
            }
            match flag.as_str() {
                "dnt" | "do-not-translate" | "yes" | "true" | "1" => glossary.keep.push(source.to_string()),
                "" | "no" | "false" | "0" if !target.is_empty() => glossary.terms.push((source.to_string(), target.to_string())),
                "" | "no" | "false" | "0" => return Err(format!("line {}: `{source}` has neither a target nor the dnt flag", i + 1)),
                other => return Err(format!("line {}: unknown flag `{other}` (use dnt, or leave it empty)", i + 1)),
            }
        }
        glossary.keep.sort_by_key(|t| std::cmp::Reverse(t.len()));
        Ok(glossary)
    }

    /// Turns the do-not-translate terms and bare URLs in `segment`'s text
    /// into codes (where the source holds them as written), renumbering
    /// codes in order.
    pub fn protect(&self, source: &str, segment: &mut Segment) {
        let inline = matches!(segment.place, Place::Prose | Place::Cell | Place::Heading(_) | Place::Alt);
        if !inline || !segment.tokens.iter().any(|t| matches!(t, Token::Text(s) if !self.kept(s).is_empty())) {
            return;
        }
        let mut tokens = Vec::new();
        let mut sources = Vec::new();
        let mut codes: Vec<Code> = Vec::new();
        let mut renumber: HashMap<u16, u16> = HashMap::new();
        for (token, range) in segment.tokens.iter().zip(&segment.sources) {
            match (token, range) {
                (Token::Text(text), Some(range)) => {
                    for (piece, bytes, term) in self.split(text, &source[range.start as usize..range.end as usize], range.start) {
                        if term {
                            let url = piece.starts_with("http://") || piece.starts_with("https://");
                            codes.push(Code {
                                node: segment.node,
                                arity: Arity::Standalone,
                                open: bytes.clone(),
                                close: bytes.end..bytes.end,
                                shape: if url { Shape::Url(piece) } else { Shape::Term(piece) },
                            });
                            tokens.push(Token::Atom(codes.len() as u16));
                            sources.push(None);
                        } else {
                            tokens.push(Token::Text(piece));
                            sources.push(Some(bytes));
                        }
                    }
                }
                (Token::Open(n) | Token::Atom(n), _) => {
                    codes.push(segment.codes[usize::from(*n) - 1].clone());
                    let new = codes.len() as u16;
                    renumber.insert(*n, new);
                    tokens.push(if matches!(token, Token::Open(_)) { Token::Open(new) } else { Token::Atom(new) });
                    sources.push(None);
                }
                (Token::Close(n), _) => {
                    tokens.push(Token::Close(renumber[n]));
                    sources.push(None);
                }
                (Token::Text(_), None) => {
                    tokens.push(token.clone());
                    sources.push(None);
                }
            }
        }
        segment.tokens = tokens;
        segment.sources = sources;
        segment.codes = codes;
    }

    /// Splits text (and its source bytes, starting at `base`) at the kept
    /// terms: (piece, bytes, is a term). Only when the source holds each
    /// term as many times as the text, so the pieces line up.
    fn split(&self, text: &str, bytes: &str, base: u32) -> Vec<(String, Range<u32>, bool)> {
        let whole = vec![(text.to_string(), base..base + bytes.len() as u32, false)];
        let in_text = self.kept(text);
        let in_bytes = self.kept(bytes);
        if in_text.is_empty() || in_bytes.len() != in_text.len() {
            return whole;
        }
        if in_text.iter().zip(&in_bytes).any(|(a, b)| a.1 != b.1) {
            return whole;
        }
        let mut out = Vec::new();
        let (mut t, mut b) = (0, 0);
        for ((ts, term), (bs, _)) in in_text.iter().zip(&in_bytes) {
            if *ts > t {
                out.push((text[t..*ts].to_string(), base + b as u32..base + *bs as u32, false));
            }
            out.push((term.to_string(), base + *bs as u32..base + (*bs + term.len()) as u32, true));
            t = ts + term.len();
            b = bs + term.len();
        }
        if t < text.len() {
            out.push((text[t..].to_string(), base + b as u32..base + bytes.len() as u32, false));
        }
        out
    }

    /// Where the kept pieces of `text` are: bare URLs, then do-not-translate
    /// terms outside them. (start, piece), in order.
    fn kept<'t>(&'t self, text: &'t str) -> Vec<(usize, &'t str)> {
        let urls = urls(text);
        let mut out: Vec<(usize, &str)> = occurrences(text, &self.keep)
            .into_iter()
            .filter(|(at, term)| !urls.iter().any(|(u, url)| *at < u + url.len() && *u < at + term.len()))
            .collect();
        out.extend(urls);
        out.sort();
        out
    }

    /// Warnings for required terms of the source that the translation
    /// does not use.
    pub fn missing(&self, source: &str, translation: &str) -> Vec<String> {
        let translation_lower = translation.to_lowercase();
        self.terms
            .iter()
            .filter(|(term, _)| !occurrences(&source.to_lowercase(), &[term.to_lowercase()]).is_empty())
            .filter(|(_, target)| !translation_lower.contains(&target.to_lowercase()))
            .map(|(term, target)| format!("the glossary translates “{term}” as “{target}”, which the translation does not use"))
            .collect()
    }
}

/// Non-overlapping occurrences of any of `terms` (longest first) in `text`
/// as whole words: a term that starts or ends with a letter or digit must
/// not continue a word there. (start, term).
fn occurrences<'t>(text: &str, terms: &'t [String]) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let mut at = 0;
    'scan: while at < text.len() {
        for term in terms {
            if term.is_empty() || !text[at..].starts_with(term.as_str()) {
                continue;
            }
            let before = text[..at].chars().next_back();
            let after = text[at + term.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && c.is_ascii());
            let starts_word = term.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            let ends_word = term.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
            if (starts_word && word(before)) || (ends_word && word(after)) {
                continue;
            }
            out.push((at, term.as_str()));
            at += term.len();
            continue 'scan;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Bare `http://` and `https://` URLs in text: up to a space, a quote, an
/// angle bracket or CJK text, without trailing punctuation (a closing
/// parenthesis only when it closes nothing inside). (start, url).
fn urls(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = ["http://", "https://"].iter().filter_map(|p| text[from..].find(p)).min() {
        let start = from + found;
        let before = text[..start].chars().next_back();
        let rest = &text[start..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || "<>\"'`".contains(c) || crate::segment::is_cjk(c))
            .map_or(rest.len(), |(i, _)| i);
        let mut url = &rest[..len];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let trimmed = if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
                &trimmed[..trimmed.len() - 1]
            } else {
                trimmed
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        let scheme_only = url.ends_with("//");
        if !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !scheme_only {
            out.push((start, url));
        }
        from = start + url.len().max(1);
    }
    out
}

/// The fields of one CSV line (RFC 4180 quoting).
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.trim().is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(field);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_terms_and_flags() {
        let g = Glossary::parse("source,target,flag\nKubernetes,,dnt\ncluster,集群,\n\"Pod, the\",\"容器组\",no\n").unwrap();
        assert_eq!(g.keep, ["Kubernetes"]);
        assert_eq!(g.terms, [("cluster".to_string(), "集群".to_string()), ("Pod, the".to_string(), "容器组".to_string())]);
        assert_eq!(Glossary::parse("x,,maybe").unwrap_err(), "line 1: unknown flag `maybe` (use dnt, or leave it empty)");
        assert_eq!(Glossary::parse("x,,").unwrap_err(), "line 1: `x` has neither a target nor the dnt flag");
    }

    #[test]
    fn terms_match_whole_words_only() {
        let terms = ["Go".to_string()];
        assert_eq!(occurrences("Go and Google, go Go.", &terms), [(0, "Go"), (18, "Go")]);
        let cjk = ["集群".to_string()];
        assert_eq!(occurrences("在集群中", &cjk), [(3, "集群")]);
    }

    #[test]
    fn bare_urls_end_where_prose_begins() {
        assert_eq!(urls("See https://x.org/a_b. Then"), [(4, "https://x.org/a_b")]);
        assert_eq!(urls("(see http://x.org/wiki/A_(b))."), [(5, "http://x.org/wiki/A_(b)")]);
        assert_eq!(urls("访问https://x.org/中文"), [(6, "https://x.org/")]);
        assert!(urls("nohttps://x.org").is_empty());
        assert!(urls("just https:// here").is_empty());
    }

    #[test]
    fn missing_required_terms_are_named() {
        let g = Glossary::parse("cluster,集群,\n").unwrap();
        assert!(g.missing("Create a cluster.", "创建一个集群。").is_empty());
        assert_eq!(g.missing("Create a Cluster.", "创建一个群集。").len(), 1);
        assert!(g.missing("Create a node.", "创建节点。").is_empty());
    }
}
