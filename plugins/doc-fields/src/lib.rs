//! Where a Markdown document keeps its own version and last-updated date,
//! and which documents the run changed: shared by the `doc-version` plugin
//! (which bumps them) and `freshness` (which checks that a changed document
//! had them bumped).
//!
//! A field is a label and a value, in one of these places:
//!
//! - front matter: `version: 1.0`, `updated: 2025-11-04` (YAML or TOML;
//!   keys configurable; of the date keys only the first present, in the
//!   order given, is the last-updated date: `date` is often the day a page
//!   was created, so `updated`/`lastmod` win over it);
//! - a bold or italic label and its value: `**版本号**：v1.0`,
//!   `**Last updated:** November 4, 2025`;
//! - a plain label at the start of a line, or after another field and a
//!   separator (`|`, `·`, `,`, `;`, `，`, `；`, `/`): `Version: 1.2 · Last
//!   updated: November 4, 2025`, `版本号：v1.0，最后更新：2025-11-04`;
//! - a table row whose first cell is a label and whose second cell is the
//!   value (`| 最后更新 | 2025-11-04 |`), or a table of one row under a
//!   header of labels (`| 版本 | 最后更新 |` / `| v1.0 | 2025-11-04 |`).
//!
//! A value counts only when nothing but a separator or the end of the line
//! follows it: `**更新时间**：2025-11-04 → 2025-11-05` reports a change,
//! and `**版本号**：保持 v2.0` is prose; neither is a field.

pub mod date;
pub mod version;

use std::collections::BTreeMap;
use std::ops::Range;

use dochost_pdk::{index, Config, Document, NodeId, NodeKind, PluginInfo};

/// The fact under which the host records, for each document, every
/// earlier plugin of the pipeline that changed it.
pub const CHANGED_BY: &str = "dochost:changed-by";

/// Every document earlier stages of the run changed, with the plugins that
/// did, in pipeline order (from the index, so during `transform` only for a
/// tree-wide plugin).
pub fn changed_documents() -> BTreeMap<String, Vec<String>> {
    let mut changed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for fact in index::facts(CHANGED_BY) {
        changed.entry(fact.path).or_default().push(fact.value);
    }
    changed
}

use date::Written;

/// Labels a body field may carry (compared ignoring ASCII case).
pub const VERSION_LABELS: &[&str] = &["版本号", "版本", "文档版本", "文档版本号", "Version", "Document version", "Doc version"];
pub const DATE_LABELS: &[&str] = &[
    "最后更新", "最后更新时间", "最后更新日期", "最近更新", "最近更新时间", "更新时间", "更新日期", "修订日期",
    "Last updated", "Last update", "Last modified", "Updated",
];
const VERSION_KEYS: &str = "version";
const DATE_KEYS: &str = "updated,last-updated,last_updated,lastmod,last_modified,date";

/// Characters that may separate two fields on one line.
const SEPARATORS: &[char] = &['|', '·', '•', ',', ';', '，', '；', '/', '、'];

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Version,
    Date,
}

/// A field's value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `v1.0`, `1.2.3`.
    Version(String),
    Date(Written),
}

/// One place a document keeps its version or date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// A `text` node, or the `front-matter` node.
    pub node: NodeId,
    /// The value's bytes in the node's text (`doc.text(node)`); a time of
    /// day after a date is not part of it.
    pub range: Range<usize>,
    pub value: Value,
}

impl Field {
    pub fn kind(&self) -> Kind {
        match self.value {
            Value::Version(_) => Kind::Version,
            Value::Date(_) => Kind::Date,
        }
    }
}

/// The labels and front-matter keys to look for.
#[derive(Debug, Clone)]
pub struct Labels {
    pub version_keys: Vec<String>,
    pub date_keys: Vec<String>,
    version_labels: Vec<String>,
    date_labels: Vec<String>,
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl Default for Labels {
    fn default() -> Self {
        Labels::new(VERSION_KEYS, DATE_KEYS, "", "")
    }
}

impl Labels {
    /// Front-matter keys and extra body labels, each a comma-separated list
    /// (the extra labels add to [`VERSION_LABELS`] and [`DATE_LABELS`]).
    pub fn new(version_keys: &str, date_keys: &str, version_labels: &str, date_labels: &str) -> Labels {
        let with = |builtin: &[&str], extra: &str| {
            let mut all: Vec<String> = builtin.iter().map(|s| s.to_string()).chain(list(extra)).collect();
            // Longest first, so `最后更新时间` is read before `最后更新`.
            all.sort_by_key(|l| std::cmp::Reverse(l.len()));
            all
        };
        Labels {
            version_keys: list(version_keys),
            date_keys: list(date_keys),
            version_labels: with(VERSION_LABELS, version_labels),
            date_labels: with(DATE_LABELS, date_labels),
        }
    }

    /// Declare the options that choose the labels (`version-keys`,
    /// `date-keys`, `version-labels`, `date-labels`).
    pub fn declare(info: PluginInfo) -> PluginInfo {
        info.option("version-keys", "front-matter keys holding the document's version, comma-separated", Some(VERSION_KEYS))
            .option(
                "date-keys",
                "front-matter keys holding its last-updated date, comma-separated; the first present is used",
                Some(DATE_KEYS),
            )
            .option("version-labels", "more body labels of a version (`**LABEL**：v1.0`), comma-separated", Some(""))
            .option("date-labels", "more body labels of a last-updated date, comma-separated", Some(""))
    }

    /// The labels the options of [`Labels::declare`] choose.
    pub fn from_config(config: &Config) -> Labels {
        Labels::new(
            config.get_or("version-keys", VERSION_KEYS),
            config.get_or("date-keys", DATE_KEYS),
            config.get_or("version-labels", ""),
            config.get_or("date-labels", ""),
        )
    }

    /// The kind of field `text` labels, when it is a label (a trailing
    /// colon and surrounding spaces allowed).
    fn kind_of(&self, text: &str) -> Option<Kind> {
        let text = text.trim().trim_end_matches([':', '：']).trim_end();
        let is = |labels: &[String]| labels.iter().any(|l| l.eq_ignore_ascii_case(text));
        if is(&self.version_labels) {
            Some(Kind::Version)
        } else if is(&self.date_labels) {
            Some(Kind::Date)
        } else {
            None
        }
    }

    /// The longest label at the start of `text` that a colon follows
    /// (spaces between allowed): its kind and where it ends.
    fn label_at(&self, text: &str) -> Option<(Kind, usize)> {
        let kinds = [(Kind::Version, &self.version_labels), (Kind::Date, &self.date_labels)];
        let mut best: Option<(Kind, usize)> = None;
        for (kind, labels) in kinds {
            for label in labels.iter() {
                let Some(head) = text.get(..label.len()) else { continue };
                let rest = &text[label.len()..];
                let word_goes_on = label.ends_with(|c: char| c.is_ascii_alphanumeric()) && rest.starts_with(|c: char| c.is_ascii_alphanumeric());
                let colon = rest.trim_start_matches(' ').starts_with([':', '：']);
                if head.eq_ignore_ascii_case(label) && !word_goes_on && colon && best.is_none_or(|(_, end)| label.len() > end) {
                    best = Some((kind, label.len()));
                }
            }
        }
        best
    }
}

/// A value of `kind` at the start of `text`: its range, the value, and the
/// length it takes with a time of day after a date.
fn value_at(text: &str, kind: Kind) -> Option<(Range<usize>, Value, usize)> {
    // Some documents are versioned by date: a version label may hold one.
    if let Some(written) = Written::parse(text).filter(|w| w.has_day() || kind == Kind::Date) {
        let len = written.len;
        return Some((0..len, Value::Date(written), len + date::time_len(&text[len..])));
    }
    if kind == Kind::Version {
        let len = version::version_len(text)?;
        return Some((0..len, Value::Version(text[..len].to_string()), len));
    }
    None
}

fn skip_spaces(text: &str, at: usize) -> usize {
    text.len() - text[at..].trim_start_matches([' ', '\u{a0}']).len()
}

/// The field of node `id` whose label ends at byte `at` of its text
/// (`text`): spaces, a colon unless the label held it, spaces, the value;
/// and where a next label may start.
fn field_at(id: NodeId, text: &str, at: usize, kind: Kind, colon_needed: bool) -> Option<(Field, usize)> {
    let mut at = skip_spaces(text, at);
    if colon_needed {
        let colon = text[at..].chars().next().filter(|c| matches!(c, ':' | '：'))?;
        at = skip_spaces(text, at + colon.len_utf8());
    }
    let (range, value, len) = value_at(&text[at..], kind)?;
    let next = at + len + after_value(&text[at + len..])?;
    Some((Field { node: id, range: at + range.start..at + range.end, value }, next))
}

/// After a value: how far a next field may start (past spaces and one
/// separator), `Some(len)` when the rest is empty; `None` when prose
/// follows, so the value is no field.
fn after_value(rest: &str) -> Option<usize> {
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\t']);
    if trimmed.is_empty() {
        return Some(rest.len());
    }
    let sep = trimmed.chars().next().filter(|c| SEPARATORS.contains(c))?;
    let after = &trimmed[sep.len_utf8()..];
    Some(rest.len() - after.trim_start_matches([' ', '\u{a0}']).len())
}

/// Every field of `doc`, in document order.
pub fn find(doc: &Document, labels: &Labels) -> Vec<Field> {
    let mut fields = Vec::new();
    for id in doc.ids() {
        match doc.node(id).kind {
            NodeKind::FrontMatter => front_matter(doc, id, labels, &mut fields),
            NodeKind::Strong | NodeKind::Emphasis => after_label(doc, id, labels, &mut fields),
            NodeKind::Text if starts_line(doc, id) => in_text(doc, id, 0, labels, &mut fields),
            NodeKind::Table => table(doc, id, labels, &mut fields),
            _ => {}
        }
    }
    fields.sort_by_key(|f| (f.node, f.range.start));
    fields.dedup_by_key(|f| (f.node, f.range.start));
    fields
}

/// The node right after `id` under the same parent.
fn next_sibling(doc: &Document, id: NodeId) -> Option<NodeId> {
    let parent = doc.node(id).parent?;
    let siblings = doc.children(parent);
    let at = siblings.iter().position(|&s| s == id)?;
    siblings.get(at + 1).copied()
}

/// Whether a text node starts a line of a paragraph, list item or cell.
fn starts_line(doc: &Document, id: NodeId) -> bool {
    let Some(parent) = doc.node(id).parent else { return false };
    if !matches!(doc.node(parent).kind, NodeKind::Paragraph | NodeKind::ListItem | NodeKind::TableCell) {
        return false;
    }
    let siblings = doc.children(parent);
    match siblings.iter().position(|&s| s == id) {
        Some(0) => true,
        Some(at) => matches!(doc.node(siblings[at - 1]).kind, NodeKind::SoftBreak | NodeKind::HardBreak),
        None => false,
    }
}

/// Fields in a text node from byte `at`: a label, a colon, a value, then
/// perhaps a separator and another.
fn in_text(doc: &Document, id: NodeId, mut at: usize, labels: &Labels, out: &mut Vec<Field>) {
    let text = doc.text(id);
    while at < text.len() {
        let Some((kind, end)) = labels.label_at(&text[at..]) else { return };
        let Some((field, next)) = field_at(id, text, at + end, kind, true) else { return };
        out.push(field);
        at = next;
    }
}

/// The words of a label node or cell: its text, or `None` when it holds
/// code (`` `version` `` names a field of something else).
fn label_text(doc: &Document, id: NodeId) -> Option<String> {
    let nodes = doc.descendants(id);
    if nodes.iter().any(|&n| matches!(doc.node(n).kind, NodeKind::Code | NodeKind::InlineHtml | NodeKind::Link)) {
        return None;
    }
    Some(doc.plain_text(id))
}

/// `**版本号**：v1.0`, `**Version:** 1.2`: a bold or italic label, the
/// value in the text right after it.
fn after_label(doc: &Document, id: NodeId, labels: &Labels, out: &mut Vec<Field>) {
    let Some(label) = label_text(doc, id) else { return };
    let Some(kind) = labels.kind_of(&label) else { return };
    let colon_inside = label.trim_end().ends_with([':', '：']);
    let Some(next) = next_sibling(doc, id).filter(|&n| doc.node(n).kind == NodeKind::Text) else { return };
    let Some((field, at)) = field_at(next, doc.text(next), 0, kind, !colon_inside) else { return };
    out.push(field);
    // `**版本号**：v1.0，最后更新：2025-11-04` may go on in the same text.
    in_text(doc, next, at, labels, out);
}

/// The single text node holding a cell's value, with the value's range: the
/// cell's whole text (spaces aside) must be the value.
fn cell_value(doc: &Document, cell: NodeId, kind: Kind) -> Option<Field> {
    let texts: Vec<NodeId> = doc.descendants(cell).into_iter().filter(|&n| doc.node(n).kind == NodeKind::Text).collect();
    let [text_node] = texts[..] else { return None };
    if doc.plain_text(cell).trim() != doc.text(text_node).trim() {
        return None;
    }
    let text = doc.text(text_node);
    let start = text.len() - text.trim_start().len();
    let (range, value, len) = value_at(&text[start..], kind)?;
    text[start + len..].trim().is_empty().then(|| Field { node: text_node, range: start + range.start..start + range.end, value })
}

/// The rows of a table, each a list of cells (the head row first).
fn rows(doc: &Document, table: NodeId) -> Vec<Vec<NodeId>> {
    let mut rows = Vec::new();
    for &child in doc.children(table) {
        let kids = doc.children(child);
        match doc.node(child).kind {
            NodeKind::TableHead if kids.iter().all(|&k| doc.node(k).kind == NodeKind::TableCell) => rows.push(kids.to_vec()),
            NodeKind::TableHead => rows.extend(kids.iter().map(|&r| doc.children(r).to_vec())),
            NodeKind::TableRow => rows.push(kids.to_vec()),
            _ => {}
        }
    }
    rows
}

/// `| 最后更新 | 2025-11-04 |` rows, or a header of labels over one row of
/// values.
fn table(doc: &Document, id: NodeId, labels: &Labels, out: &mut Vec<Field>) {
    let rows = rows(doc, id);
    let before = out.len();
    for row in &rows {
        if let [label, value, ..] = row[..] {
            let kind = label_text(doc, label).and_then(|text| labels.kind_of(&text));
            if let Some(field) = kind.and_then(|kind| cell_value(doc, value, kind)) {
                out.push(field);
            }
        }
    }
    if out.len() > before || rows.len() != 2 {
        return;
    }
    for (label, value) in rows[0].iter().zip(&rows[1]) {
        let kind = label_text(doc, *label).and_then(|text| labels.kind_of(&text));
        if let Some(field) = kind.and_then(|kind| cell_value(doc, *value, kind)) {
            out.push(field);
        }
    }
}

/// `key: value` (YAML) or `key = value` (TOML) lines at the top level of
/// the front matter.
fn front_matter(doc: &Document, id: NodeId, labels: &Labels, out: &mut Vec<Field>) {
    let text = doc.text(id);
    let toml = doc.node(id).info.as_deref() == Some("toml");
    let mut dates: Vec<(usize, Field)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with([' ', '\t', '#']) {
            continue;
        }
        let Some((key, rest)) = content.split_once(if toml { '=' } else { ':' }) else { continue };
        let key = key.trim().trim_matches(['"', '\'']);
        let version_key = labels.version_keys.iter().any(|k| k == key);
        let date_rank = labels.date_keys.iter().position(|k| k == key);
        if !version_key && date_rank.is_none() {
            continue;
        }
        let lead = rest.len() - rest.trim_start().len();
        let mut at = start + key_end(content, toml) + lead;
        let mut value = rest.trim();
        // A trailing comment, then quotes.
        if let Some(hash) = value.find(" #") {
            value = value[..hash].trim_end();
        }
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            if value.len() < 2 || !value.ends_with(quote) {
                continue;
            }
            value = &value[1..value.len() - 1];
            at += 1;
        }
        let kind = if version_key { Kind::Version } else { Kind::Date };
        let Some((range, parsed, len)) = value_at(value, kind) else { continue };
        if len != value.len() {
            continue;
        }
        let field = Field { node: id, range: at + range.start..at + range.end, value: parsed };
        match date_rank {
            Some(rank) if !version_key => dates.push((rank, field)),
            _ => out.push(field),
        }
    }
    if let Some((_, field)) = dates.into_iter().min_by_key(|(rank, _)| *rank) {
        out.push(field);
    }
}

/// Byte offset just past the `:` or `=` after a front-matter key.
fn key_end(line: &str, toml: bool) -> usize {
    line.find(if toml { '=' } else { ':' }).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_found_with_their_colon_and_value() {
        let labels = Labels::default();
        assert_eq!(labels.label_at("版本号：v1.0"), Some((Kind::Version, "版本号".len())));
        assert_eq!(labels.label_at("Last updated: November 4, 2025"), Some((Kind::Date, 12)));
        assert_eq!(labels.label_at("最后更新时间 ：2025-11-04"), Some((Kind::Date, "最后更新时间".len())));
        assert_eq!(labels.label_at("版本：v1.0"), Some((Kind::Version, "版本".len())));
        assert_eq!(labels.label_at("版本更新：v1.0 → v1.1"), None);
        assert_eq!(labels.label_at("Versions: 3"), None);
        assert_eq!(labels.label_at("Version 1.2"), None);
        assert_eq!(labels.kind_of(" 最后更新： "), Some(Kind::Date));
        assert_eq!(labels.kind_of("版本更新"), None);
    }

    #[test]
    fn a_value_is_a_field_only_at_the_end_of_its_line_or_before_a_separator() {
        assert_eq!(after_value(""), Some(0));
        assert_eq!(after_value("  "), Some(2));
        assert_eq!(after_value(" · Last"), Some(" · ".len()));
        assert_eq!(after_value("，最后更新"), Some("，".len()));
        assert_eq!(after_value(" → 2025-11-05"), None);
        assert_eq!(after_value("（草案）"), None);
    }

    #[test]
    fn version_labels_may_hold_a_date() {
        let (range, value, _) = value_at("2025-11-04", Kind::Version).unwrap();
        assert_eq!(range, 0..10);
        assert!(matches!(value, Value::Date(_)));
        let (_, value, _) = value_at("v1.0", Kind::Version).unwrap();
        assert_eq!(value, Value::Version("v1.0".into()));
        assert!(value_at("v1.0", Kind::Date).is_none());
        let (range, _, len) = value_at("2025-11-04T10:00:00Z", Kind::Date).unwrap();
        assert_eq!((range, len), (0..10, 20));
    }

    #[test]
    fn extra_labels_and_keys_come_from_options() {
        let labels = Labels::new("doc_version", "modified", "修订号", "Reviewed");
        assert_eq!(labels.version_keys, ["doc_version"]);
        assert_eq!(labels.kind_of("修订号"), Some(Kind::Version));
        assert_eq!(labels.kind_of("reviewed:"), Some(Kind::Date));
        assert_eq!(labels.kind_of("最后更新"), Some(Kind::Date), "the built-in labels stay");
    }
}
