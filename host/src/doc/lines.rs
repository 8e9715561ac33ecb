//! Rewriting the content of code and HTML blocks line by line.
//!
//! Each source line of such a block holds exactly one line of its content,
//! behind whatever its container puts in front (`> `, list indentation). A
//! line-level diff between the old and new content decides what changes:
//! lines that stay keep their exact source bytes (tabs, prefixes, CRLF);
//! new lines are written behind the container's prefix.

use std::ops::Range;

use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::escape;
use super::model::{Node, NodeTable};
use super::syntax;

/// `value` ending with a line break, as block content does.
pub fn with_final_newline(value: &str) -> String {
    if value.is_empty() || value.ends_with('\n') {
        value.to_string()
    } else {
        format!("{value}\n")
    }
}

/// What the container puts in front of a continuation line, derived from the
/// first line of the node: list markers (`- `, `1. `) become spaces, `>` and
/// tabs stay.
fn container_prefix(source: &str, start: usize) -> String {
    source[syntax::line_start(source, start)..start]
        .chars()
        .map(|c| if matches!(c, '>' | '\t') { c } else { ' ' })
        .collect()
}

/// Set the content of a fenced or indented code block.
pub fn code_block(source: &str, table: &NodeTable, n: &Node, value: &str) -> Result<(Range<usize>, String), String> {
    let value = with_final_newline(value);
    let old = table.string(n.text).unwrap_or("");
    // Content lines lose up to the fence's indentation, and an indented block
    // starts after its indentation: either way the prefix is what stands
    // before the node's first byte.
    let prefix = container_prefix(source, n.span.start);
    let fenced = n.info.is_some();
    let fence = fenced.then(|| syntax::opening_fence(source, n.span.start)).flatten();
    let Some(fence) = fence else {
        let region = syntax::line_start(source, n.span.start)..n.span.end;
        return Ok((region.clone(), rewrite(source, region, old, &value, &prefix)));
    };
    let content_start = source[fence.line_end..n.span.end]
        .find('\n')
        .map_or(n.span.end, |i| fence.line_end + i + 1);
    let closing = syntax::closing_fence(source, &n.span, content_start, old.split_inclusive('\n').count(), &fence);
    let content_end = closing.map_or(n.span.end, |(line, _)| line);
    let mut body = rewrite(source, content_start..content_end, old, &value, &prefix);
    if content_start == n.span.end && !value.is_empty() {
        // An unclosed, empty block at the end of the text: start a line.
        body.insert(0, '\n');
    }
    let fence_len = escape::fence_length(&value, fence.ch, fence.len);
    if fence_len == fence.len {
        return Ok((content_start..content_end, body));
    }
    // The new content holds a fence of its own: lengthen both fences.
    let new_fence = fence.ch.to_string().repeat(fence_len);
    let mut out = new_fence.clone();
    out.push_str(&source[n.span.start + fence.len..content_start]);
    out.push_str(&body);
    if let Some((line, fence_at)) = closing {
        let old_close = source[fence_at..].chars().take_while(|&c| c == fence.ch).count();
        out.push_str(&source[line..fence_at]);
        out.push_str(&new_fence);
        out.push_str(&source[fence_at + old_close..n.span.end]);
    }
    Ok((n.span.clone(), out))
}

/// Set the content of an HTML block (raw HTML, no escaping).
pub fn html_block(source: &str, table: &NodeTable, n: &Node, value: &str) -> (Range<usize>, String) {
    let old = table.string(n.text).unwrap_or("");
    let first = n.content.iter().find(|r| !r.is_empty()).map_or(n.span.start, |r| r.start);
    let region = syntax::line_start(source, first)..n.content.last().map_or(n.span.end, |r| r.end);
    let value = if source[region.clone()].ends_with('\n') { with_final_newline(value) } else { value.to_string() };
    // The block's own indentation is part of its text; keep only the
    // container's share of what stands before the first line.
    let indent = old.len() - old.trim_start_matches([' ', '\t']).len();
    let mut prefix = container_prefix(source, first);
    prefix.truncate(prefix.len().saturating_sub(indent.min(prefix.len())));
    (region.clone(), rewrite(source, region, old, &value, &prefix))
}

/// Lines of `old` (whose source lines fill `region`) become the lines of
/// `new`; unchanged lines keep their source bytes.
fn rewrite(source: &str, region: Range<usize>, old: &str, new: &str, prefix: &str) -> String {
    let src = &source[region];
    let src_lines: Vec<&str> = src.split_inclusive('\n').collect();
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let crlf = src.contains("\r\n");
    let write_new = |line: &str, out: &mut String| {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(body);
        }
        if line.ends_with('\n') {
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
    };
    let mut out = String::with_capacity(new.len() + src.len() / 4);
    if src_lines.len() != old_lines.len() {
        // Not the one-line-per-line shape expected: write everything anew.
        new_lines.iter().for_each(|line| write_new(line, &mut out));
        return out;
    }
    let strip = |l: &&str| l.trim_end_matches(['\n', '\r']).to_string();
    let old_keys: Vec<String> = old_lines.iter().map(strip).collect();
    let new_keys: Vec<String> = new_lines.iter().map(strip).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for k in 0..len {
                    let kept = src_lines[old_index + k];
                    let wants_break = new_lines[new_index + k].ends_with('\n');
                    // The last line may gain or lose its line break.
                    match (kept.ends_with('\n'), wants_break) {
                        (true, false) => out.push_str(kept.trim_end_matches(['\n', '\r'])),
                        (false, true) => {
                            out.push_str(kept);
                            out.push_str(if crlf { "\r\n" } else { "\n" });
                        }
                        _ => out.push_str(kept),
                    }
                }
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert { new_index, new_len, .. } => {
                for line in &new_lines[new_index..new_index + new_len] {
                    write_new(line, &mut out);
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for k in 0..new_len {
                    let line = new_lines[new_index + k];
                    let body = line.trim_end_matches(['\n', '\r']);
                    // A changed line keeps what stood before its content
                    // (its container prefix, tabs and all).
                    let prefix = (k < old_len && !body.is_empty())
                        .then(|| src_lines[old_index + k].trim_end_matches(['\n', '\r']).strip_suffix(old_keys[old_index + k].as_str()))
                        .flatten();
                    match prefix {
                        Some(prefix) => {
                            out.push_str(prefix);
                            out.push_str(body);
                            if line.ends_with('\n') {
                                out.push_str(if crlf { "\r\n" } else { "\n" });
                            }
                        }
                        None => write_new(line, &mut out),
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::doc::{apply, parse, Edit, EditOp, NodeKind};

    fn set_text(source: &str, kind: NodeKind, value: &str) -> String {
        let table = parse(source);
        let id = table.nodes.iter().position(|n| n.kind == kind).unwrap() as u32;
        let edit = Edit { op: EditOp::SetText(id, value.into()), reason: None };
        apply(source, &table, &[edit]).unwrap().0
    }

    #[test]
    fn unchanged_lines_keep_their_bytes() {
        let src = "- a\n\n  ```\n  one\n\ttwo\n  ```\n";
        assert_eq!(set_text(src, NodeKind::CodeBlock, "one\n2\n"), "- a\n\n  ```\n  one\n  2\n  ```\n");
        assert_eq!(set_text(src, NodeKind::CodeBlock, "one\nnew\n  two\n"), "- a\n\n  ```\n  one\n  new\n\ttwo\n  ```\n");
    }

    #[test]
    fn changed_lines_keep_their_own_prefix() {
        let src = "> ```\n>one\n> ```\n";
        assert_eq!(set_text(src, NodeKind::CodeBlock, "two\n"), "> ```\n>two\n> ```\n");
    }

    #[test]
    fn fences_grow_when_the_content_holds_one() {
        let src = "> ```md\n> old\n> ```\n";
        assert_eq!(set_text(src, NodeKind::CodeBlock, "```\nnew\n"), "> ````md\n> ```\n> new\n> ````\n");
    }

    #[test]
    fn indented_code_keeps_its_indent() {
        assert_eq!(set_text("    a\n    b\n", NodeKind::CodeBlock, "a\nc\n"), "    a\n    c\n");
    }

    #[test]
    fn crlf_blocks_get_crlf_lines() {
        assert_eq!(set_text("```\r\nx\r\n```\r\n", NodeKind::CodeBlock, "y\n"), "```\r\ny\r\n```\r\n");
    }

    #[test]
    fn html_blocks_keep_container_prefixes() {
        let src = "> <div>\n> a\n> </div>\n";
        assert_eq!(set_text(src, NodeKind::HtmlBlock, "<div>\nb\n</div>\n"), "> <div>\n> b\n> </div>\n");
    }
}
