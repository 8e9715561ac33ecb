//! Applying a plugin's edits to the source.
//!
//! Each edit is resolved to one splice (a byte range and its replacement),
//! all splices are checked against each other, then applied back to front.
//! Bytes outside every splice are copied unchanged.

use std::fmt;
use std::ops::Range;

use super::escape::{self, InlineContext};
use super::model::{LinkKind, Node, NodeKind, NodeTable};
use super::{lines, syntax};

/// What an edit does; mirrors the WIT `edit-op`.
#[derive(Debug, Clone, PartialEq)]
pub enum EditOp {
    SetText(u32, String),
    Replace(u32, String),
    InsertBefore(u32, String),
    InsertAfter(u32, String),
    Remove(u32),
    SetUrl(u32, String),
    SetTitle(u32, String),
    SetInfo(u32, String),
    Splice(Range<usize>, String),
}

/// An edit and the reason a plugin gave for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub op: EditOp,
    pub reason: Option<String>,
}

impl fmt::Display for EditOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = |v: &str| {
            let mut s: String = v.chars().take(40).collect();
            if s.len() < v.len() {
                s.push('…');
            }
            format!("{s:?}")
        };
        match self {
            EditOp::SetText(n, v) => write!(f, "set-text(node {n}, {})", short(v)),
            EditOp::Replace(n, v) => write!(f, "replace(node {n}, {})", short(v)),
            EditOp::InsertBefore(n, v) => write!(f, "insert-before(node {n}, {})", short(v)),
            EditOp::InsertAfter(n, v) => write!(f, "insert-after(node {n}, {})", short(v)),
            EditOp::Remove(n) => write!(f, "remove(node {n})"),
            EditOp::SetUrl(n, v) => write!(f, "set-url(node {n}, {})", short(v)),
            EditOp::SetTitle(n, v) => write!(f, "set-title(node {n}, {})", short(v)),
            EditOp::SetInfo(n, v) => write!(f, "set-info(node {n}, {})", short(v)),
            EditOp::Splice(r, v) => write!(f, "splice({}..{}, {})", r.start, r.end, short(v)),
        }
    }
}

/// An edit that could not be applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EditError {
    /// Index of the edit in the plugin's list.
    pub index: usize,
    pub edit: String,
    pub problem: String,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "edit #{} {}: {}", self.index, self.edit, self.problem)
    }
}

impl std::error::Error for EditError {}

/// One applied change, in terms of the source it was applied to.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub range: Range<usize>,
    pub replacement: String,
    pub reason: Option<String>,
}

/// Apply `edits` to `source` (parsed as `table`). Either every edit applies
/// or none does.
pub fn apply(source: &str, table: &NodeTable, edits: &[Edit]) -> Result<(String, Vec<Change>), EditError> {
    // Link labels decide whether brackets in new text could form a link.
    let labels: Vec<String> = table
        .nodes
        .iter()
        .filter(|d| d.kind == NodeKind::LinkDefinition)
        .filter_map(|d| d.label.as_deref().map(escape::normalize_label))
        .collect();
    let mut changes = Vec::with_capacity(edits.len());
    for (index, edit) in edits.iter().enumerate() {
        let fail = |problem: String| EditError { index, edit: edit.op.to_string(), problem };
        let (range, replacement) = resolve(source, table, &labels, &edit.op).map_err(fail)?;
        if range.end > source.len() || range.start > range.end {
            return Err(fail(format!(
                "span {}..{} is outside the document ({} bytes)",
                range.start,
                range.end,
                source.len()
            )));
        }
        if !source.is_char_boundary(range.start) || !source.is_char_boundary(range.end) {
            return Err(fail(format!("span {}..{} splits a UTF-8 character", range.start, range.end)));
        }
        changes.push((index, Change { range, replacement, reason: edit.reason.clone() }));
    }
    changes.extend(keep_reference_labels(source, table, edits, &changes));
    // Insertions at a point come before a change starting there; otherwise
    // the plugin's order is kept.
    changes.sort_by_key(|(_, c)| (c.range.start, !c.range.is_empty()));
    for pair in changes.windows(2) {
        let ((ia, a), (ib, b)) = (&pair[0], &pair[1]);
        let overlaps = if a.range.is_empty() || b.range.is_empty() {
            b.range.start < a.range.end || (a.range.start > b.range.start && a.range.start < b.range.end)
        } else {
            b.range.start < a.range.end
        };
        if overlaps {
            let ((first, earlier), (second, later)) = if ia < ib { ((*ia, a), (*ib, b)) } else { ((*ib, b), (*ia, a)) };
            return Err(EditError {
                index: second,
                edit: edits[second].op.to_string(),
                problem: format!(
                    "overlaps edit #{first} {} (bytes {}..{} and {}..{})",
                    edits[first].op, earlier.range.start, earlier.range.end, later.range.start, later.range.end
                ),
            });
        }
    }
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for (_, change) in &changes {
        out.push_str(&source[copied..change.range.start]);
        out.push_str(&change.replacement);
        copied = change.range.end;
    }
    out.push_str(&source[copied..]);
    Ok((out, changes.into_iter().map(|(_, c)| c).collect()))
}

/// A shortcut (`[foo]`) or collapsed (`[foo][]`) reference link finds its
/// definition by the raw bytes of its text. When an edit changes those
/// bytes, the link is turned into a full reference (`[new text][foo]`) so it
/// still points where it did.
fn keep_reference_labels(
    source: &str,
    table: &NodeTable,
    edits: &[Edit],
    changes: &[(usize, Change)],
) -> Vec<(usize, Change)> {
    let mut relabelled: Vec<u32> = Vec::new();
    let mut added = Vec::new();
    for (index, change) in changes {
        let EditOp::SetText(id, _) = edits[*index].op else { continue };
        if source[change.range.clone()] == change.replacement {
            continue;
        }
        let link = std::iter::successors(table.get(id).and_then(|n| n.parent), |&p| table.nodes[p as usize].parent)
            .find(|&p| matches!(table.nodes[p as usize].kind, NodeKind::Link | NodeKind::Image));
        let Some(link) = link else { continue };
        let n = &table.nodes[link as usize];
        let text_start = n.span.start + if n.kind == NodeKind::Image { 2 } else { 1 };
        let (label_end, insert_at) = match n.link_kind {
            Some(LinkKind::Shortcut) => (n.span.end - 1, n.span.end),
            Some(LinkKind::Collapsed) => (n.span.end - 3, n.span.end - 1),
            _ => continue,
        };
        if relabelled.contains(&link) {
            continue;
        }
        relabelled.push(link);
        let label = &source[text_start..label_end];
        let replacement = if n.link_kind == Some(LinkKind::Shortcut) { format!("[{label}]") } else { label.to_string() };
        added.push((*index, Change { range: insert_at..insert_at, replacement, reason: edits[*index].reason.clone() }));
    }
    added
}

fn node(table: &NodeTable, id: u32) -> Result<&Node, String> {
    table.get(id).ok_or_else(|| {
        format!("node {id} does not exist (the document has {} nodes)", table.nodes.len())
    })
}

/// The byte range an edit replaces and what it puts there.
fn resolve(source: &str, table: &NodeTable, labels: &[String], op: &EditOp) -> Result<(Range<usize>, String), String> {
    match op {
        EditOp::Splice(range, value) => Ok((range.clone(), value.clone())),
        EditOp::Replace(id, value) => Ok((node(table, *id)?.span.clone(), value.clone())),
        EditOp::Remove(id) => Ok((node(table, *id)?.span.clone(), String::new())),
        EditOp::InsertBefore(id, value) => {
            let at = node(table, *id)?.span.start;
            Ok((at..at, value.clone()))
        }
        EditOp::InsertAfter(id, value) => {
            let at = node(table, *id)?.span.end;
            Ok((at..at, value.clone()))
        }
        EditOp::SetText(id, value) => set_text(source, table, labels, *id, value),
        EditOp::SetUrl(id, value) => set_url(source, table, *id, value),
        EditOp::SetTitle(id, value) => set_title(source, table, *id, value),
        EditOp::SetInfo(id, value) => set_info(source, node(table, *id)?, value),
    }
}

fn set_text(source: &str, table: &NodeTable, labels: &[String], id: u32, value: &str) -> Result<(Range<usize>, String), String> {
    let n = node(table, id)?;
    let in_table = table.is_inside(id, NodeKind::TableCell);
    match n.kind {
        NodeKind::Text if is_autolink_text(table, n) => {
            // An autolink's text is its URL and takes no escapes.
            if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
                return Err("the text of an autolink is its URL: it cannot be empty or contain spaces, `<` or `>`".to_string());
            }
            Ok((n.span.clone(), value.to_string()))
        }
        NodeKind::Text => Ok((n.span.clone(), escape::escape_inline(value, inline_context(source, table, id, labels)))),
        NodeKind::Code => {
            let fence = source[n.span.clone()].chars().take_while(|&c| c == '`').count();
            Ok((n.span.clone(), escape::code_span(value, fence, in_table)?))
        }
        NodeKind::CodeBlock => lines::code_block(source, n, value),
        NodeKind::InlineHtml => Ok((n.span.clone(), value.to_string())),
        NodeKind::HtmlBlock => Ok(lines::html_block(source, n, value)),
        // Math is TeX, written as is.
        NodeKind::MathInline | NodeKind::MathBlock => {
            let fence = if n.kind == NodeKind::MathBlock { 2 } else { 1 };
            Ok((n.span.start + fence..n.span.end - fence, value.to_string()))
        }
        NodeKind::FrontMatter => front_matter_text(source, n, value),
        other => Err(format!(
            "set-text applies to text, code, code-block, html, math and front-matter nodes; node {id} is a {}: use replace for raw Markdown",
            other.name()
        )),
    }
}

/// Where inline text stands, for escaping.
fn inline_context<'a>(source: &str, table: &NodeTable, id: u32, labels: &'a [String]) -> InlineContext<'a> {
    let n = &table.nodes[id as usize];
    let parent = n.parent.map(|p| &table.nodes[p as usize]);
    let siblings = parent.map_or(&[][..], |p| &p.children[..]);
    let position = siblings.iter().position(|&s| s == id).unwrap_or(0);
    let previous = position.checked_sub(1).map(|i| &table.nodes[siblings[i] as usize]);
    let is_atx = |h: &Node| source[h.span.clone()].starts_with('#');
    let block_start = match previous {
        Some(p) => matches!(p.kind, NodeKind::SoftBreak | NodeKind::HardBreak),
        None => parent.is_some_and(|p| match p.kind {
            NodeKind::Paragraph | NodeKind::ListItem => true,
            NodeKind::Heading => !is_atx(p),
            _ => false,
        }),
    };
    let in_atx_heading = table.ancestors(id).any(|a| a.kind == NodeKind::Heading && is_atx(a));
    InlineContext {
        block_start,
        in_table: table.is_inside(id, NodeKind::TableCell),
        in_atx_heading,
        before: source[..n.span.start].chars().next_back(),
        after: source[n.span.end..].chars().next(),
        in_link: table.ancestors(id).any(|a| matches!(a.kind, NodeKind::Link | NodeKind::Image)),
        labels,
    }
}

fn is_autolink_text(table: &NodeTable, n: &Node) -> bool {
    n.parent
        .and_then(|p| table.get(p))
        .is_some_and(|p| matches!(p.link_kind, Some(LinkKind::Autolink | LinkKind::Email)))
}

fn front_matter_text(source: &str, n: &Node, value: &str) -> Result<(Range<usize>, String), String> {
    let delimiter = if n.info.as_deref() == Some("toml") { "+++" } else { "---" };
    let value = lines::with_final_newline(value);
    if value.lines().any(|l| l.trim_end() == delimiter || (delimiter == "---" && l.trim_end() == "...")) {
        return Err(format!("front matter cannot contain a `{delimiter}` line"));
    }
    let text = &source[n.span.clone()];
    let open_end = n.span.start + text.find('\n').map_or(text.len(), |i| i + 1);
    let close_start = n.span.start + text.rfind('\n').map_or(text.len(), |i| i + 1);
    Ok((open_end..close_start.max(open_end), value))
}

fn link_parts(source: &str, table: &NodeTable, id: u32) -> Result<syntax::LinkParts, String> {
    let n = node(table, id)?;
    let after = match (n.kind, n.link_kind) {
        (NodeKind::LinkDefinition, _) => syntax::after_definition_label(source, n.span.start),
        (NodeKind::Link | NodeKind::Image, Some(LinkKind::Inline)) => {
            let text_end = match n.children.last() {
                Some(&last) => table.nodes[last as usize].span.end,
                None => n.span.start + if n.kind == NodeKind::Image { 2 } else { 1 },
            };
            syntax::after_link_text(source, text_end)
        }
        (NodeKind::Link | NodeKind::Image, Some(kind @ (LinkKind::Reference | LinkKind::Collapsed | LinkKind::Shortcut))) => {
            let style = match kind {
                LinkKind::Reference => "full reference",
                LinkKind::Collapsed => "collapsed reference",
                _ => "shortcut reference",
            };
            return Err(format!(
                "node {id} is a {style} link: its url and title live in the link definition [{}]; edit that link-definition node",
                n.label.as_deref().unwrap_or("")
            ))
        }
        (NodeKind::Link, Some(LinkKind::Autolink | LinkKind::Email)) => {
            return Ok(syntax::LinkParts { dest: n.span.start + 1..n.span.end - 1, title: None })
        }
        (kind, _) => {
            return Err(format!(
                "set-url and set-title apply to links, images and link definitions; node {id} is a {}",
                kind.name()
            ))
        }
    };
    after
        .and_then(|pos| syntax::dest_and_title(source, pos))
        .ok_or_else(|| format!("cannot find the destination of node {id} in the source"))
}

fn set_url(source: &str, table: &NodeTable, id: u32, url: &str) -> Result<(Range<usize>, String), String> {
    let parts = link_parts(source, table, id)?;
    if url.contains(['\n', '\r']) {
        return Err("a url cannot contain a line break".to_string());
    }
    if matches!(table.nodes[id as usize].link_kind, Some(LinkKind::Autolink | LinkKind::Email)) {
        if url.is_empty() || url.contains([' ', '<', '>']) {
            return Err("an autolink url cannot be empty or contain spaces, `<` or `>`".to_string());
        }
        return Ok((parts.dest, url.to_string()));
    }
    Ok((parts.dest, link_destination(url)))
}

/// A destination that parses back to `url`.
fn link_destination(url: &str) -> String {
    let escaped = escape_backslashes_and_entities(url);
    let mut depth = 0i32;
    let balanced = url.chars().all(|c| {
        depth += match c { '(' => 1, ')' => -1, _ => 0 };
        depth >= 0
    }) && depth == 0;
    let plain = !url.is_empty() && balanced && !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<');
    if plain {
        escaped
    } else {
        format!("<{}>", escaped.replace('<', "\\<").replace('>', "\\>"))
    }
}

fn escape_backslashes_and_entities(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1);
        if (c == '\\' && next.is_none_or(|n| n.is_ascii_punctuation()))
            || (c == '&' && escape::starts_entity(&chars[i + 1..]))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn set_title(source: &str, table: &NodeTable, id: u32, title: &str) -> Result<(Range<usize>, String), String> {
    let parts = link_parts(source, table, id)?;
    if matches!(table.nodes[id as usize].link_kind, Some(LinkKind::Autolink | LinkKind::Email)) {
        return Err(format!("node {id} is an autolink, which cannot have a title; replace it with an inline link"));
    }
    if title.contains("\n\n") || title.contains("\r\n\r\n") {
        return Err("a title cannot contain a blank line".to_string());
    }
    let quoted = format!("\"{}\"", escape_backslashes_and_entities(title).replace('"', "\\\""));
    Ok(match (parts.title, title.is_empty()) {
        (Some(old), true) => (parts.dest.end..old.end, String::new()),
        (Some(old), false) => (old, quoted),
        (None, true) => (parts.dest.end..parts.dest.end, String::new()),
        (None, false) => (parts.dest.end..parts.dest.end, format!(" {quoted}")),
    })
}

fn set_info(source: &str, n: &Node, info: &str) -> Result<(Range<usize>, String), String> {
    let fence = (n.kind == NodeKind::CodeBlock)
        .then(|| syntax::opening_fence(source, n.span.start))
        .flatten()
        .ok_or_else(|| format!("set-info applies to fenced code blocks; this is a {}", n.kind.name()))?;
    if info.contains(['\n', '\r']) {
        return Err("an info string cannot contain a line break".to_string());
    }
    if fence.ch == '`' && info.contains('`') {
        return Err("the info string of a ``` fence cannot contain a backtick".to_string());
    }
    Ok((fence.info, info.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::parse::parse;

    fn run(source: &str, ops: Vec<EditOp>) -> Result<String, EditError> {
        let table = parse(source);
        let edits: Vec<Edit> = ops.into_iter().map(|op| Edit { op, reason: None }).collect();
        apply(source, &table, &edits).map(|(s, _)| s)
    }

    fn first(source: &str, kind: NodeKind) -> u32 {
        parse(source).nodes.iter().position(|n| n.kind == kind).unwrap() as u32
    }

    #[test]
    fn no_edits_keep_every_byte() {
        let src = "# T\r\n\r\n* a\r\n\t* b\r\n";
        assert_eq!(run(src, vec![]).unwrap(), src);
    }

    #[test]
    fn set_text_escapes_for_context() {
        let src = "Hello *world*\n";
        let id = first(src, NodeKind::Text);
        assert_eq!(run(src, vec![EditOp::SetText(id, "# [x](y)".into())]).unwrap(), "\\# \\[x\\](y)*world*\n");
    }

    #[test]
    fn overlapping_edits_are_rejected_with_both_named() {
        let src = "Hello\n";
        let text = first(src, NodeKind::Text);
        let para = first(src, NodeKind::Paragraph);
        let err = run(src, vec![EditOp::SetText(text, "a".into()), EditOp::Remove(para)]).unwrap_err();
        assert_eq!(err.index, 1);
        assert!(err.problem.starts_with("overlaps edit #0 set-text(node 2"), "{}", err.problem);
    }

    #[test]
    fn missing_nodes_and_outside_spans_are_rejected() {
        let err = run("x\n", vec![EditOp::Remove(99)]).unwrap_err();
        assert_eq!(err.problem, "node 99 does not exist (the document has 3 nodes)");
        let err = run("x\n", vec![EditOp::Splice(1..10, String::new())]).unwrap_err();
        assert_eq!(err.problem, "span 1..10 is outside the document (2 bytes)");
    }

    #[test]
    fn inserts_at_the_same_point_keep_plugin_order() {
        let src = "a\n";
        let p = first(src, NodeKind::Paragraph);
        let out = run(src, vec![EditOp::InsertBefore(p, "1".into()), EditOp::InsertBefore(p, "2".into())]);
        assert_eq!(out.unwrap(), "12a\n");
    }

    #[test]
    fn reference_links_keep_their_label_when_their_text_changes() {
        let src = "[it's] and [b][]\n\n[it's]: /x\n[b]: /y\n";
        let table = parse(src);
        let texts: Vec<u32> = (0..table.nodes.len() as u32).filter(|&i| table.nodes[i as usize].kind == NodeKind::Text).collect();
        let out = run(src, vec![EditOp::SetText(texts[0], "it’s".into()), EditOp::SetText(texts[2], "c*".into())]);
        assert_eq!(out.unwrap(), "[it’s][it's] and [c\\*][b]\n\n[it's]: /x\n[b]: /y\n");
    }

    #[test]
    fn urls_and_titles_are_rewritten_in_place() {
        let src = "[a](/old \"T\") and [b]\n\n[b]: /def\n";
        let link = first(src, NodeKind::Link);
        let def = first(src, NodeKind::LinkDefinition);
        let out = run(src, vec![
            EditOp::SetUrl(link, "/new path".into()),
            EditOp::SetTitle(link, "Say \"hi\"".into()),
            EditOp::SetUrl(def, "/d2".into()),
        ]);
        assert_eq!(out.unwrap(), "[a](</new path> \"Say \\\"hi\\\"\") and [b]\n\n[b]: /d2\n");
    }

    #[test]
    fn reference_links_point_to_their_definition() {
        let src = "[b]\n\n[b]: /def\n";
        let link = first(src, NodeKind::Link);
        let err = run(src, vec![EditOp::SetUrl(link, "/x".into())]).unwrap_err();
        assert!(err.problem.contains("edit that link-definition node"), "{}", err.problem);
    }

    #[test]
    fn info_strings_are_set() {
        let src = "```\nx\n```\n";
        let id = first(src, NodeKind::CodeBlock);
        assert_eq!(run(src, vec![EditOp::SetInfo(id, "rust".into())]).unwrap(), "```rust\nx\n```\n");
    }
}
