//! Prose as the checks read it: each paragraph, heading, table cell and
//! tight list item as one string (code spans stand in as one placeholder
//! character, so their numbers are no figures), cut into sentences, with
//! a way back from a range of the string to the source bytes.

use std::ops::Range;

use dochost_pdk::{Document, NodeId, NodeKind, Span};

/// Stands in for inline code, HTML and math.
pub const PLACEHOLDER: char = '\u{fffc}';

/// One block of prose.
#[derive(Debug, Default)]
pub struct Unit {
    pub text: String,
    /// (range in `text`, text node) for each piece of text.
    pieces: Vec<(Range<usize>, NodeId)>,
}

impl Unit {
    fn push(&mut self, doc: &Document, id: NodeId) {
        match doc.node(id).kind {
            NodeKind::Text => {
                let start = self.text.len();
                self.text.push_str(doc.text(id));
                self.pieces.push((start..self.text.len(), id));
            }
            NodeKind::Code | NodeKind::InlineHtml | NodeKind::MathInline => self.text.push(PLACEHOLDER),
            NodeKind::SoftBreak => self.text.push(' '),
            NodeKind::HardBreak => self.text.push('\n'),
            // Alt text and footnote labels are not prose of the sentence.
            NodeKind::Image | NodeKind::FootnoteReference | NodeKind::TaskMarker => {}
            _ => {
                for &child in doc.children(id) {
                    self.push(doc, child);
                }
            }
        }
    }

    /// The text node holding byte `offset` of `text`.
    pub fn node_at(&self, offset: usize) -> Option<NodeId> {
        self.pieces.iter().find(|(r, _)| r.start <= offset && offset < r.end).map(|(_, id)| *id)
    }

    /// The source bytes of `range` (a range of `text`): exact when the text
    /// node it starts in is written verbatim, else that node's span.
    pub fn locate(&self, doc: &Document, range: Range<usize>) -> Span {
        let Some((piece, id)) = self.pieces.iter().find(|(r, _)| r.start <= range.start && range.start < r.end) else {
            let id = self.pieces.first().map_or(0, |(_, id)| *id);
            return doc.span(id);
        };
        let node_text = doc.text(*id);
        let span = doc.span(*id);
        match doc.source_of(*id).find(node_text) {
            Some(offset) if !node_text.is_empty() => {
                let start = span.start as usize + offset + (range.start - piece.start);
                let end = span.start as usize + offset + (range.end.min(piece.end) - piece.start);
                Span { start: start as u32, end: end as u32 }
            }
            _ => span,
        }
    }
}

/// Every unit of prose in `doc`, in document order.
pub fn units(doc: &Document) -> Vec<Unit> {
    let mut units = Vec::new();
    for id in doc.ids() {
        let kind = doc.node(id).kind;
        let mut unit = Unit::default();
        match kind {
            NodeKind::Paragraph | NodeKind::Heading | NodeKind::TableCell => {
                for &child in doc.children(id) {
                    unit.push(doc, child);
                }
            }
            // A tight list item holds its text without a paragraph.
            NodeKind::ListItem => {
                for &child in doc.children(id).iter().take_while(|&&c| doc.node(c).kind.is_inline()) {
                    unit.push(doc, child);
                }
            }
            _ => continue,
        }
        if !unit.pieces.is_empty() {
            units.push(unit);
        }
    }
    units
}

/// The sentences of `text`: cut after `。！？；;` and line breaks, and after
/// `.`, `!`, `?` followed by a space or the end.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = match c {
            '。' | '！' | '？' | '；' | ';' | '\n' => true,
            '.' | '!' | '?' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            if text[start..end].trim().len() > c.len_utf8() {
                out.push(start..end);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` ends with `marker` (ASCII case ignored), spaces after it
/// allowed, and an ASCII word marker is not the end of a longer word.
pub fn ends_with_marker(text: &str, marker: &str) -> bool {
    let text = text.trim_end();
    let Some(start) = text.len().checked_sub(marker.len()) else { return false };
    if !text.is_char_boundary(start) || !text[start..].eq_ignore_ascii_case(marker) {
        return false;
    }
    !(marker.starts_with(is_word) && text[..start].ends_with(is_word))
}

/// Whether `text` starts with `marker` (ASCII case ignored) after spaces,
/// and an ASCII word marker is not the start of a longer word.
pub fn starts_with_marker(text: &str, marker: &str) -> bool {
    let text = text.trim_start();
    let Some(head) = text.get(..marker.len()) else { return false };
    if !head.eq_ignore_ascii_case(marker) {
        return false;
    }
    !(marker.ends_with(is_word) && text[marker.len()..].starts_with(is_word))
}

/// Where `marker` occurs in `text` as a whole word (ASCII case ignored).
pub fn find_marker(text: &str, marker: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let needle = marker.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        let at = from + found;
        let before_ok = !(needle.starts_with(is_word) && lower[..at].ends_with(is_word));
        let after_ok = !(needle.ends_with(is_word) && lower[at + needle.len()..].starts_with(is_word));
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// The last `n` characters of `text`.
pub fn tail(text: &str, n: usize) -> &str {
    let start = text.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &text[start..]
}

/// The first `n` characters of `text`.
pub fn head(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_chinese_and_english_stops() {
        let text = "Alibaba 2022 双 11 压测，90% 延迟。AWS 1.2 ms. Next one；last";
        let cut: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(cut, ["Alibaba 2022 双 11 压测，90% 延迟。", "AWS 1.2 ms.", " Next one；", "last"]);
    }

    #[test]
    fn markers_match_whole_words_ignoring_case() {
        assert!(ends_with_marker("Introduced in ", "introduced in"));
        assert!(!ends_with_marker("within ", "in"));
        assert!(ends_with_marker("相比 ", "相比"));
        assert!(starts_with_marker(" 年起", "年起"));
        assert!(!starts_with_marker("survey", "s"));
        assert_eq!(find_marker("the Latest Istio", "latest"), Some(4));
        assert_eq!(find_marker("datastore data", "data"), Some(10));
        assert_eq!(tail("abc最新", 3), "c最新");
        assert_eq!(head("最新 version", 3), "最新 ");
    }
}
