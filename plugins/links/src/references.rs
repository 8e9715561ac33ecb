//! Reference links: labels used without a definition, and definitions no
//! link uses. Labels match the CommonMark way: case-folded, inner
//! whitespace collapsed.

use std::ops::Range;

/// A label as CommonMark compares it.
pub fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ß', "ss")
}

/// `[text][label]` and `[label][]` written in raw text (where they stayed
/// text because the label has no definition): each label and the byte
/// range of the whole reference. Escaped brackets and footnotes (`[^x]`)
/// are not references.
pub fn written_references(source: &str) -> Vec<(String, Range<usize>)> {
    let bytes = source.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(mid) = source[from..].find("][").map(|p| from + p) {
        from = mid + 2;
        if escaped(mid) || escaped(mid + 1) {
            continue;
        }
        // The `[` opening the text before `][`.
        let Some(open) = source[..mid].rfind('[') else { continue };
        if escaped(open) || source[open + 1..mid].contains(']') {
            continue;
        }
        let Some(close) = source[mid + 2..].find(']').map(|p| mid + 2 + p) else { continue };
        if escaped(close) || source[mid + 2..close].contains('[') {
            continue;
        }
        let inner = &source[mid + 2..close];
        let label = if inner.trim().is_empty() { &source[open + 1..mid] } else { inner };
        if label.trim().is_empty() || label.starts_with('^') {
            continue;
        }
        out.push((label.to_string(), open..close + 1));
        from = close + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_compare_folded() {
        assert_eq!(normalize_label("  Foo \n  BAR "), "foo bar");
        assert_eq!(normalize_label("Straße"), normalize_label("STRASSE"));
    }

    #[test]
    fn references_written_as_text() {
        let found = written_references(r"See [the guide][guide] and [Setup][] but not \[x\]\[y\], [^note] or [a] alone.");
        let labels: Vec<_> = found.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["guide", "Setup"]);
        let source = "x [文档][设计] y";
        let (_, range) = &written_references(source)[0];
        assert_eq!(&source[range.clone()], "[文档][设计]");
    }
}
