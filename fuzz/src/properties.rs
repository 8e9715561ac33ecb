//! The properties the fuzz targets check, one function per target. Each
//! takes any bytes and panics when the property fails. The same file is
//! compiled into the cargo-fuzz crate (`fuzz/src/lib.rs`, with the host's
//! `doc` module built in) and into the host's stable test
//! `tests/fuzz_smoke.rs` (with `dochost::doc`): both name it `crate::doc`.

use crate::doc::{self, Edit, EditOp, NodeKind, NodeTable};

/// Bytes to text: invalid UTF-8 becomes U+FFFD, as a document the host
/// reads with `--input-encoding` would hold it.
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// parse → node table: never panics; node 0 is the document spanning the
/// source; every span lies on UTF-8 boundaries inside its parent's span;
/// children come after their parent, in source order, without overlap;
/// literal content ranges lie inside the source on boundaries.
pub fn parse(data: &[u8]) {
    let source = text(data);
    let table = doc::parse(&source);
    check_table(&source, &table);
}

fn check_table(source: &str, table: &NodeTable) {
    let root = &table.nodes[0];
    assert_eq!(root.kind, NodeKind::Document);
    assert_eq!(root.span, 0..source.len());
    assert_eq!(root.parent, None);
    let on_boundaries = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= source.len() && source.is_char_boundary(r.start) && source.is_char_boundary(r.end)
    };
    for (id, n) in table.nodes.iter().enumerate() {
        assert!(on_boundaries(&n.span), "node {id} ({}) span {:?} of a {}-byte source", n.kind.name(), n.span, source.len());
        for r in &n.content {
            assert!(on_boundaries(r), "node {id} content {r:?}");
        }
        if id > 0 {
            let parent = n.parent.unwrap_or_else(|| panic!("node {id} has no parent"));
            assert!((parent as usize) < id, "node {id}'s parent {parent} comes after it");
            let p = &table.nodes[parent as usize];
            assert!(table.children(p).contains(&(id as u32)), "node {id} is not among its parent's children");
            assert!(
                p.span.start <= n.span.start && n.span.end <= p.span.end,
                "node {id} ({}) {:?} is not inside its parent {parent} ({}) {:?}",
                n.kind.name(),
                n.span,
                p.kind.name(),
                p.span
            );
        }
        for pair in table.children(n).windows(2) {
            let (a, b) = (&table.nodes[pair[0] as usize], &table.nodes[pair[1] as usize]);
            assert!(pair[0] < pair[1], "children of {id} out of order");
            assert!(a.span.end <= b.span.start, "siblings {} {:?} and {} {:?} overlap", pair[0], a.span, pair[1], b.span);
        }
    }
}

/// A reader of fuzz bytes: numbers and strings until the bytes run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }

    fn number(&mut self) -> usize {
        usize::from(self.byte()) << 8 | usize::from(self.byte())
    }

    fn string(&mut self) -> String {
        let len = usize::from(self.byte() % 24).min(self.0.len());
        let (s, rest) = self.0.split_at(len);
        self.0 = rest;
        text(s)
    }
}

/// Edit application: the first bytes are the document (up to a 0xFF byte),
/// the rest an edit list. Never panics. A result applies every change the
/// host reports, and only them. Edits on nodes that do not exist, and
/// splices outside the document or inside a character, are refused with an
/// error naming the edit. Setting every text-bearing node to its own text
/// changes no byte.
pub fn apply(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let source = text(&data[..split]);
    let table = doc::parse(&source);
    let mut bytes = Bytes(data.get(split + 1..).unwrap_or(&[]));
    let count = usize::from(bytes.byte() % 8);
    let nodes = table.nodes.len();
    let edits: Vec<Edit> = (0..count)
        .map(|_| {
            let kind = bytes.byte() % 9;
            // Now and then a node that does not exist.
            let id = (bytes.number() % (nodes + 2)) as u32;
            let value = bytes.string();
            let op = match kind {
                0 => EditOp::SetText(id, value),
                1 => EditOp::Replace(id, value),
                2 => EditOp::InsertBefore(id, value),
                3 => EditOp::InsertAfter(id, value),
                4 => EditOp::Remove(id),
                5 => EditOp::SetUrl(id, value),
                6 => EditOp::SetTitle(id, value),
                7 => EditOp::SetInfo(id, value),
                _ => {
                    let (a, b) = (bytes.number() % (source.len() + 3), bytes.number() % (source.len() + 3));
                    EditOp::Splice(a.min(b)..a.max(b), value)
                }
            };
            Edit { op, reason: None }
        })
        .collect();

    match doc::apply(&source, &table, &edits) {
        Ok((output, changes)) => {
            let mut rebuilt = String::new();
            let mut copied = 0;
            for change in &changes {
                assert!(copied <= change.range.start && change.range.end <= source.len(), "changes overlap or run past the end");
                rebuilt.push_str(&source[copied..change.range.start]);
                rebuilt.push_str(&change.replacement);
                copied = change.range.end;
            }
            rebuilt.push_str(&source[copied..]);
            assert_eq!(output, rebuilt, "the output is not the source with the reported changes");
            for edit in &edits {
                let id = match &edit.op {
                    EditOp::Splice(r, _) => {
                        assert!(r.end <= source.len() && source.is_char_boundary(r.start) && source.is_char_boundary(r.end));
                        continue;
                    }
                    EditOp::SetText(id, _) | EditOp::Replace(id, _) | EditOp::InsertBefore(id, _) => *id,
                    EditOp::InsertAfter(id, _) | EditOp::Remove(id) | EditOp::SetUrl(id, _) => *id,
                    EditOp::SetTitle(id, _) | EditOp::SetInfo(id, _) => *id,
                };
                assert!((id as usize) < nodes, "an edit of node {id} (of {nodes}) was applied");
            }
        }
        Err(error) => {
            assert!(error.index < edits.len(), "error names edit #{} of {}", error.index, edits.len());
            assert!(!error.problem.is_empty());
        }
    }

    // An edit of a node that does not exist is refused, whatever else.
    let mut refused = edits.clone();
    refused.push(Edit { op: EditOp::Remove(nodes as u32), reason: None });
    let error = doc::apply(&source, &table, &refused).expect_err("an edit of a missing node applied");
    if error.index == edits.len() {
        assert!(error.problem.contains("does not exist"), "{error}");
    }

    // Every text-bearing node set to its own text: not a byte changes.
    let identity: Vec<Edit> = table
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.text.is_some() && n.kind != NodeKind::Document)
        .map(|(id, n)| Edit { op: EditOp::SetText(id as u32, table.string(n.text).unwrap_or_default().to_string()), reason: None })
        .collect();
    match doc::apply(&source, &table, &identity) {
        Ok((output, _)) => assert_eq!(output, source, "setting every text to itself changed bytes"),
        Err(error) => panic!("setting every text to itself was refused: {error}"),
    }
}

/// Documents with one text node reading `PLACEHOLDER` in each context that
/// carries text.
pub const CONTEXTS: &[&str] = &[
    "Before PLACEHOLDER after.\n",
    "PLACEHOLDER\n",
    "# PLACEHOLDER\n",
    "Heading\n=======\n\nSetext PLACEHOLDER\n-------\n",
    "Some *PLACEHOLDER* text.\n",
    "Some **PLACEHOLDER** text.\n",
    "Some ~~PLACEHOLDER~~ text.\n",
    "A [PLACEHOLDER](https://example.com \"t\") link.\n",
    "An ![PLACEHOLDER](image.png) image.\n",
    "A [PLACEHOLDER][ref] link.\n\n[ref]: /x\n",
    "| a | b |\n| --- | --- |\n| PLACEHOLDER | c |\n",
    "- one\n- PLACEHOLDER\n- three\n",
    "1. one\n2. PLACEHOLDER\n",
    "> Quoted PLACEHOLDER text.\n",
    "> - nested\n>   PLACEHOLDER\n",
    "- [ ] task PLACEHOLDER\n",
    "Text[^1].\n\n[^1]: Note PLACEHOLDER.\n",
];

/// What a block reads as: its nodes in order, runs of text and line breaks
/// merged into one string each, empty ones left out; with `set`, node
/// `set.0` reads as having the text `set.1`.
fn reading(table: &NodeTable, block: usize, set: Option<(usize, &str)>) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut stack = vec![block];
    while let Some(id) = stack.pop() {
        let n = &table.nodes[id];
        stack.extend(table.children(n).iter().rev().map(|&c| c as usize));
        let text = match set {
            Some((target, text)) if target == id => Some(text),
            _ => table.string(n.text),
        };
        match n.kind {
            NodeKind::Text => run.push_str(text.unwrap_or("")),
            NodeKind::SoftBreak | NodeKind::HardBreak => run.push('\n'),
            kind => {
                if !run.is_empty() {
                    items.push(format!("text {:?}", std::mem::take(&mut run)));
                }
                items.push(format!("{} {:?} {:?} {:?}", kind.name(), table.string(n.url), table.string(n.title), text));
            }
        }
    }
    if !run.is_empty() {
        items.push(format!("text {:?}", run));
    }
    items
}

/// The innermost block holding node `id`.
fn block_of(table: &NodeTable, id: usize) -> usize {
    let inline = |k: NodeKind| {
        matches!(k, NodeKind::Text | NodeKind::Emphasis | NodeKind::Strong | NodeKind::Strikethrough | NodeKind::Link | NodeKind::Image)
    };
    let mut at = id;
    while inline(table.nodes[at].kind) {
        at = table.nodes[at].parent.expect("inline nodes have a parent") as usize;
    }
    at
}

/// Escaping: set-text of any string in any text context either is refused
/// with an error or reads back, under pulldown-cmark, as exactly that
/// string, in the same structure (no new emphasis, link, block or line).
/// The first byte picks the context; the rest is the string. Known limits
/// the README lists are left out: white space at the edges of the text (a
/// block trims it; next to emphasis delimiters it changes their flanking), `{…}` at the
/// end of a heading (attributes), and a line break in a table cell or an ATX
/// heading (written as `&#10;`, which reads as a line feed character).
/// Blank text is left out too: a block of nothing is no block.
pub fn escape(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let template = CONTEXTS[usize::from(pick) % CONTEXTS.len()];
    let value = text(rest);
    let table = doc::parse(template);
    let id = table
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Text && table.string(n.text).is_some_and(|t| t.contains("PLACEHOLDER")))
        .expect("the template has the placeholder");
    let old = table.string(table.nodes[id].text).unwrap_or_default();
    let new = old.replace("PLACEHOLDER", &value);
    let block = block_of(&table, id);
    let block_kind = table.nodes[block].kind;
    let trims = new.starts_with(char::is_whitespace) || new.ends_with(char::is_whitespace);
    let in_cell_or_heading = matches!(block_kind, NodeKind::TableCell | NodeKind::Heading);
    if trims
        || (in_cell_or_heading && (new.contains(['\n', '\r']) || new.trim_end().ends_with('}')))
        || new.contains('\0')
        || new.trim().is_empty()
    {
        return;
    }
    let edit = Edit { op: EditOp::SetText(id as u32, new.clone()), reason: None };
    let Ok((output, _)) = doc::apply(template, &table, &[edit]) else { return };
    LAST_ESCAPED.with(|last| *last.borrow_mut() = Some((output.clone(), template.replace("PLACEHOLDER", &as_references(&value)))));
    let reread = doc::parse(&output);
    check_table(&output, &reread);
    let start = table.nodes[block].span.start;
    let again = reread
        .nodes
        .iter()
        .position(|n| n.kind == block_kind && n.span.start == start)
        .unwrap_or_else(|| panic!("set-text {new:?} in {template:?} gave {output:?}: the {} is gone", block_kind.name()));
    assert_eq!(
        reading(&reread, again, None),
        reading(&table, block, Some((id, &new))),
        "set-text {new:?} in {template:?} gave {output:?}, which reads differently"
    );
    // Nothing outside the block changed its reading either.
    assert_eq!(reread.nodes.len() - reading_len(&reread, again), table.nodes.len() - reading_len(&table, block));
}

std::thread_local! {
    /// The last document [`escape`] wrote, and the same document with the
    /// string written as character references instead: text in any
    /// Markdown dialect, so another renderer can be held to it.
    pub static LAST_ESCAPED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// ASCII punctuation and white space as numeric character references
/// (`&#x2A;`), which no CommonMark reader takes for markup; other
/// characters as they are (a reference to a noncharacter reads as U+FFFD).
fn as_references(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_ascii_punctuation() || c.is_whitespace() { format!("&#x{:X};", c as u32) } else { c.to_string() })
        .collect()
}

/// How many nodes `block` and its descendants are.
fn reading_len(table: &NodeTable, block: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![block];
    while let Some(id) = stack.pop() {
        count += 1;
        stack.extend(table.children(&table.nodes[id]).iter().map(|&c| c as usize));
    }
    count
}
