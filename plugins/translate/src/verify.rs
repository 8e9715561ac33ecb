//! Proving a rebuilt message means what the translation says: it re-parses
//! to one paragraph whose inline tree is the translation's codes and text
//! (so escaping held and every delimiter still pairs), and it keeps the
//! numbers and URLs of the source.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::message::Token;
use crate::segment::{Segment, Shape};

/// The parser options the host uses, minus front matter (a message never
/// starts a document).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// What the parse of a message shows, text compared without whitespace
/// (soft breaks and the joins of CJK lines are not structure).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Open(Kind),
    Close,
    Leaf(Kind),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
    Image(String),
    Code(String),
    Math(String),
    Html(String),
    HardBreak,
    Footnote(String),
}

/// Checks `rebuilt` (inline Markdown for `tokens`). `definitions` holds the
/// document's link reference and footnote definitions, so references in
/// the message resolve as they do in the document.
pub fn check(segment: &Segment, tokens: &[Token], rebuilt: &str, definitions: &str) -> Result<(), String> {
    kept(&segment.plain(), &plain(tokens))?;
    let expected = expected(segment, tokens);
    let actual = parse(&unprefixed(rebuilt), definitions)?;
    if expected != actual {
        return Err(format!(
            "written back it would not read as the translation says (escaping or emphasis delimiters \
             cannot hold it): expected {}, got {}",
            describe(&expected),
            describe(&actual)
        ));
    }
    Ok(())
}

/// The numbers and URLs check alone, for places with no inline markup
/// (titles, front matter).
pub fn kept_in(segment: &Segment, tokens: &[Token]) -> Result<(), String> {
    kept(&segment.plain(), &plain(tokens))
}

fn plain(tokens: &[Token]) -> String {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

/// Numbers and URLs of the source text must all be in the translation.
fn kept(source: &str, translation: &str) -> Result<(), String> {
    for number in numbers(source) {
        if !numbers(translation).contains(&number) {
            return Err(format!("the number {number} is missing"));
        }
    }
    for url in urls(source) {
        if !translation.contains(url) {
            return Err(format!("the URL {url} is missing"));
        }
    }
    Ok(())
}

/// Runs of digits, with the `.`/`,`/`:` inside them (`1.28`, `10,000`, `12:30`).
fn numbers(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (matches!(bytes[i], b'.' | b',' | b':') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        out.push(&text[start..i]);
    }
    out
}

fn urls(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || "<>()\"'，。".contains(c))
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|w| w.trim_end_matches(['.', ',', ';', ':', '!', '?']))
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(&text);
    } else {
        pieces.push(Piece::Text(text));
    }
}

fn expected(segment: &Segment, tokens: &[Token]) -> Vec<Piece> {
    let mut out = Vec::new();
    for token in tokens {
        match token {
            Token::Text(text) => push_text(&mut out, text),
            Token::Open(n) | Token::Close(n) | Token::Atom(n) => {
                let shape = &segment.codes[usize::from(*n) - 1].shape;
                let open = matches!(token, Token::Open(_));
                let close = matches!(token, Token::Close(_));
                match shape {
                    Shape::Emphasis | Shape::Strong | Shape::Strikethrough | Shape::Link(_) if close => {
                        out.push(Piece::Close)
                    }
                    Shape::Emphasis => out.push(Piece::Open(Kind::Emphasis)),
                    Shape::Strong => out.push(Piece::Open(Kind::Strong)),
                    Shape::Strikethrough => out.push(Piece::Open(Kind::Strikethrough)),
                    Shape::Link(url) => out.push(Piece::Open(Kind::Link(url.clone()))),
                    Shape::Html(o, _) if open => out.push(Piece::Leaf(Kind::Html(o.clone()))),
                    Shape::Html(_, c) => out.push(Piece::Leaf(Kind::Html(c.clone()))),
                    Shape::Code(t) => out.push(Piece::Leaf(Kind::Code(t.clone()))),
                    Shape::Math(t) => out.push(Piece::Leaf(Kind::Math(t.clone()))),
                    Shape::HardBreak => out.push(Piece::Leaf(Kind::HardBreak)),
                    Shape::Footnote(l) => out.push(Piece::Leaf(Kind::Footnote(l.clone()))),
                    Shape::Image(url) => out.push(Piece::Leaf(Kind::Image(url.clone()))),
                    Shape::HtmlAtom(t) => out.push(Piece::Leaf(Kind::Html(t.clone()))),
                    Shape::WholeLink(url, text) => {
                        out.push(Piece::Open(Kind::Link(url.clone())));
                        push_text(&mut out, text);
                        out.push(Piece::Close);
                    }
                }
            }
        }
    }
    out
}

/// The message without the container prefixes (`>`, list indentation) its
/// continuation lines carry, so it parses on its own as it does in place.
/// Text never starts a continuation line with `>` or spaces unescaped: they
/// would have ended the paragraph in the source too.
fn unprefixed(rebuilt: &str) -> String {
    let mut lines = rebuilt.split('\n');
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        out.push('\n');
        out.push_str(line.trim_start_matches([' ', '\t', '>']));
    }
    out
}

/// Parses a rebuilt message; anything but one paragraph is an error.
fn parse(rebuilt: &str, definitions: &str) -> Result<Vec<Piece>, String> {
    let text = format!("{rebuilt}\n\n{definitions}");
    let mut events = Parser::new_ext(&text, options());
    match events.next() {
        Some(Event::Start(Tag::Paragraph)) => {}
        None => return Ok(Vec::new()),
        Some(other) => return Err(format!("written back it would start a block ({})", block_name(&other))),
    }
    let mut out = Vec::new();
    let mut image_depth = 0;
    for event in events.by_ref() {
        if image_depth > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) => push_text(&mut out, &t),
            Event::SoftBreak => {}
            Event::HardBreak => out.push(Piece::Leaf(Kind::HardBreak)),
            Event::Code(t) => out.push(Piece::Leaf(Kind::Code(t.into_string()))),
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push(Piece::Leaf(Kind::Math(t.into_string()))),
            Event::InlineHtml(t) | Event::Html(t) => out.push(Piece::Leaf(Kind::Html(t.into_string()))),
            Event::FootnoteReference(l) => out.push(Piece::Leaf(Kind::Footnote(l.into_string()))),
            Event::Start(Tag::Emphasis) => out.push(Piece::Open(Kind::Emphasis)),
            Event::Start(Tag::Strong) => out.push(Piece::Open(Kind::Strong)),
            Event::Start(Tag::Strikethrough) => out.push(Piece::Open(Kind::Strikethrough)),
            Event::Start(Tag::Link { dest_url, .. }) => out.push(Piece::Open(Kind::Link(dest_url.into_string()))),
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push(Piece::Leaf(Kind::Image(dest_url.into_string())));
                image_depth = 1;
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => out.push(Piece::Close),
            other => return Err(format!("written back it would hold {}", block_name(&other))),
        }
    }
    match events.next() {
        None | Some(Event::Start(Tag::FootnoteDefinition(_))) => Ok(out),
        Some(other) => Err(format!("written back it would be more than one paragraph ({})", block_name(&other))),
    }
}

fn block_name(event: &Event) -> String {
    match event {
        Event::Start(tag) => format!("{tag:?}").split(['(', ' ', '{']).next().unwrap_or("a block").to_lowercase(),
        other => format!("{other:?}").split('(').next().unwrap_or("?").to_lowercase(),
    }
}

fn describe(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(&format!("{t:?} ")),
            Piece::Open(k) => out.push_str(&format!("{} {{ ", kind_name(k))),
            Piece::Close => out.push_str("} "),
            Piece::Leaf(k) => out.push_str(&format!("{} ", kind_name(k))),
        }
    }
    out.trim_end().to_string()
}

fn kind_name(kind: &Kind) -> String {
    match kind {
        Kind::Emphasis => "emphasis".into(),
        Kind::Strong => "strong".into(),
        Kind::Strikethrough => "strikethrough".into(),
        Kind::Link(url) => format!("link({url})"),
        Kind::Image(url) => format!("image({url})"),
        Kind::Code(t) => format!("code(`{t}`)"),
        Kind::Math(t) => format!("math(${t}$)"),
        Kind::Html(t) => format!("html({t})"),
        Kind::HardBreak => "hard-break".into(),
        Kind::Footnote(l) => format!("footnote[^{l}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_urls_must_be_kept() {
        assert_eq!(kept("Upgrade to 1.30 from 1.28", "升级到 1.30（从 1.28）"), Ok(()));
        assert_eq!(kept("Upgrade to 1.30", "升级到 1.3").unwrap_err(), "the number 1.30 is missing");
        assert_eq!(kept("See https://x.org/a.", "见 https://x.org/a。"), Ok(()));
        assert_eq!(kept("See https://x.org/a", "见 https://x.org").unwrap_err(), "the URL https://x.org/a is missing");
    }

    #[test]
    fn numbers_keep_their_inner_separators() {
        assert_eq!(numbers("v1.28, 10,000 rows at 12:30."), ["1.28", "10,000", "12:30"]);
    }

    #[test]
    fn a_rebuilt_message_must_stay_one_paragraph() {
        assert!(parse("plain text", "").is_ok());
        assert_eq!(parse("# x", "").unwrap_err(), "written back it would start a block (heading)");
        assert!(parse("a\n\nb", "").unwrap_err().contains("more than one paragraph"));
    }

    #[test]
    fn container_prefixes_are_not_structure() {
        let rebuilt = unprefixed("first  \n>   second\\\n>   third");
        assert_eq!(rebuilt, "first  \nsecond\\\nthird");
        let pieces = parse(&rebuilt, "").unwrap();
        assert_eq!(pieces.iter().filter(|p| **p == Piece::Leaf(Kind::HardBreak)).count(), 2);
    }

    #[test]
    fn references_resolve_through_the_definitions() {
        let pieces = parse("see [ref][r]", "[r]: http://r.com").unwrap();
        assert_eq!(pieces[1], Piece::Open(Kind::Link("http://r.com".into())));
    }
}
