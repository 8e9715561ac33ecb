//! Walking a document: which text to scan, with which structural context,
//! and turning findings into changes and notes per node.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use dochost_pdk::{Document, LinkKind, NodeId, NodeKind, Severity};

use crate::manifest::Manifest;
use crate::rules;
use crate::scan::{self, Block, Comparative, Finding, Topic, Verdict, PLACEHOLDER};

/// Which part of a node a change rewrites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The node's literal text (`set-text`).
    Text,
    /// The destination of a link, image or link definition (`set-url`).
    Url,
}

/// One rewrite inside a node's text or URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub node: NodeId,
    pub field: Field,
    /// Byte range in the node's text (or URL).
    pub range: Range<usize>,
    pub new: String,
    /// `Kubernetes 1.28 → 1.30`.
    pub reason: String,
}

/// Something to report without editing.
#[derive(Debug, Clone)]
pub struct Note {
    pub node: NodeId,
    pub field: Field,
    pub range: Range<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

/// Everything the plugin wants done to one document.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In document order within each node.
    pub changes: Vec<Change>,
    pub notes: Vec<Note>,
}

/// Options that change what is scanned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also look for product names in inline code and code blocks.
    pub code: bool,
}

/// A finding placed on a node.
struct Hit {
    node: NodeId,
    field: Field,
    finding: Finding,
}

/// Plan the changes for one document.
pub fn plan(doc: &Document, manifest: &Manifest, options: Options) -> Plan {
    let skipped = changelog_sections(doc, manifest);
    let cells = table_cells(doc, manifest);
    let topics = topics(doc, manifest);
    let mut hits: Vec<Hit> = Vec::new();

    // Patterns first: where they and a product name find the same version,
    // the pattern's finding is kept.
    for id in doc.ids().filter(|&id| !skipped[id as usize]) {
        let node = doc.node(id);
        match node.kind {
            NodeKind::FrontMatter | NodeKind::Code | NodeKind::Text => {
                add_patterns(&mut hits, id, Field::Text, doc.text(id), manifest)
            }
            NodeKind::CodeBlock => {
                if let Some(text) = code_to_scan(doc, id, manifest) {
                    add_patterns(&mut hits, id, Field::Text, &text, manifest);
                }
            }
            _ => {}
        }
        if let Some(url) = node.url.as_deref() {
            add_patterns(&mut hits, id, Field::Url, url, manifest);
        }
    }
    // A link whose URL a pattern bumps no longer names an old release: its
    // text follows the URL.
    let bumped_urls: HashSet<NodeId> = hits
        .iter()
        .filter(|h| h.field == Field::Url && matches!(h.finding.verdict, Verdict::Bump(_)))
        .map(|h| h.node)
        .collect();

    for id in doc.ids().filter(|&id| !skipped[id as usize]) {
        let node = doc.node(id);
        let whole = |text: &str, lines_are_clauses| {
            let block = Block { text, lines_are_clauses, ..Default::default() };
            scan::scan(&block, manifest)
        };
        match node.kind {
            NodeKind::FrontMatter => {
                let text = doc.text(id);
                add_block(&mut hits, &[(0..text.len(), id)], &whole(text, true));
            }
            NodeKind::CodeBlock if options.code => {
                if let Some(text) = code_to_scan(doc, id, manifest) {
                    add_block(&mut hits, &[(0..text.len(), id)], &whole(&text, true));
                }
            }
            NodeKind::Code if options.code => {
                let text = doc.text(id);
                add_block(&mut hits, &[(0..text.len(), id)], &whole(text, false));
            }
            kind if is_prose_block(kind) => {
                let cell = cells.get(&id).cloned().unwrap_or_default();
                // A version has digits: most blocks have none, and are not
                // gathered at all.
                if cell.historical || !has_digits(doc, id) {
                    continue;
                }
                let mut text = String::new();
                let mut segments = Vec::new();
                let mut links = Vec::new();
                collect_inline(doc, id, &bumped_urls, &mut text, &mut segments, &mut links);
                if segments.is_empty() {
                    continue;
                }
                // Cells have their own context; only list items use a topic.
                let topic = if kind == NodeKind::TableCell { Topic::None } else { topics[id as usize].clone() };
                let block = Block { text: &text, cell: cell.topic, topic, links, lines_are_clauses: false };
                add_block(&mut hits, &segments, &scan::scan(&block, manifest));
            }
            _ => {}
        }
    }
    hold_by_code(doc, manifest, &mut hits);
    let mut plan = into_plan(hits, manifest);
    if let Some((fm, line)) = dated_page(doc) {
        // A blog post or news item is a snapshot of its day: its versions
        // are history. Said once, so a dated docs page is not silently skipped.
        let stale = plan.changes.len();
        plan = Plan::default();
        if stale > 0 {
            let range = 0..doc.text(fm).len();
            let message = format!("{stale} stale version(s) kept: the front matter dates this page (`{line}`), so it is read as history");
            plan.notes.push(Note { node: fm, field: Field::Text, range, severity: Severity::Info, code: "dated-page", message });
        }
    }
    plan
}

/// Keep a prose bump when the document's code or a link destination holds
/// the same version of the product and stays as it is (`安装 MySQL 8.0`
/// above `brew install mysql@8.0`): bumping one would make the document
/// contradict itself.
fn hold_by_code(doc: &Document, manifest: &Manifest, hits: &mut [Hit]) {
    let is_code = |id: NodeId, field: Field| field == Field::Url || matches!(doc.node(id).kind, NodeKind::Code | NodeKind::CodeBlock);
    let prose_bump = |h: &Hit| !is_code(h.node, h.field) && matches!(h.finding.verdict, Verdict::Bump(_));
    // Most documents bump nothing in prose: their code need not be read.
    if !hits.iter().any(prose_bump) {
        return;
    }
    // (product, version, the snippet that holds it)
    let mut held: Vec<(usize, &str, &str)> = Vec::new();
    for id in doc.ids() {
        let node = doc.node(id);
        let code = is_code(id, Field::Text).then(|| (Field::Text, doc.text(id)));
        let url = node.url.as_deref().map(|url| (Field::Url, url));
        for (field, text) in code.into_iter().chain(url) {
            for (product, snippet, version) in scan::versions_near_names(text, manifest) {
                let bumped = hits.iter().any(|h| {
                    (h.node, h.field) == (id, field)
                        && matches!(h.finding.verdict, Verdict::Bump(_))
                        && h.finding.range.start < version.end
                        && version.start < h.finding.range.end
                });
                if !bumped {
                    held.push((product, &text[version], &text[snippet]));
                }
            }
        }
    }
    for hit in hits.iter_mut().filter(|h| prose_bump(h)) {
        let old = hit.finding.old.as_str();
        let same = |v: &str| v == old || v.strip_prefix(old).is_some_and(|rest| rest.starts_with('.'));
        if let Some((_, _, snippet)) = held.iter().find(|(p, v, _)| *p == hit.finding.product && same(v)) {
            hit.finding.verdict = Verdict::HeldByCode(snippet.to_string());
        }
    }
}

/// The front matter node and line that date the page: a publication date
/// (`date: 2015-02-13`, `pubDate = …`) or a path with one
/// (`path = "2015/02/13/Final-1.0-timeline"`).
fn dated_page(doc: &Document) -> Option<(NodeId, String)> {
    const DATE_KEYS: [&str; 6] = ["date", "pubdate", "publishdate", "published", "published_at", "published_on"];
    const PATH_KEYS: [&str; 4] = ["path", "permalink", "url", "slug"];
    let starts_with_year = |v: &str| v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let has_dated_segment = |v: &str| {
        let parts: Vec<&str> = v.split('/').filter(|p| !p.is_empty()).collect();
        let two_digits = |p: &&str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        parts.windows(3).any(|w| w[0].len() == 4 && starts_with_year(w[0]) && w[1..].iter().all(two_digits))
    };
    front_matter_fields(doc).find_map(|(fm, line, key, value)| {
        let key = key.to_ascii_lowercase();
        let value = value.trim_matches(['"', '\'']);
        let dated = (DATE_KEYS.contains(&key.as_str()) && starts_with_year(value))
            || (PATH_KEYS.contains(&key.as_str()) && has_dated_segment(value));
        dated.then(|| (fm, line.to_string()))
    })
}

/// Every `key: value` or `key = value` line of the front matter (YAML or
/// TOML): its node, and the line, key and value, trimmed.
fn front_matter_fields(doc: &Document) -> impl Iterator<Item = (NodeId, &str, &str, &str)> {
    doc.ids_of(NodeKind::FrontMatter).flat_map(move |fm| {
        doc.text(fm).lines().filter_map(move |line| {
            let (key, value) = line.split_once([':', '='])?;
            Some((fm, line.trim(), key.trim(), value.trim()))
        })
    })
}

/// Nodes whose inline children are read as one piece of prose.
fn is_prose_block(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Paragraph
            | NodeKind::Heading
            | NodeKind::TableCell
            | NodeKind::ListItem
            | NodeKind::BlockQuote
            | NodeKind::FootnoteDefinition
            | NodeKind::Image
    )
}

/// Concatenate the inline content under `id`: text nodes as they are (the
/// segments that can be edited), breaks as spaces, anything else as one
/// placeholder character so it neither joins nor separates words. Nested
/// blocks and images are scanned on their own.
/// Whether a text node below `id` holds an ASCII digit.
fn has_digits(doc: &Document, id: NodeId) -> bool {
    doc.children(id).iter().any(|&c| match doc.node(c).kind {
        NodeKind::Text => doc.text(c).bytes().any(|b| b.is_ascii_digit()),
        _ => has_digits(doc, c),
    })
}

fn collect_inline<'d>(
    doc: &'d Document,
    id: NodeId,
    bumped_urls: &HashSet<NodeId>,
    text: &mut String,
    segments: &mut Vec<(Range<usize>, NodeId)>,
    links: &mut Vec<(Range<usize>, &'d str)>,
) {
    for &child in doc.children(id) {
        let node = doc.node(child);
        match node.kind {
            NodeKind::Text => {
                let start = text.len();
                text.push_str(doc.text(child));
                segments.push((start..text.len(), child));
            }
            NodeKind::SoftBreak | NodeKind::HardBreak => text.push(' '),
            NodeKind::Emphasis | NodeKind::Strong | NodeKind::Strikethrough => {
                collect_inline(doc, child, bumped_urls, text, segments, links)
            }
            NodeKind::Link if !matches!(node.link_kind, Some(LinkKind::Autolink | LinkKind::Email)) => {
                let start = text.len();
                collect_inline(doc, child, bumped_urls, text, segments, links);
                if !bumped_urls.contains(&child) {
                    links.push((start..text.len(), node.url.as_deref().unwrap_or("")));
                }
            }
            NodeKind::TaskMarker => {}
            kind if kind.is_inline() => text.push(PLACEHOLDER),
            _ => {}
        }
    }
}

/// Map block findings back onto the text nodes they fall in; a version split
/// across nodes cannot be rewritten and is dropped.
fn add_block(hits: &mut Vec<Hit>, segments: &[(Range<usize>, NodeId)], findings: &[Finding]) {
    for f in findings {
        let Some((seg, node)) = segments.iter().find(|(r, _)| r.start <= f.range.start && f.range.end <= r.end) else {
            continue;
        };
        let range = f.range.start - seg.start..f.range.end - seg.start;
        hits.push(Hit { node: *node, field: Field::Text, finding: Finding { range, ..f.clone() } });
    }
}

fn add_patterns(hits: &mut Vec<Hit>, node: NodeId, field: Field, text: &str, manifest: &Manifest) {
    for finding in scan::scan_patterns(text, manifest) {
        hits.push(Hit { node, field, finding });
    }
}

/// The text of a code block with output lines blanked (same byte offsets),
/// or `None` for a block that is all output.
fn code_to_scan(doc: &Document, id: NodeId, manifest: &Manifest) -> Option<String> {
    let rules = &manifest.rules;
    let info = doc.node(id).info.as_deref().unwrap_or("");
    let lang = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("");
    if rules.output_info.iter().any(|o| o.eq_ignore_ascii_case(lang)) {
        return None;
    }
    let text = doc.text(id);
    let is_prompt = |line: &str| rules.prompts.iter().any(|p| line.trim_start().starts_with(p.as_str()));
    if !text.lines().any(is_prompt) {
        return Some(text.to_string());
    }
    // A terminal session: command lines are ours, the rest is output.
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if is_prompt(line) {
            out.push_str(line);
        } else {
            out.extend(line.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        }
    }
    Some(out)
}

/// Nodes under a changelog heading (up to the next heading of the same or a
/// higher level), the heading included; every node when the front matter
/// title names a changelog.
fn changelog_sections(doc: &Document, manifest: &Manifest) -> Vec<bool> {
    let markers = &manifest.rules.changelog_headings;
    // Release notes and announcements say so in their title: all history.
    let titled_as_changelog =
        front_matter_fields(doc).any(|(_, _, key, value)| key == "title" && rules::contains_word(value, markers));
    let mut skipped = vec![titled_as_changelog; doc.nodes().len()];
    if titled_as_changelog {
        return skipped;
    }
    let mut within: Option<u8> = None;
    for &top in doc.children(0) {
        let node = doc.node(top);
        if node.kind == NodeKind::Heading {
            let level = node.level.unwrap_or(1);
            if within.is_some_and(|l| level <= l) {
                within = None;
            }
            if within.is_none() && rules::contains_word(&doc.plain_text(top), markers) {
                within = Some(level);
            }
        }
        if within.is_some() {
            for d in doc.descendants(top) {
                skipped[d as usize] = true;
            }
        }
    }
    skipped
}

/// What each list is about, by node id of everything inside it.
///
/// A list is about the products its lead-in (the paragraph, or an item's
/// text, right before it) names; without one, about what the innermost
/// heading above it that names any product names.
fn topics(doc: &Document, manifest: &Manifest) -> Vec<Topic> {
    let mut topics = vec![Topic::None; doc.nodes().len()];
    // The headings open at this point, outermost first.
    let mut open: Vec<(u8, Topic)> = Vec::new();
    let top = doc.children(0);
    for (i, &id) in top.iter().enumerate() {
        let node = doc.node(id);
        if node.kind == NodeKind::Heading {
            let level = node.level.unwrap_or(1);
            open.retain(|(l, _)| *l < level);
            open.push((level, Topic::of(scan::products_named(&doc.plain_text(id), manifest))));
            continue;
        }
        let section = open.iter().rev().map(|(_, t)| t).find(|t| **t != Topic::None).cloned().unwrap_or_default();
        assign_list_topics(doc, &top[..i], id, &section, manifest, &mut topics);
    }
    topics
}

/// Give each list at or under `id` (whose siblings `before` it are given),
/// and everything inside it, its topic; `outer` is the topic of what holds it.
fn assign_list_topics(doc: &Document, before: &[NodeId], id: NodeId, outer: &Topic, manifest: &Manifest, topics: &mut [Topic]) {
    let mut topic = outer.clone();
    if doc.node(id).kind == NodeKind::List {
        if let lead @ (Topic::Product(_) | Topic::Ambiguous(_)) = lead_in_topic(doc, before, manifest) {
            topic = lead;
        }
        for d in doc.descendants(id) {
            topics[d as usize] = topic.clone();
        }
    }
    // A nested list has its own lead-in: the item text before it.
    let children = doc.children(id);
    for (i, &child) in children.iter().enumerate() {
        assign_list_topics(doc, &children[..i], child, &topic, manifest, topics);
    }
}

/// What the paragraph or item text right before a list (its siblings
/// `before`) names.
fn lead_in_topic(doc: &Document, before: &[NodeId], manifest: &Manifest) -> Topic {
    let lead: String = match before.last() {
        Some(&p) if doc.node(p).kind == NodeKind::Paragraph => doc.plain_text(p),
        _ => {
            let inline = before.iter().rev().take_while(|&&n| doc.node(n).kind.is_inline()).count();
            before[before.len() - inline..].iter().map(|&n| doc.plain_text(n)).collect()
        }
    };
    Topic::of(scan::products_named(&lead, manifest))
}

/// What a table says about one of its cells.
#[derive(Debug, Clone, Default)]
struct CellInfo {
    /// For a cell that starts with a version: the product named elsewhere
    /// in the row (or in the column header of a one-row table).
    topic: Topic,
    /// Under a column of past versions ("Before", "更新前") or in a
    /// compatibility matrix.
    historical: bool,
}

fn table_cells(doc: &Document, manifest: &Manifest) -> HashMap<NodeId, CellInfo> {
    let mut info = HashMap::new();
    for table in doc.ids_of(NodeKind::Table) {
        let mut header: Vec<NodeId> = Vec::new();
        let mut rows: Vec<Vec<NodeId>> = Vec::new();
        for &part in doc.children(table) {
            match doc.node(part).kind {
                NodeKind::TableHead => {
                    for &c in doc.children(part) {
                        match doc.node(c).kind {
                            NodeKind::TableCell => header.push(c),
                            NodeKind::TableRow => header.extend(doc.children(c)),
                            _ => {}
                        }
                    }
                }
                NodeKind::TableRow => rows.push(doc.children(part).to_vec()),
                _ => {}
            }
        }
        let header_text: Vec<String> = header.iter().map(|&h| doc.plain_text(h)).collect();
        let texts: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|&c| doc.plain_text(c)).collect()).collect();
        // A column naming one product at several versions (`TiDB 5.0`,
        // `TiDB 5.3` …) is a compatibility matrix: history, not a claim. So
        // is a row, the header included (`| 恢复到 TiDB v6.0 | 恢复到 TiDB v6.1 |`).
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let several_versions = |cells: &mut dyn Iterator<Item = &String>| {
            let mut seen: Vec<(usize, String)> = Vec::new();
            for text in cells {
                for f in scan::scan(&Block { text, ..Default::default() }, manifest) {
                    if seen.iter().any(|(p, v)| *p == f.product && *v != f.old) {
                        return true;
                    }
                    seen.push((f.product, f.old));
                }
            }
            false
        };
        let matrix: Vec<bool> = (0..columns).map(|c| several_versions(&mut texts.iter().filter_map(|row| row.get(c)))).collect();
        // What each column's header says, read once per table.
        let head = |c: usize| header_text.get(c).map(String::as_str).unwrap_or("");
        let past_column: Vec<bool> = (0..columns).map(|c| rules::contains_word(head(c), &manifest.rules.historical_headers)).collect();
        // A row's versions under a past column ("更新前") do not compare.
        let matrix_rows: Vec<bool> = texts
            .iter()
            .map(|row| several_versions(&mut row.iter().enumerate().filter(|(c, _)| !past_column[*c]).map(|(_, t)| t)))
            .collect();
        let column_product: Vec<Option<usize>> = (0..columns).map(|c| scan::names_product(head(c), manifest)).collect();
        // A bare number under a header that is not about versions (`R²`,
        // `p-value`, `延迟`) is a measurement, whatever the row names.
        let version_column: Vec<bool> = (0..columns)
            .map(|c| {
                let head = head(c);
                !head.chars().any(char::is_alphabetic)
                    || rules::contains_word(head, &manifest.rules.version_headers)
                    || column_product[c].is_some()
            })
            .collect();
        let versioned: Vec<Vec<usize>> = texts
            .iter()
            .map(|row| (0..row.len()).filter(|&c| scan::starts_with_version(&row[c], manifest)).collect())
            .collect();
        // The product each cell is (`Kubernetes`, `**Istio**`), if it is one.
        let named: Vec<Vec<Option<usize>>> =
            texts.iter().map(|row| row.iter().map(|t| scan::names_product(t, manifest)).collect()).collect();
        let topics: Vec<Vec<Topic>> = texts
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let versioned_here = &versioned[r];
                let mut products: Vec<usize> = Vec::new();
                let mut product_cell = 0;
                for (c, p) in named[r].iter().enumerate().filter_map(|(c, p)| Some((c, (*p)?))) {
                    if !products.contains(&p) {
                        products.push(p);
                        product_cell = c;
                    }
                }
                // `| Go | xorm | v1.3.1 |`: a name between the product and the
                // version is what the version belongs to (a past column's
                // "未指定版本" is no name).
                let next_to_product = |c: usize| {
                    let between = if c < product_cell { c + 1..product_cell } else { product_cell + 1..c };
                    between.into_iter().all(|b| past_column[b] || !row[b].bytes().any(|x| x.is_ascii_alphabetic()))
                };
                (0..row.len())
                    .map(|c| {
                        if !versioned_here.contains(&c) || !version_column.get(c).copied().unwrap_or(true) {
                            Topic::None
                        } else if let Some(p) = column_product[c] {
                            // A product column with versions down several rows
                            // is a compatibility matrix, not a claim about today.
                            let rows_with_version = versioned.iter().filter(|v| v.contains(&c)).count();
                            if rows_with_version == 1 { Topic::Product(p) } else { Topic::None }
                        } else if versioned_here.len() == 1 && (products.len() != 1 || next_to_product(c)) {
                            // One version in the row: it belongs to the product
                            // the row names, if it names just one.
                            Topic::of(products.clone())
                        } else {
                            // Several versions compare releases.
                            Topic::None
                        }
                    })
                    .collect()
            })
            .collect();
        // A table whose rows each name another product in one column is a
        // stack (`| Kubernetes | 1.28 | Istio 1.20 supports it |`): a row
        // whose own version is being updated is a claim about today, even in
        // a column that reads like a compatibility matrix.
        let is_stack = rows.len() > 1
            && (0..columns).any(|c| {
                let column: Vec<Option<usize>> = named.iter().map(|row| row.get(c).copied().flatten()).collect();
                column.iter().enumerate().all(|(i, p)| p.is_some() && !column[..i].contains(p))
            });
        let row_updated = |r: usize| {
            texts[r].iter().zip(&topics[r]).any(|(text, topic)| {
                let block = Block { text, cell: topic.clone(), ..Default::default() };
                *topic != Topic::None && scan::scan(&block, manifest).iter().any(|f| matches!(f.verdict, Verdict::Bump(_)))
            })
        };
        // A header naming one product at several versions makes the whole
        // table a matrix: its rows are versions too.
        let matrix_header = several_versions(&mut header_text.iter());
        for (r, row) in rows.iter().enumerate() {
            let updated = is_stack && row_updated(r);
            for (c, &cell) in row.iter().enumerate() {
                let historical = matrix_header || past_column[c] || matrix_rows[r] || (matrix[c] && !updated);
                info.insert(cell, CellInfo { topic: topics[r][c].clone(), historical });
            }
        }
        for &h in &header {
            info.entry(h).or_insert(CellInfo { topic: Topic::None, historical: matrix_header });
        }
    }
    info
}

/// Resolve overlaps (patterns were added first and win) and turn findings
/// into changes and notes.
fn into_plan(mut hits: Vec<Hit>, manifest: &Manifest) -> Plan {
    let mut taken: HashMap<(NodeId, Field), Vec<Range<usize>>> = HashMap::new();
    hits.retain(|h| {
        let ranges = taken.entry((h.node, h.field)).or_default();
        let r = &h.finding.range;
        if ranges.iter().any(|o| o.start < r.end && r.start < o.end) {
            return false;
        }
        ranges.push(r.clone());
        true
    });
    hits.sort_by_key(|h| (h.node, h.field == Field::Url, h.finding.range.start));

    let mut plan = Plan::default();
    for Hit { node, field, finding } in hits {
        let product = &manifest.products[finding.product];
        let what = format!("{} {}", product.name, finding.old);
        let target = &product.target_text;
        let note = |severity, code, message: String| Note { node, field, range: finding.range.clone(), severity, code, message };
        match &finding.verdict {
            Verdict::Bump(new) => plan.changes.push(Change {
                node,
                field,
                range: finding.range.clone(),
                new: new.clone(),
                reason: finding.reason(manifest),
            }),
            Verdict::Unwritable => plan.notes.push(note(
                Severity::Warning,
                "stale-version",
                format!("{}: the target cannot be written in this form, update by hand", finding.reason(manifest)),
            )),
            Verdict::Comparative { kind, stale: true } => {
                let (severity, what_it_is) = match kind {
                    Comparative::Floor => (Severity::Info, "a minimum version"),
                    Comparative::Ceiling => (Severity::Info, "an upper bound"),
                    Comparative::Range => (Severity::Warning, "part of a version range"),
                    Comparative::List => (Severity::Info, "part of a list of versions"),
                    Comparative::Transition => (Severity::Info, "one side of a version change"),
                    Comparative::Compatibility => (Severity::Info, "a compatibility claim"),
                };
                plan.notes.push(note(severity, kind.code(), format!("{what} kept: {what_it_is} (target {target})")));
            }
            Verdict::Ambiguous(products) => {
                let names: Vec<&str> = products.iter().map(|&p| manifest.products[p].name.as_str()).collect();
                plan.notes.push(note(
                    Severity::Warning,
                    "version-context-ambiguous",
                    format!(
                        "{} kept: it could be the version of {}, named together around it; update it by hand or name its product",
                        finding.old,
                        names.join(" or ")
                    ),
                ))
            }
            Verdict::HeldByCode(snippet) => plan.notes.push(note(
                Severity::Warning,
                "version-held-by-code",
                format!("{what} kept: the document's code or a link holds it too (`{snippet}`); update them together (target {target})"),
            )),
            Verdict::Pinned { stale: true } => plan.notes.push(note(
                Severity::Warning,
                "pinned-digest",
                format!("{what} kept: pinned by a digest, update tag and digest together (target {target})"),
            )),
            _ => {}
        }
    }
    plan
}
