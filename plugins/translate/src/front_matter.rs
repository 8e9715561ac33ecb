//! Front-matter values as messages: the top-level keys the user lists
//! (`title`, `description` …) of YAML or TOML front matter, read as written
//! and written back in the same quoting style when that style can hold the
//! translation.

use dochost_pdk::{Document, NodeId};

use crate::message::Token;
use crate::segment::{Place, Segment};

/// How a value is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// YAML plain scalar.
    Plain,
    /// `"…"`: YAML double-quoted or TOML basic string.
    Double,
    /// `'…'`: YAML single-quoted or TOML literal string.
    Single,
}

/// The listed keys' values in the front matter node `id`.
pub fn segments(doc: &Document, id: NodeId, keys: &[String]) -> Vec<Segment> {
    let toml = doc.node(id).info.as_deref() == Some("toml");
    let content = doc.text(id);
    let Some(offset) = doc.source_of(id).find(content) else { return Vec::new() };
    let base = doc.span(id).start as usize + offset;
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in content.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let separator = if toml { '=' } else { ':' };
        let Some((key, rest)) = line.split_once(separator) else { continue };
        let key = key.trim_end();
        if key.starts_with(char::is_whitespace) || !keys.iter().any(|k| k == key.trim_matches('"')) {
            continue;
        }
        let lead = rest.len() - rest.trim_start().len();
        let value_at = at + key.len() + (line.len() - key.len() - rest.len()) + lead;
        let raw = rest.trim();
        let Some((value, style, inner)) = read(raw, toml) else { continue };
        let start = (base + value_at + inner.start) as u32;
        let range = start..start + inner.len() as u32;
        out.push(Segment {
            place: Place::FrontMatter(style, toml),
            node: id,
            range: range.clone(),
            tokens: vec![Token::Text(value)],
            sources: vec![Some(range)],
            codes: Vec::new(),
            notes: vec![format!("front matter `{}`", key.trim_matches('"'))],
            in_table: false,
        });
    }
    out
}

/// A value as written: its decoded text, its style, and where its content
/// (inside any quotes) lies in `raw`. Block scalars, flow collections and
/// values with a trailing comment are not offered.
fn read(raw: &str, toml: bool) -> Option<(String, Style, std::ops::Range<usize>)> {
    let first = raw.chars().next()?;
    let inner = 1..raw.len().checked_sub(1)?;
    match first {
        '"' if raw.len() >= 2 && raw.ends_with('"') => {
            let text = &raw[inner.clone()];
            (!text.contains('\\') && !text.contains('"')).then(|| (text.to_string(), Style::Double, inner))
        }
        '\'' if raw.len() >= 2 && raw.ends_with('\'') => {
            let text = &raw[inner.clone()];
            (!text.contains('\'')).then(|| (text.to_string(), Style::Single, inner))
        }
        _ if toml => None,
        '|' | '>' | '[' | '{' | '&' | '*' | '!' | '%' | '@' | '`' | '#' => None,
        _ if raw.contains(" #") => None,
        _ => Some((raw.to_string(), Style::Plain, 0..raw.len())),
    }
}

/// Writes `text` where a value of `style` stood: in the same style when it
/// can hold it (a plain YAML value that needs quoting gets double quotes);
/// `None` when a TOML literal string cannot hold it.
pub fn write(text: &str, style: Style, toml: bool) -> Option<String> {
    let double = |t: &str| {
        let mut out = String::new();
        for c in t.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
        out
    };
    match style {
        Style::Double => Some(double(text)),
        Style::Single if toml => (!text.contains('\'') && !text.contains('\n')).then(|| text.to_string()),
        Style::Single => Some(text.replace('\'', "''")),
        Style::Plain if plain_is_safe(text) => Some(text.to_string()),
        Style::Plain => Some(format!("\"{}\"", double(text))),
    }
}

/// Whether a YAML plain scalar can hold `text` and read back as the same
/// string.
fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let special = matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~");
    let number = text.parse::<f64>().is_ok();
    !indicator
        && !special
        && !number
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.contains('\n')
        && text.trim() == text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_as_written() {
        assert_eq!(read("测试文档", false), Some(("测试文档".into(), Style::Plain, 0..12)));
        assert_eq!(read("\"A: b\"", false), Some(("A: b".into(), Style::Double, 1..5)));
        assert_eq!(read("'x'", true), Some(("x".into(), Style::Single, 1..2)));
        assert_eq!(read("|", false), None);
        assert_eq!(read("x # note", false), None);
        assert_eq!(read("bare", true), None);
        assert_eq!(read("\"a \\\" b\"", false), None, "escapes are left alone");
    }

    #[test]
    fn quotes_what_needs_quoting() {
        let yaml = |t: &str, style| write(t, style, false).unwrap();
        assert_eq!(yaml("Design: overview", Style::Plain), "\"Design: overview\"");
        assert_eq!(yaml("设计文档", Style::Plain), "设计文档");
        assert_eq!(yaml("yes", Style::Plain), "\"yes\"");
        assert_eq!(yaml("1.30", Style::Plain), "\"1.30\"");
        assert_eq!(yaml("say \"hi\"", Style::Double), "say \\\"hi\\\"");
        assert_eq!(yaml("it's", Style::Single), "it''s");
        assert_eq!(write("it's", Style::Single, true), None, "a TOML literal string cannot hold a quote");
    }
}
