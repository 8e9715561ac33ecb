//! Proving a rebuilt message means what the translation says: it re-parses
//! to one paragraph whose inline tree is the translation's codes and text
//! (so escaping held and every delimiter still pairs), and it keeps the
//! numbers and URLs of the source.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::message::{self, Token};
use crate::segment::{Place, Segment, Shape};

/// The parser options the host uses, minus front matter (a message never
/// starts a document).
pub fn options() -> Options {
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
    kept(&segment.plain(), &message::plain(tokens))?;
    let expected = expected(segment, tokens, definitions);
    let actual = parse(&standalone(segment, rebuilt), definitions)?;
    if expected != actual {
        if let Some(n) = unpaired_emphasis(segment, tokens, &expected, &actual) {
            return Err(format!(
                "the bold or emphasis <{n}>…</{n}> would not pair where it stands (CommonMark's flanking rules: \
                 a delimiter between punctuation and a letter, as in `**“x”**的`, does not open or close); \
                 move the punctuation, or put a space next to the code"
            ));
        }
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
    kept(&segment.plain(), &message::plain(tokens))
}

/// The first emphasis-like code of the translation, when the rebuilt
/// message holds fewer emphases than it should.
fn unpaired_emphasis(segment: &Segment, tokens: &[Token], expected: &[Piece], actual: &[Piece]) -> Option<u16> {
    let emphases = |pieces: &[Piece]| {
        pieces
            .iter()
            .filter(|p| matches!(p, Piece::Open(Kind::Emphasis | Kind::Strong | Kind::Strikethrough)))
            .count()
    };
    if emphases(actual) >= emphases(expected) {
        return None;
    }
    tokens.iter().find_map(|t| match t {
        Token::Open(n)
            if matches!(segment.codes[usize::from(*n) - 1].shape, Shape::Emphasis | Shape::Strong | Shape::Strikethrough) =>
        {
            Some(*n)
        }
        _ => None,
    })
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

/// Code and math content without whitespace: how a span wraps across
/// lines is not what a translation could break.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Inline HTML, joined with the HTML right before it: a comment or tag
/// across lines is one piece however the parser splits it.
fn push_html(pieces: &mut Vec<Piece>, html: &str) {
    if let Some(Piece::Leaf(Kind::Html(last))) = pieces.last_mut() {
        last.push_str(&squeeze(html));
    } else {
        pieces.push(Piece::Leaf(Kind::Html(squeeze(html))));
    }
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

fn expected(segment: &Segment, tokens: &[Token], definitions: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    if matches!(segment.place, Place::Cell | Place::Heading(_) | Place::Alt) {
        push_text(&mut out, "x");
    }
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
                    Shape::Html(o, _) if open => push_html(&mut out, o),
                    Shape::Html(_, c) => push_html(&mut out, c),
                    Shape::Code(t) => out.push(Piece::Leaf(Kind::Code(squeeze(t)))),
                    Shape::Math(t) => out.push(Piece::Leaf(Kind::Math(squeeze(t)))),
                    Shape::HardBreak => out.push(Piece::Leaf(Kind::HardBreak)),
                    Shape::Footnote(l) => out.push(Piece::Leaf(Kind::Footnote(l.clone()))),
                    Shape::Image(url) => out.push(Piece::Leaf(Kind::Image(url.clone()))),
                    Shape::HtmlAtom(t) => push_html(&mut out, t),
                    Shape::Term(t) | Shape::Url(t) => push_text(&mut out, t),
                    // Written as it was, so it parses as its own bytes do.
                    Shape::WholeLink(markdown) => {
                        for piece in parse(markdown, definitions).unwrap_or_default() {
                            match piece {
                                Piece::Text(t) => push_text(&mut out, &t),
                                other => out.push(other),
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// The message as a paragraph of its own that parses as it does in place:
/// - continuation lines lose their container prefix (`>`, list indentation)
///   and are indented four spaces instead, which continues a paragraph and
///   starts nothing, as the line did in place (new text at a line start is
///   escaped by [`crate::rebuild`]);
/// - a message that does not start a line in place (heading text, a table
///   cell, alt text) gets a word before it, so it starts no block either;
/// - in a table cell, `\|` is a `|` before inline parsing, as GFM reads it.
fn standalone(segment: &Segment, rebuilt: &str) -> String {
    let mut lines = rebuilt.split('\n');
    let mut out = match segment.place {
        Place::Cell | Place::Heading(_) | Place::Alt => String::from("x "),
        _ => String::new(),
    };
    out.push_str(lines.next().unwrap_or_default());
    for line in lines {
        out.push_str("\n    ");
        out.push_str(line.trim_start_matches([' ', '\t', '>']));
    }
    if segment.in_table {
        out = out.replace("\\|", "|");
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
            Event::Code(t) => out.push(Piece::Leaf(Kind::Code(squeeze(&t)))),
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push(Piece::Leaf(Kind::Math(squeeze(&t)))),
            Event::InlineHtml(t) | Event::Html(t) => push_html(&mut out, &t),
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

    fn at(place: Place, in_table: bool) -> Segment {
        Segment {
            place,
            node: 0,
            range: 0..0,
            tokens: Vec::new(),
            sources: Vec::new(),
            codes: Vec::new(),
            notes: Vec::new(),
            in_table,
        }
    }

    #[test]
    fn continuation_lines_continue_the_paragraph() {
        let text = standalone(&at(Place::Prose, false), "first  \n>   second\\\n\t- third");
        assert_eq!(text, "first  \n    second\\\n    - third");
        let pieces = parse(&text, "").unwrap();
        assert_eq!(pieces.iter().filter(|p| **p == Piece::Leaf(Kind::HardBreak)).count(), 2);
        assert_eq!(pieces.last(), Some(&Piece::Text("-third".into())));
    }

    #[test]
    fn cells_and_headings_do_not_start_a_line() {
        assert!(parse(&standalone(&at(Place::Heading(false), false), "1. Reference"), "").is_ok());
        assert!(parse(&standalone(&at(Place::Prose, false), "1. Reference"), "").is_err());
        let cell = parse(&standalone(&at(Place::Alt, true), "`a \\|\\| b`"), "").unwrap();
        assert_eq!(cell[1], Piece::Leaf(Kind::Code("a||b".into())));
    }

    #[test]
    fn references_resolve_through_the_definitions() {
        let pieces = parse("see [ref][r]", "[r]: http://r.com").unwrap();
        assert_eq!(pieces[1], Piece::Open(Kind::Link("http://r.com".into())));
    }
}
