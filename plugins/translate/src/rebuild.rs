//! Writing a translated message back as Markdown: codes as their original
//! bytes, text that equals a piece of the source as that piece's bytes, and
//! only new text escaped for where it stands.

use std::ops::Range;

use crate::front_matter;
use crate::message::{self, Token};
use crate::segment::{Place, Segment};

/// Replacements already decided inside a message's range (an image's
/// translated alt text, a link's translated title), applied to the bytes of
/// the codes that hold them.
pub type Nested = [(Range<u32>, String)];

/// The Markdown for `tokens` (already checked against the segment's codes)
/// in place of `segment.range`, or `None` when the place cannot hold it.
pub fn rebuild(source: &str, segment: &Segment, tokens: &[Token], nested: &Nested) -> Option<String> {
    let text = message::plain(tokens);
    match segment.place {
        // Unchanged, it is written as it was (a title may hold line breaks).
        Place::FrontMatter(..) | Place::Title(_) if text == segment.plain() => {
            Some(source[segment.range.start as usize..segment.range.end as usize].to_string())
        }
        Place::FrontMatter(style, toml) => front_matter::write(&text, style, toml),
        Place::Title(open) => Some(escape_title(&text, open, segment.in_table)),
        Place::Prose | Place::Cell | Place::Alt | Place::Heading(_) => {
            let context = Context { table: segment.in_table, heading: matches!(segment.place, Place::Heading(_)) };
            Some(inline(source, segment, tokens, nested, context))
        }
    }
}

/// What new text must not look like where it is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// In a table cell: `|` would end the cell.
    pub table: bool,
    /// In a heading: a trailing `#` would read as an ATX closing sequence.
    pub heading: bool,
}


fn inline(source: &str, segment: &Segment, tokens: &[Token], nested: &Nested, context: Context) -> String {
    let bytes = |range: &Range<u32>| with_nested(source, range, nested);
    let mut out = String::new();
    let mut line_start = true;
    for (i, token) in tokens.iter().enumerate() {
        let piece = match token {
            Token::Text(text) => {
                // The same text can stand in several places with different
                // bytes (`a /` + line break, `a / `): the piece at the same
                // position first, then any equal one.
                let original = |k: usize| match (segment.tokens.get(k), segment.sources.get(k)) {
                    (Some(Token::Text(original)), Some(Some(range))) if original == text => Some(range),
                    _ => None,
                };
                let same = original(i).or_else(|| (0..segment.tokens.len()).find_map(original));
                match same {
                    Some(range) => bytes(range),
                    None => {
                        let text = text.replace(['\n', '\r'], " ");
                        let first = i == 0 || line_start;
                        let last = i + 1 == tokens.len();
                        let text = if first { text.trim_start() } else { &text };
                        let text = if last { text.trim_end() } else { text };
                        escape(text, line_start, context)
                    }
                }
            }
            Token::Open(n) | Token::Atom(n) => bytes(&segment.codes[usize::from(*n) - 1].open),
            Token::Close(n) => bytes(&segment.codes[usize::from(*n) - 1].close),
        };
        if !piece.is_empty() {
            line_start = ends_line(&piece);
        }
        out.push_str(&piece);
    }
    out
}

/// Source bytes of `range` with the nested replacements inside it applied.
fn with_nested(source: &str, range: &Range<u32>, nested: &Nested) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for (inner, value) in nested.iter().filter(|(r, _)| r.start >= range.start && r.end <= range.end) {
        out.push_str(&source[at as usize..inner.start as usize]);
        out.push_str(value);
        at = inner.end;
    }
    out.push_str(&source[at as usize..range.end as usize]);
    out
}

/// Whether Markdown written after `piece` starts a line (after a hard break
/// and its line prefix).
fn ends_line(piece: &str) -> bool {
    piece.rfind('\n').is_some_and(|at| piece[at + 1..].chars().all(|c| c == ' ' || c == '\t' || c == '>'))
}

/// Escapes text so that it reads as literal text inline: punctuation that
/// could open markup gets a backslash, and so does what would start a block
/// at the start of a line.
pub fn escape(text: &str, line_start: bool, context: Context) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let at_line_start = line_start && i == 0;
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' | '$' => true,
            '|' => context.table,
            '#' if context.heading => true,
            '&' => is_entity(&chars[i + 1..]),
            '#' | '>' | '-' | '+' | '=' => at_line_start,
            '.' | ')' => line_start && chars[..i].iter().all(char::is_ascii_digit) && i > 0 && i <= 9,
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `&` followed by `rest` would read as an entity reference.
fn is_entity(rest: &[char]) -> bool {
    let name = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name > 0 && rest.get(name) == Some(&';')
}

/// A link title's text, escaped for the quotes it stands in.
fn escape_title(text: &str, open: char, in_table: bool) -> String {
    let close = if open == '(' { ')' } else { open };
    let mut out = String::new();
    for c in text.chars() {
        if c == '\\' || c == close || c == open || (c == '|' && in_table) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_could_be_markup() {
        assert_eq!(escape("AT&T uses *stars* and [x]", false, Context::default()), "AT&T uses \\*stars\\* and \\[x\\]");
        assert_eq!(escape("a &amp; b", false, Context::default()), "a \\&amp; b");
        assert_eq!(escape("a | b", false, Context { table: true, heading: false }), "a \\| b");
        assert_eq!(escape("a | b", false, Context::default()), "a | b");
        assert_eq!(escape("价格 $5", false, Context::default()), "价格 \\$5");
    }

    #[test]
    fn escapes_block_starts_at_line_start() {
        assert_eq!(escape("# not a heading", true, Context::default()), "\\# not a heading");
        assert_eq!(escape("- not a list", true, Context::default()), "\\- not a list");
        assert_eq!(escape("2024. was a year", true, Context::default()), "2024\\. was a year");
        assert_eq!(escape("2024. was a year", false, Context::default()), "2024. was a year");
        assert_eq!(escape("> quote", true, Context::default()), "\\> quote");
        assert_eq!(escape("a - b", true, Context::default()), "a - b");
        assert_eq!(escape("C#", false, Context { table: false, heading: true }), "C\\#");
        assert_eq!(escape("C#", false, Context::default()), "C#");
    }

    #[test]
    fn titles_escape_their_quotes() {
        assert_eq!(escape_title("say \"hi\"", '"', false), "say \\\"hi\\\"");
        assert_eq!(escape_title("it's (x) | y", '(', true), "it's \\(x\\) \\| y");
    }

    #[test]
    fn nested_replacements_apply_inside_a_range() {
        let source = "![alt](a.png \"t\")";
        let nested = [(2..5, "替代".to_string()), (14..15, "标题".to_string())];
        assert_eq!(with_nested(source, &(0..17), &nested), "![替代](a.png \"标题\")");
        assert_eq!(with_nested(source, &(6..17), &nested), "(a.png \"标题\")");
    }

    #[test]
    fn a_break_ends_the_line() {
        assert!(ends_line("  \n>   "));
        assert!(!ends_line("a\nb"));
        assert!(!ends_line("**"));
    }
}
