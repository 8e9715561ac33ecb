//! Locating the parts of a node's markup in the source: a link's destination
//! and title, a fence and its info string, front-matter delimiters.
//!
//! pulldown-cmark gives each node's whole span; edits that change one part
//! (a URL, an info string) need the exact bytes of that part.

use std::ops::Range;

/// Where a destination and optional title sit in a link, image or link
/// definition.
#[derive(Debug, PartialEq)]
pub struct LinkParts {
    pub dest: Range<usize>,
    /// The title including its delimiters, if there is one.
    pub title: Option<Range<usize>>,
}

/// Parse `dest "title"` starting at `pos` (after `(` or `]:`).
pub fn dest_and_title(source: &str, pos: usize) -> Option<LinkParts> {
    let bytes = source.as_bytes();
    let mut i = skip_space(bytes, pos, true);
    let dest_start = i;
    if bytes.get(i) == Some(&b'<') {
        i += 1;
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i] == b'\n' {
                return None;
            }
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i += 1;
    } else {
        let mut depth = 0usize;
        while i < bytes.len() && bytes[i] > b' ' {
            match bytes[i] {
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
    }
    let dest = dest_start..i.min(bytes.len());
    let j = skip_space(bytes, dest.end, true);
    let close = match bytes.get(j) {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        Some(b'(') => b')',
        _ => return Some(LinkParts { dest, title: None }),
    };
    let mut k = j + 1;
    while k < bytes.len() && bytes[k] != close {
        k += if bytes[k] == b'\\' { 2 } else { 1 };
    }
    let title = (k < bytes.len()).then(|| j..k + 1);
    Some(LinkParts { dest, title })
}

fn skip_space(bytes: &[u8], mut i: usize, allow_newline: bool) -> usize {
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t' || (allow_newline && (bytes[i] == b'\n' || bytes[i] == b'\r'))) {
        i += 1;
    }
    i
}

/// The position just after `](` of an inline link or image whose text ends
/// at `text_end`, if the link is written inline.
pub fn after_link_text(source: &str, text_end: usize) -> Option<usize> {
    source[text_end..].starts_with("](").then_some(text_end + 2)
}

/// The position just after `]:` of a link reference definition at `start`.
pub fn after_definition_label(source: &str, start: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b']' => return (bytes.get(i + 1) == Some(&b':')).then_some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The opening fence of a fenced code block starting at `start`: its
/// character, length, and the range of the info string (trimmed; empty at
/// the insertion point when there is none).
pub struct Fence {
    pub ch: char,
    pub len: usize,
    pub info: Range<usize>,
    /// End of the opening line, before its line ending.
    pub line_end: usize,
}

pub fn opening_fence(source: &str, start: usize) -> Option<Fence> {
    let rest = &source[start..];
    let ch = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = rest.chars().take_while(|&c| c == ch).count();
    let line_end = start + rest.find(['\n', '\r']).unwrap_or(rest.len());
    let after = start + len;
    let raw = &source[after..line_end];
    let info_start = after + (raw.len() - raw.trim_start().len());
    let info_end = after + raw.trim_end().len();
    Some(Fence { ch, len, info: info_start..info_end.max(info_start), line_end })
}

/// Start of the line holding `pos`.
pub fn line_start(source: &str, pos: usize) -> usize {
    source[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The closing fence of a fenced code block whose content (`lines` lines)
/// starts at `content_start`: (start of its line, start of its fence
/// characters), or `None` when the block runs to the end of its container.
/// Counting the content's lines, rather than looking for a fence, follows
/// the parser exactly (a fence indented four spaces is content).
pub fn closing_fence(source: &str, span: &Range<usize>, content_start: usize, lines: usize, fence: &Fence) -> Option<(usize, usize)> {
    let mut line = content_start;
    for _ in 0..lines {
        line = source[line..span.end].find('\n').map_or(span.end, |i| line + i + 1);
    }
    let rest = &source[line..span.end];
    let fence_at = rest.find(fence.ch)?;
    Some((line, line + fence_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_destination_and_title() {
        let src = "[a](/url \"T\")";
        let parts = dest_and_title(src, 4).unwrap();
        assert_eq!(&src[parts.dest], "/url");
        assert_eq!(&src[parts.title.unwrap()], "\"T\"");
    }

    #[test]
    fn balanced_parens_and_angle_brackets() {
        let src = "(/a(b)c) (<x y>)";
        assert_eq!(&src[dest_and_title(src, 1).unwrap().dest], "/a(b)c");
        assert_eq!(&src[dest_and_title(src, 10).unwrap().dest], "<x y>");
    }

    #[test]
    fn definition_label_end() {
        assert_eq!(after_definition_label("[a\\]b]: /x", 0), Some(7));
    }

    #[test]
    fn fences_and_info() {
        let src = "```rust  \ncode\n```\n";
        let fence = opening_fence(src, 0).unwrap();
        assert_eq!((fence.ch, fence.len, &src[fence.info.clone()]), ('`', 3, "rust"));
        assert_eq!(closing_fence(src, &(0..18), 10, 1, &fence), Some((15, 15)));
        assert_eq!(closing_fence("```\na\n    ```\n", &(0..14), 4, 2, &fence), None);
    }
}
