//! Applying a plugin's edits to the source.
//!
//! Each edit is resolved to one splice (a byte range and its replacement),
//! all splices are checked against each other, then applied back to front.
//! Bytes outside every splice are copied unchanged.

use std::fmt;
use std::ops::Range;

use super::escape::{self, InlineContext};
use super::model::{LinkKind, Node, NodeKind, NodeTable};
use super::{line_col, lines, minimal, parse, syntax};

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
        .filter_map(|d| table.string(d.label).map(escape::normalize_label))
        .collect();
    let mut changes = Vec::with_capacity(edits.len());
    let mut github = GithubReading::new(table);
    for (index, edit) in edits.iter().enumerate() {
        let fail = |problem: String| EditError { index, edit: edit.op.to_string(), problem };
        let (range, replacement) = resolve(source, table, &labels, &edit.op).map_err(fail)?;
        if let EditOp::SetText(id, _) = &edit.op {
            github.check(source, table, *id, &range, &replacement).map_err(fail)?;
        }
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
        let Some((link, insert)) = relabel(source, table, id) else { continue };
        if relabelled.contains(&link) {
            continue;
        }
        relabelled.push(link);
        added.push((*index, insert_change(insert, edits[*index].reason.clone())));
    }
    added
}

fn insert_change((at, text): (usize, String), reason: Option<String>) -> Change {
    Change { range: at..at, replacement: text, reason }
}

/// For text `id` inside a shortcut (`[foo]`) or collapsed (`[foo][]`)
/// reference link: the link, and where to insert what so that it keeps its
/// label when the text changes.
fn relabel(source: &str, table: &NodeTable, id: u32) -> Option<(u32, (usize, String))> {
    let link = std::iter::successors(table.get(id).and_then(|n| n.parent), |&p| table.nodes[p as usize].parent)
        .find(|&p| matches!(table.nodes[p as usize].kind, NodeKind::Link | NodeKind::Image))?;
    let n = &table.nodes[link as usize];
    let text_start = n.span.start + if n.kind == NodeKind::Image { 2 } else { 1 };
    let (label_end, insert_at) = match n.link_kind {
        Some(LinkKind::Shortcut) => (n.span.end - 1, n.span.end),
        Some(LinkKind::Collapsed) => (n.span.end - 3, n.span.end - 1),
        _ => return None,
    };
    let label = &source[text_start..label_end];
    let text = if n.link_kind == Some(LinkKind::Shortcut) { format!("[{label}]") } else { label.to_string() };
    Some((link, (insert_at, text)))
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
    let settable = matches!(
        n.kind,
        NodeKind::Text
            | NodeKind::Code
            | NodeKind::CodeBlock
            | NodeKind::InlineHtml
            | NodeKind::HtmlBlock
            | NodeKind::MathInline
            | NodeKind::MathBlock
            | NodeKind::FrontMatter
    );
    if settable && table.string(n.text) == Some(value) {
        // Its own text: not a byte moves.
        return Ok((n.span.clone(), source[n.span.clone()].to_string()));
    }
    match n.kind {
        NodeKind::Text if is_autolink_text(table, n) => {
            // An autolink's text is its URL and takes no escapes.
            if value.is_empty() || value.contains(|c: char| c.is_whitespace() || c == '<' || c == '>') {
                return Err("the text of an autolink is its URL: it cannot be empty or contain spaces, `<` or `>`".to_string());
            }
            Ok((n.span.clone(), value.to_string()))
        }
        NodeKind::Text => Ok((n.span.clone(), inline_text(source, table, labels, id, value)?)),
        NodeKind::Code => Ok((n.span.clone(), code_span(source, table, id, value)?)),
        NodeKind::CodeBlock => lines::code_block(source, table, n, value),
        NodeKind::InlineHtml => Ok((n.span.clone(), value.to_string())),
        NodeKind::HtmlBlock => Ok(lines::html_block(source, table, n, value)),
        // Math is TeX, written as is.
        NodeKind::MathInline | NodeKind::MathBlock => {
            let fence = if n.kind == NodeKind::MathBlock { 2 } else { 1 };
            Ok((n.span.start + fence..n.span.end - fence, value.to_string()))
        }
        NodeKind::FrontMatter => front_matter_text(source, table, n, value),
        other => Err(format!(
            "set-text applies to text, code, code-block, html, math and front-matter nodes; node {id} is a {}: use replace for raw Markdown",
            other.name()
        )),
    }
}

/// The first line of a paragraph whose second line reads as a table's
/// delimiter row (`--- | ---`): it is not a table only because the first
/// line has another number of cells.
struct HeaderRisk {
    line: Range<usize>,
    delimiter_cells: usize,
}

impl HeaderRisk {
    /// The cells of the first line once `span` is written as `text`.
    fn cells_with(&self, source: &str, span: &Range<usize>, text: &str) -> usize {
        let line = format!("{}{text}{}", &source[self.line.start..span.start], &source[span.end..self.line.end]);
        row_cells(&line)
    }
}

fn table_header_risk(source: &str, table: &NodeTable, block: u32, n: &Node) -> Option<HeaderRisk> {
    let p = &table.nodes[block as usize];
    if p.kind != NodeKind::Paragraph || source[p.span.start..n.span.start].contains('\n') {
        return None;
    }
    let first_end = p.span.start + source[p.span.start..p.span.end].find('\n')?;
    let second_start = first_end + 1;
    let second_end = source[second_start..p.span.end].find('\n').map_or(p.span.end, |i| second_start + i);
    let second = source[second_start..second_end].trim_start_matches([' ', '\t', '>']).trim_end_matches('\r');
    let cells = delimiter_row_cells(second)?;
    Some(HeaderRisk { line: syntax::line_start(source, p.span.start)..first_end, delimiter_cells: cells })
}

/// The cells of a table row, split at unescaped pipes.
fn row_cells(line: &str) -> usize {
    let row = line.trim_start_matches([' ', '\t', '>']).trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") { &row[..row.len() - 1] } else { row };
    let bytes = row.as_bytes();
    1 + (0..bytes.len()).filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\')).count()
}

/// The number of cells of `line` if it is a table delimiter row.
fn delimiter_row_cells(line: &str) -> Option<usize> {
    let row = line.trim();
    if !row.contains('|') {
        return None;
    }
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    let valid = |c: &&str| {
        let c = c.strip_prefix(':').unwrap_or(c);
        let c = c.strip_suffix(':').unwrap_or(c);
        !c.is_empty() && c.chars().all(|ch| ch == '-')
    };
    cells.iter().all(valid).then_some(cells.len())
}

/// The new source of text node `id` set to `value`: only what changed is
/// escaped and written (see [`minimal::inline_text`]).
fn inline_text(source: &str, table: &NodeTable, labels: &[String], id: u32, value: &str) -> Result<String, String> {
    let n = &table.nodes[id as usize];
    let old = table.string(n.text).unwrap_or("");
    let ctx = inline_context(source, table, id, labels);
    let block = enclosing_block(table, id);
    let texts = || descendants(table, block).filter(|t| t.kind == NodeKind::Text).map(|t| t.span.clone()).collect();
    let write = |ctx: InlineContext<'_>| -> Result<String, minimal::TildeConflict> {
        let written = |escape_uncertain| {
            let w = minimal::inline_text(source, n.span.clone(), texts, old, value, ctx, escape_uncertain)?;
            Ok(w.unwrap_or_else(|| minimal::Written { text: escape::escape_inline(value, ctx), kept_uncertain: false }))
        };
        let first = written(false)?;
        if first.kept_uncertain && !reads_as_set(source, table, block, id, &first.text, value) {
            return Ok(written(true)?.text);
        }
        Ok(first.text)
    };
    // A paragraph whose second line is a table's delimiter row stays a
    // paragraph only while its first line has another number of cells.
    let header = table_header_risk(source, table, block, n);
    let matches_header = |text: &str| header.as_ref().is_some_and(|h| h.cells_with(source, &n.span, text) == h.delimiter_cells);
    // When they match already, pulldown-cmark has not read a table where
    // GitHub does (a tab in the delimiter row): write new text as for a
    // cell, so that a new `|` is escaped.
    let github_table = matches_header(&source[n.span.clone()]);
    let mut written = write(InlineContext { in_table: ctx.in_table || github_table, ..ctx });
    // Otherwise escape the node's pipes if the new text would match.
    if !github_table && written.as_deref().is_ok_and(matches_header) {
        written = write(InlineContext { in_table: true, ..ctx });
        if written.as_deref().is_ok_and(matches_header) {
            let line = header.as_ref().map_or(n.span.start, |h| h.line.start);
            return Err(format!(
                "the new text would turn the paragraph at line {} into a table (its first line would have as many \
                 cells as the `---|---` line under it); escape a `|` of that line with a replace or splice edit",
                line_col(source, line).0
            ));
        }
    }
    // New lines with pipes can form a table's header and delimiter rows
    // that interrupt the paragraph (`a\n|b\n|-`; found by the `escape` fuzz
    // target): then escape the node's pipes.
    // GitHub also takes any line followed by a new delimiter-like line
    // (`|-`) for a table's header, whatever pulldown-cmark reads (found by
    // the escape property under cmark-gfm).
    // (A line of `-`, `:` and `|` only; GitHub takes `:-` without a pipe.)
    let delimiter_lines = |text: &str| {
        text.lines()
            .skip(1)
            .map(|l| l.trim_start_matches([' ', '\t', '>']).trim_end())
            .filter(|l| l.contains('-') && l.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t')))
            .count()
    };
    let new_delimiter = |text: &str| delimiter_lines(text) > delimiter_lines(&source[n.span.clone()]);
    let breaks_block = |text: &str| {
        value.contains(['\n', '\r'])
            && value.contains('|')
            && (new_delimiter(text) || !reads_as_text(source, table, block, id, text, value))
    };
    if written.as_deref().is_ok_and(breaks_block) {
        written = written.map(|text| escape_pipes(&text));
        if written.as_deref().is_ok_and(breaks_block) {
            return Err(format!(
                "the new text would start a table inside the paragraph at line {}; rewrite the paragraph with a replace edit",
                line_col(source, table.nodes[block as usize].span.start).0
            ));
        }
    }
    // GitHub's autolink extension reads a bare URL up to white space or
    // `<`, backslash escapes and references included (`https://x.y\]` links
    // `https://x.y\` and shows the backslash; found by the escape property
    // under cmark-gfm). New text that writes one into such a run is refused.
    if let Ok(text) = &written {
        if escapes_in_bare_urls(text) > escapes_in_bare_urls(&source[n.span.clone()]) {
            return Err(
                "GitHub would render this text differently: an escaped character right after a bare URL becomes part \
                 of the link there; put a space (or `<…>` around the URL) between the URL and what follows"
                    .to_string(),
            );
        }
    }
    written.map_err(|conflict| {
        let (line, column) = line_col(source, conflict.at);
        format!(
            "GitHub would render this edit differently: the single `~` at {line}:{column} is text to \
             pulldown-cmark, but GitHub pairs single tildes of a paragraph into strikethrough and the \
             edit changes what stands next to this one (or removes it); escape the paragraph's single \
             tildes as `\\~` first (a replace or splice edit), or leave the characters around the tilde \
             as they are"
        )
    })
}

/// How many bare URLs (`http://`, `https://`, `www.`, as GitHub's autolink
/// extension finds them: up to white space or `<`) of inline Markdown hold
/// a backslash escape or a character reference.
fn escapes_in_bare_urls(text: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(found) = ["http://", "https://", "www."].iter().filter_map(|p| text[from..].find(p)).min() {
        let start = from + found;
        let run = text[start..].split(|c: char| c.is_whitespace() || c == '<').next().unwrap_or_default();
        // Counted wherever it starts: GitHub links `1http://a.b` too.
        if run.contains('\\') || run.contains("&#") {
            count += 1;
        }
        from = start + run.len().max(1);
    }
    count
}

/// `text` (inline Markdown) with every unescaped `|` escaped.
fn escape_pipes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut backslashes = 0;
    for c in text.chars() {
        if c == '|' && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

/// The new source of code span `id` set to `value`, keeping the source of
/// what did not change (line breaks and indentation included).
fn code_span(source: &str, table: &NodeTable, id: u32, value: &str) -> Result<String, String> {
    let n = &table.nodes[id as usize];
    let old = table.string(n.text).unwrap_or("");
    if value.is_empty() {
        return Err("a code span cannot be empty; remove the node instead".to_string());
    }
    let in_table = table.is_inside(id, NodeKind::TableCell);
    let quotes = table.ancestors(id).filter(|a| a.kind == NodeKind::BlockQuote).count();
    let written = match minimal::code_span(source, n.span.clone(), old, value, quotes, in_table) {
        Some(written) => written,
        None => {
            let fence = source[n.span.clone()].chars().take_while(|&c| c == '`').count();
            escape::code_span(value, fence, in_table)?
        }
    };
    // Code is written as is. A `]` in it can end the label of a paragraph
    // that starts with `[` (a link reference definition if a `:` follows),
    // a `$` can close math that opened before it.
    let block = enclosing_block(table, id);
    let starts_label = table
        .children(&table.nodes[block as usize])
        .first()
        .is_some_and(|&c| source[table.nodes[c as usize].span.start..].starts_with('['));
    let risky = (starts_label && written.contains(']')) || value.matches('$').count() > old.matches('$').count();
    if risky && !reads_as_set(source, table, block, id, &written, value) {
        return Err(format!(
            "the new code would change how the paragraph at line {} reads (a `]` in it can end the `[` that \
             starts the paragraph, making it a link reference definition `[…]:`; a `$` can close math opened \
             before it); rephrase the code or rewrite the paragraph with a replace edit",
            line_col(source, table.nodes[block as usize].span.start).0
        ));
    }
    Ok(written)
}

/// The innermost block holding inline node `id` (paragraph, heading, table
/// cell), where its delimiters may pair.
fn enclosing_block(table: &NodeTable, id: u32) -> u32 {
    std::iter::successors(table.nodes[id as usize].parent, |&p| table.nodes[p as usize].parent)
        .find(|&a| {
            !matches!(
                table.nodes[a as usize].kind,
                NodeKind::Emphasis | NodeKind::Strong | NodeKind::Strikethrough | NodeKind::Link | NodeKind::Image
            )
        })
        .unwrap_or(0)
}

/// What a node reads as: its kind, text, url and title.
type Reading = (NodeKind, Option<String>, Option<String>, Option<String>);

/// Whether the document, with node `id` written as `written`, reads in
/// `block` as before with that node's text set to `value` (same nodes, same
/// texts, urls and titles).
fn reads_as_set(source: &str, table: &NodeTable, block: u32, id: u32, written: &str, value: &str) -> bool {
    let n = &table.nodes[id as usize];
    let mut edited = format!("{}{written}{}", &source[..n.span.start], &source[n.span.end..]);
    if let Some((_, (at, label))) = relabel(source, table, id) {
        // Past the node, so shifted by the change in its length.
        edited.insert_str(at + written.len() - n.span.len(), &label);
    }
    let reread = parse::parse_in(&edited, table.dialect);
    let b = &table.nodes[block as usize];
    let Some(again) = reread.nodes.iter().position(|x| x.kind == b.kind && x.span.start == b.span.start) else { return false };
    let reading = |t: &NodeTable, root: u32, set: Option<(u32, &str)>| -> Vec<Reading> {
        descendant_ids(t, root)
            .map(|i| {
                let x = &t.nodes[i as usize];
                let text = match set {
                    Some((target, v)) if target == i => Some(v.to_string()),
                    _ => t.string(x.text).map(str::to_string),
                };
                (x.kind, text, t.string(x.url).map(str::to_string), t.string(x.title).map(str::to_string))
            })
            .collect()
    };
    reading(table, block, Some((id, value))) == reading(&reread, again as u32, None)
}

/// Like [`reads_as_set`], for a value with line breaks: runs of text and
/// line breaks are compared as the text they read as.
fn reads_as_text(source: &str, table: &NodeTable, block: u32, id: u32, written: &str, value: &str) -> bool {
    let n = &table.nodes[id as usize];
    let edited = format!("{}{written}{}", &source[..n.span.start], &source[n.span.end..]);
    let reread = parse::parse_in(&edited, table.dialect);
    let b = &table.nodes[block as usize];
    let Some(again) = reread.nodes.iter().position(|x| x.kind == b.kind && x.span.start == b.span.start) else { return false };
    let reading = |t: &NodeTable, root: u32, set: Option<(u32, &str)>| {
        let mut items: Vec<Reading> = Vec::new();
        for i in descendant_ids(t, root) {
            let x = &t.nodes[i as usize];
            let text = match (x.kind, set) {
                (_, Some((target, v))) if target == i => v.to_string(),
                (NodeKind::SoftBreak | NodeKind::HardBreak, _) => "\n".to_string(),
                _ => t.string(x.text).unwrap_or_default().to_string(),
            };
            match (x.kind, items.last_mut()) {
                (NodeKind::Text | NodeKind::SoftBreak | NodeKind::HardBreak, Some((NodeKind::Text, Some(run), _, _))) => run.push_str(&text),
                (NodeKind::Text | NodeKind::SoftBreak | NodeKind::HardBreak, _) => items.push((NodeKind::Text, Some(text), None, None)),
                _ => items.push((x.kind, t.string(x.text).map(str::to_string), t.string(x.url).map(str::to_string), t.string(x.title).map(str::to_string))),
            }
        }
        items
    };
    reading(table, block, Some((id, value))) == reading(&reread, again as u32, None)
}

fn descendant_ids(table: &NodeTable, id: u32) -> impl Iterator<Item = u32> + '_ {
    let mut stack = vec![id];
    std::iter::from_fn(move || {
        let n = stack.pop()?;
        stack.extend(table.children(&table.nodes[n as usize]).iter().rev().copied());
        Some(n)
    })
}

/// Node `id` and every node under it.
fn descendants(table: &NodeTable, id: u32) -> impl Iterator<Item = &Node> + '_ {
    descendant_ids(table, id).map(|i| &table.nodes[i as usize])
}

/// How GitHub (cmark-gfm) reads the document where it can differ from
/// dochost's reading under edited text: GitHub has no `$…$` math, so where
/// pulldown-cmark sees math, GitHub sees Markdown (emphasis, code spans)
/// that can also swallow the text around it. Parsed once, and only for a
/// document with math in it.
struct GithubReading {
    needed: bool,
    table: Option<NodeTable>,
}

impl GithubReading {
    fn new(table: &NodeTable) -> Self {
        let needed = table.nodes.iter().any(|n| matches!(n.kind, NodeKind::MathInline | NodeKind::MathBlock));
        GithubReading { needed, table: None }
    }

    /// Refuse a set-text of node `id` (written as `replacement` over
    /// `range`) whose new bytes GitHub would read differently.
    fn check(&mut self, source: &str, ours: &NodeTable, id: u32, range: &Range<usize>, replacement: &str) -> Result<(), String> {
        let n = &ours.nodes[id as usize];
        if !self.needed || !matches!(n.kind, NodeKind::Text | NodeKind::Code | NodeKind::MathInline | NodeKind::MathBlock) {
            return Ok(());
        }
        let Some((changed, written)) = changed_stretch(&source[range.clone()], replacement) else { return Ok(()) };
        let changed = range.start + changed.start..range.start + changed.end;
        // Math changes GitHub's reading of its own paragraph only.
        let block = &ours.nodes[enclosing_block(ours, id) as usize].span;
        let math_here = descendants(ours, enclosing_block(ours, id))
            .any(|m| matches!(m.kind, NodeKind::MathInline | NodeKind::MathBlock) && block.contains(&m.span.start));
        if !math_here {
            return Ok(());
        }
        let github = self.table.get_or_insert_with(|| parse::parse_github(source));
        // The smallest node around the changed bytes. New characters put
        // where a text meets another node (a line break, emphasis) join the
        // text.
        let leaf = |g: &Node| matches!(g.kind, NodeKind::Text | NodeKind::Code);
        let holder = github
            .nodes
            .iter()
            .filter(|g| g.span.start <= changed.start && changed.end <= g.span.end)
            .min_by_key(|g| (changed.is_empty() && !leaf(g), g.span.len(), g.kind != NodeKind::Text))
            .expect("the document node holds every byte");
        let literal = |s: &str| !s.contains(['\\', '&', '`', '\n', '\r']);
        // Written as is, between the bytes that stay around it.
        let around = InlineContext {
            before: source[..changed.start].chars().next_back(),
            after: source[changed.end..].chars().next(),
            ..InlineContext::default()
        };
        let inert_text = |s: &str| !s.contains('$') && escape::inline_plan(s, around).iter().all(|o| *o == escape::Out::Plain);
        let agrees = match (n.kind, holder.kind) {
            (NodeKind::Text, NodeKind::Text) | (NodeKind::Code, NodeKind::Code) => true,
            (NodeKind::Text, NodeKind::Code) => literal(written),
            (NodeKind::MathInline | NodeKind::MathBlock, NodeKind::Text) => inert_text(written),
            (NodeKind::MathInline | NodeKind::MathBlock, NodeKind::Code) => !written.contains('`'),
            _ => false,
        };
        if agrees {
            return Ok(());
        }
        let (line, column) = line_col(source, changed.start);
        let math = ours
            .nodes
            .iter()
            .filter(|m| matches!(m.kind, NodeKind::MathInline | NodeKind::MathBlock))
            .min_by_key(|m| m.span.start.abs_diff(changed.start))
            .map(|m| line_col(source, m.span.start))
            .unwrap_or((line, column));
        Err(format!(
            "GitHub would render this edit differently: the new text at {line}:{column} is {} to pulldown-cmark but {} \
             to GitHub, which has no `$…$` math (pulldown-cmark reads math from {}:{}); make both read it the same \
             first by escaping the `$` signs that are not math as `\\$` (a replace or splice edit), or leave this text \
             as it is",
            reading(n.kind),
            reading(holder.kind),
            math.0,
            math.1
        ))
    }
}

fn reading(kind: NodeKind) -> String {
    match kind {
        NodeKind::Text => "text".to_string(),
        NodeKind::Code => "a code span".to_string(),
        NodeKind::MathInline | NodeKind::MathBlock => "math".to_string(),
        other => format!("part of a {}", other.name()),
    }
}

/// The stretch of `old` that `new` replaces (as a range of `old`) and what
/// replaces it, past their common start and end; `None` when equal.
fn changed_stretch<'a>(old: &str, new: &'a str) -> Option<(Range<usize>, &'a str)> {
    if old == new {
        return None;
    }
    let prefix: usize = old.chars().zip(new.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    Some((prefix..old.len() - suffix, &new[prefix..new.len() - suffix]))
}

/// Where inline text stands, for escaping.
fn inline_context<'a>(source: &str, table: &NodeTable, id: u32, labels: &'a [String]) -> InlineContext<'a> {
    let n = &table.nodes[id as usize];
    let parent = n.parent.map(|p| &table.nodes[p as usize]);
    let siblings = parent.map_or(&[][..], |p| table.children(p));
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

fn front_matter_text(source: &str, table: &NodeTable, n: &Node, value: &str) -> Result<(Range<usize>, String), String> {
    let delimiter = if table.string(n.info) == Some("toml") { "+++" } else { "---" };
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
            let text_end = match table.children(n).last() {
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
                table.string(n.label).unwrap_or("")
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
    let n = &table.nodes[id as usize];
    if table.string(n.url) == Some(url) {
        // Its own url: not a byte moves.
        return Ok((parts.dest.clone(), source[parts.dest].to_string()));
    }
    if matches!(n.link_kind, Some(LinkKind::Autolink | LinkKind::Email)) {
        if url.is_empty() || url.contains([' ', '<', '>']) {
            return Err("an autolink url cannot be empty or contain spaces, `<` or `>`".to_string());
        }
        return Ok((parts.dest, url.to_string()));
    }
    let old = table.string(n.url).unwrap_or("");
    let in_table = table.is_inside(id, NodeKind::TableCell);
    if let Some(written) = minimal::destination(source, parts.dest.clone(), old, url, in_table) {
        return Ok((parts.dest, written));
    }
    Ok((parts.dest, link_destination(url, in_table)))
}

/// A destination that parses back to `url` (in a table cell, where `|`
/// ends the cell unless escaped, when `in_table`).
fn link_destination(url: &str, in_table: bool) -> String {
    let escaped = escape_backslashes_and_entities(url);
    let escaped = if in_table { escaped.replace('|', "\\|") } else { escaped };
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
        // A bare `` ` `` or `$` could close a code span or math opened
        // before the link.
        if (c == '\\' && next.is_none_or(|n| n.is_ascii_punctuation()))
            || (c == '&' && escape::starts_entity(&chars[i + 1..]))
            || c == '`'
            || c == '$'
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
    let old = table.string(table.nodes[id as usize].title);
    let in_table = table.is_inside(id, NodeKind::TableCell);
    if let (Some(range), Some(old), false) = (&parts.title, old, title.is_empty()) {
        if old == title {
            // Its own title: not a byte moves.
            return Ok((range.clone(), source[range.clone()].to_string()));
        }
        if let Some(written) = minimal::title(source, range.clone(), old, title, in_table) {
            return Ok((range.clone(), written));
        }
    }
    let quoted = escape_backslashes_and_entities(title).replace('"', "\\\"");
    let quoted = format!("\"{}\"", if in_table { quoted.replace('|', "\\|") } else { quoted });
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

    fn nth(source: &str, kind: NodeKind, n: usize) -> (u32, String) {
        let table = parse(source);
        let (id, node) = table.nodes.iter().enumerate().filter(|(_, x)| x.kind == kind).nth(n).unwrap();
        (id as u32, table.string(node.text).unwrap_or_default().to_string())
    }

    #[test]
    fn a_one_word_change_is_a_one_word_diff() {
        let src = "- Upgrade Kubernetes 1.28 takes ~3 hours on a cluster of \\<node count\\> nodes &lt;tip&gt; * not a list.\n";
        let (id, text) = nth(src, NodeKind::Text, 0);
        let out = run(src, vec![EditOp::SetText(id, text.replace("1.28", "1.30"))]).unwrap();
        assert_eq!(out, src.replace("1.28", "1.30"));
    }

    #[test]
    fn setting_everything_to_itself_changes_nothing() {
        let src = "* A `$ [the command you\n\t  ran]` &amp; \\* 1~99 \\~\n\n  [a](</x y> 'T\\'s') [b]\n\n[b]: /u&amp;v \"t\"\n";
        let table = parse(src);
        let mut ops = Vec::new();
        for (id, n) in table.nodes.iter().enumerate() {
            let id = id as u32;
            if let Some(text) = table.string(n.text) {
                ops.push(EditOp::SetText(id, text.to_string()));
            }
            if n.kind == NodeKind::LinkDefinition || n.link_kind == Some(LinkKind::Inline) {
                ops.extend(table.string(n.url).map(|u| EditOp::SetUrl(id, u.to_string())));
                ops.extend(table.string(n.title).map(|t| EditOp::SetTitle(id, t.to_string())));
            }
        }
        assert!(ops.len() > 8, "{ops:?}");
        assert_eq!(run(src, ops).unwrap(), src);
    }

    #[test]
    fn urls_and_titles_keep_their_escapes_where_unchanged() {
        let src = "[a](/a\\_b?x=1&amp;y=2 'it\\'s')\n";
        let link = first(src, NodeKind::Link);
        let out = run(src, vec![EditOp::SetUrl(link, "/a_b?x=1&y=3".into()), EditOp::SetTitle(link, "it's new".into())]);
        assert_eq!(out.unwrap(), "[a](/a\\_b?x=1&amp;y=3 'it\\'s new')\n");
    }

    /// pulldown-cmark reads `$HOME … $` as math; GitHub reads emphasis and
    /// a code span.
    const DOLLARS: &str = "will be *$HOME/.cargo/bin*. Ensure that\ndirectory is in your `$PATH` to be able.\n";

    #[test]
    fn edits_github_reads_the_same_way_go_through() {
        let (after, text) = nth(DOLLARS, NodeKind::Text, 1);
        assert_eq!(text, "PATH` to be able.");
        // Outside the code span GitHub sees, and letters inside it.
        let out = run(DOLLARS, vec![EditOp::SetText(after, "PATH` to be ready.".into())]).unwrap();
        assert_eq!(out, DOLLARS.replace("able", "ready"));
        let out = run(DOLLARS, vec![EditOp::SetText(after, "HOME` to be able.".into())]).unwrap();
        assert_eq!(out, DOLLARS.replace("$PATH", "$HOME"));
        let (math, text) = nth(DOLLARS, NodeKind::MathInline, 0);
        let out = run(DOLLARS, vec![EditOp::SetText(math, text.replace("Ensure", "Make sure"))]).unwrap();
        assert_eq!(out, DOLLARS.replace("Ensure", "Make sure"));
    }

    #[test]
    fn text_added_where_a_text_meets_a_line_break_is_text_on_github_too() {
        let src = "See $x$ and\nmore $y$.\n";
        let (id, text) = nth(src, NodeKind::Text, 1);
        assert_eq!(text, " and");
        let out = run(src, vec![EditOp::SetText(id, " and so".into())]).unwrap();
        assert_eq!(out, "See $x$ and so\nmore $y$.\n");
    }

    #[test]
    fn edits_github_would_read_differently_are_refused() {
        let (after, _) = nth(DOLLARS, NodeKind::Text, 1);
        // An escaped `*` in what GitHub reads as code would show its backslash.
        let err = run(DOLLARS, vec![EditOp::SetText(after, "PA*TH` to be able.".into())]).unwrap_err();
        assert!(err.problem.starts_with("GitHub would render this edit differently: the new text at 2:26 is text to pulldown-cmark but a code span to GitHub"), "{}", err.problem);
        assert!(err.problem.contains("math from 1:10") && err.problem.contains("`\\$`"), "{}", err.problem);
        // New TeX that GitHub reads as Markdown.
        let (math, text) = nth(DOLLARS, NodeKind::MathInline, 0);
        let err = run(DOLLARS, vec![EditOp::SetText(math, text.replace("bin", "b_{in}"))]).unwrap_err();
        assert!(err.problem.contains("the new text at 1:24 is math to pulldown-cmark but text to GitHub"), "{}", err.problem);
    }

    #[test]
    fn single_tildes_github_pairs_are_not_moved_silently() {
        let src = "如果是 1~99 之间的数字，1~69 换算成 2001~2069。\n";
        let (id, text) = nth(src, NodeKind::Text, 0);
        let out = run(src, vec![EditOp::SetText(id, text.replace("2001", "2002"))]).unwrap();
        assert_eq!(out, src.replace("2001", "2002"));
        let err = run(src, vec![EditOp::SetText(id, text.replace("1~99", "1 ~ 99"))]).unwrap_err();
        assert!(err.problem.starts_with("GitHub would render this edit differently: the single `~` at 1:6 is text"), "{}", err.problem);
    }

    #[test]
    fn a_paragraph_does_not_become_a_table() {
        // Three cells over a delimiter row of two: a paragraph.
        let src = "a | b | c\n--- | ---\n";
        let (id, _) = nth(src, NodeKind::Text, 0);
        let out = run(src, vec![EditOp::SetText(id, "a | b c".into())]).unwrap();
        assert_eq!(out, "a \\| b c\n--- | ---\n");
        let out = run(src, vec![EditOp::SetText(id, "x | b | c".into())]).unwrap();
        assert_eq!(out, "x | b | c\n--- | ---\n");
    }

    #[test]
    fn bare_brackets_are_escaped_only_when_they_would_now_link() {
        // Not a link as written (the destination has a space); it would be.
        let src = "[link](foo bar) now\n";
        let (id, _) = nth(src, NodeKind::Text, 0);
        let out = run(src, vec![EditOp::SetText(id, "[link](foo_bar) now".into())]).unwrap();
        assert_eq!(out, "\\[link\\](foo_bar) now\n");
        // Not a link because links do not nest; escaping the `]` would
        // let the `[` before it pair with the image's `]`.
        let src = "![[[foo](uri1)](uri2)](uri3)\n";
        let (id, text) = nth(src, NodeKind::Text, 2);
        assert_eq!(text, "](uri2)");
        let out = run(src, vec![EditOp::SetText(id, "](ur2)".into())]).unwrap();
        assert_eq!(out, "![[[foo](uri1)](ur2)](uri3)\n");
    }

    #[test]
    fn code_that_would_end_a_paragraph_label_is_refused() {
        let src = "- [`char::from_digit`](https://x)\n";
        let (id, _) = nth(src, NodeKind::Code, 0);
        let err = run(src, vec![EditOp::SetText(id, "char]:from_digit".into())]).unwrap_err();
        assert!(err.problem.starts_with("the new code would change how the paragraph at line 1 reads"), "{}", err.problem);
        let out = run(src, vec![EditOp::SetText(id, "char::[from]_digit".into())]).unwrap();
        assert_eq!(out, "- [`char::[from]_digit`](https://x)\n");
        let dollars = "Costs $5 and `0x01`, see $ sign.\n";
        let (code, _) = nth(dollars, NodeKind::Code, 0);
        let err = run(dollars, vec![EditOp::SetText(code, "0$x01".into())]).unwrap_err();
        assert!(err.problem.starts_with("the new code would change how the paragraph at line 1 reads"), "{}", err.problem);
    }

    #[test]
    fn new_lines_that_would_form_a_table_have_their_pipes_escaped() {
        let source = "Some ~~x~~ text.\n";
        let text = nth(source, NodeKind::Text, 1).0;
        let out = run(source, vec![EditOp::SetText(text, "a\n|b\n|-\nc".into())]).unwrap();
        assert_eq!(out, "Some ~~a\n\\|b\n\\|-\nc~~ text.\n");
    }

    #[test]
    fn info_strings_are_set() {
        let src = "```\nx\n```\n";
        let id = first(src, NodeKind::CodeBlock);
        assert_eq!(run(src, vec![EditOp::SetInfo(id, "rust".into())]).unwrap(), "```rust\nx\n```\n");
    }
}
