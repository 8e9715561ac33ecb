//! Markdown source → [`NodeTable`], with byte spans, using pulldown-cmark.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, LinkType, MetadataBlockKind, Options, Parser, Tag,
};

use super::model::{LinkKind, Node, NodeKind, NodeTable, StrRef};

/// The Markdown dialect a document is read in: CommonMark plus the GFM
/// extensions, front matter and heading attributes, and `$…$` math unless
/// it is turned off (`[markdown] math = false` in `dochost.toml`, or
/// `--math off`): in docs full of shell variables, `$HOME … $PATH` is not
/// math.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub math: bool,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect { math: true }
    }
}

impl Dialect {
    /// The default dialect, with math as `--math` or the config file says
    /// when either does.
    pub fn with_math(math: Option<bool>) -> Dialect {
        Dialect { math: math.unwrap_or(Dialect::default().math) }
    }

    /// The pulldown-cmark options of this dialect.
    pub fn options(self) -> Options {
        let always = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
            | Options::ENABLE_GFM;
        if self.math {
            always | Options::ENABLE_MATH
        } else {
            always
        }
    }
}

/// The options of the default [`Dialect`]. Parsing and HTML rendering in
/// tests use the same options, so "renders the same" is well defined.
pub fn options() -> Options {
    Dialect::default().options()
}

/// A link reference definition, which pulldown-cmark reports apart from the
/// event stream.
struct Definition {
    label: String,
    url: String,
    title: Option<String>,
    span: Range<usize>,
}

/// Parse `source` into a node table in the default [`Dialect`]. Never
/// fails: any text is Markdown.
pub fn parse(source: &str) -> NodeTable {
    parse_in(source, Dialect::default())
}

/// Parse `source` in `dialect`; the table remembers it, so edits are
/// checked by reading the edited text the same way.
pub fn parse_in(source: &str, dialect: Dialect) -> NodeTable {
    parse_with(source, dialect.options(), dialect)
}

/// Parse `source` as GitHub reads it, as far as pulldown-cmark can: without
/// `$…$` math and `{#id}` heading attributes, which GitHub does not have.
/// The host uses it to refuse edits GitHub would render differently.
pub(crate) fn parse_github(source: &str) -> NodeTable {
    let dialect = Dialect { math: false };
    parse_with(source, dialect.options().difference(Options::ENABLE_HEADING_ATTRIBUTES), dialect)
}

/// Parse `source` with `options`, the options of `dialect` or a narrower
/// reading of it.
fn parse_with(source: &str, options: Options, dialect: Dialect) -> NodeTable {
    let parser = Parser::new_ext(source, options).into_offset_iter();
    let mut definitions: Vec<Definition> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| Definition {
            label: label.to_string(),
            url: String::from(&*def.dest),
            title: def.title.as_deref().map(String::from),
            span: def.span.clone(),
        })
        .collect();
    definitions.sort_by_key(|d| d.span.start);

    let Spare { mut nodes, strings, child_ids } = SPARE.with(Cell::take);
    nodes.push(Node::new(NodeKind::Document, 0..source.len(), None));
    let mut builder = Builder {
        source,
        nodes,
        strings,
        child_ids,
        stack: vec![(0, 0)],
        open_children: Vec::new(),
        definitions: definitions.into(),
    };
    for (event, range) in parser {
        builder.event(event, range);
    }
    builder.flush_definitions_before(usize::MAX);
    while !builder.stack.is_empty() {
        builder.close();
    }
    let Builder { nodes, strings, child_ids, .. } = builder;
    NodeTable { nodes, strings, child_ids, dialect }
}

/// The buffers of a dropped table, emptied.
#[derive(Default)]
struct Spare {
    nodes: Vec<Node>,
    strings: String,
    child_ids: Vec<u32>,
}

thread_local! {
    /// The buffers of the last table this thread dropped, emptied. A node
    /// is about a hundred bytes, so a large document's table is megabytes:
    /// grown node by node it is copied at every doubling and mapped afresh
    /// for each document; reused it is neither.
    static SPARE: Cell<Spare> = Cell::new(Spare::default());
}

/// Keep a dropped table's buffers, emptied, for the thread's next parse
/// (each the larger of it and the one kept already).
pub(super) fn recycle(mut nodes: Vec<Node>, mut strings: String, mut child_ids: Vec<u32>) {
    nodes.clear();
    strings.clear();
    child_ids.clear();
    // `try_with`: a table dropped while the thread exits is simply freed.
    let _ = SPARE.try_with(|spare| {
        let kept = spare.take();
        spare.set(Spare {
            nodes: if nodes.capacity() >= kept.nodes.capacity() { nodes } else { kept.nodes },
            strings: if strings.capacity() >= kept.strings.capacity() { strings } else { kept.strings },
            child_ids: if child_ids.capacity() >= kept.child_ids.capacity() { child_ids } else { kept.child_ids },
        });
    });
}

struct Builder<'s> {
    source: &'s str,
    nodes: Vec<Node>,
    /// The table's strings so far.
    strings: String,
    /// The children of the closed nodes, each node's together.
    child_ids: Vec<u32>,
    /// Open container nodes, innermost last, each with where its children
    /// start in `open_children`.
    stack: Vec<(u32, usize)>,
    /// The children of the open nodes so far, the outermost's first: a
    /// node's children move to `child_ids` when it closes.
    open_children: Vec<u32>,
    /// Definitions not yet placed, in source order.
    definitions: VecDeque<Definition>,
}

impl Builder<'_> {
    fn top(&self) -> u32 {
        self.stack.last().expect("the document node stays open").0
    }

    /// The children of the open node `top()` so far.
    fn top_children(&self) -> &[u32] {
        &self.open_children[self.stack.last().expect("the document node stays open").1..]
    }

    fn push(&mut self, kind: NodeKind, mut span: Range<usize>) -> u32 {
        let id = self.nodes.len() as u32;
        let parent = self.top();
        // pulldown-cmark can start a block inside the one before it (tabs
        // after a list marker: in `-\t\t*\t\n\t*\t\n` the nested list starts
        // at the first line's `\n`, inside the code block there): a node
        // starts no earlier than its previous sibling ends, so siblings
        // never overlap (found by the `parse` fuzz target).
        let p = &self.nodes[parent as usize];
        let floor = self.top_children().last().map_or(p.span.start, |&c| self.nodes[c as usize].span.end).max(p.span.start);
        if span.start < floor {
            span = floor..span.end.max(floor);
        }
        self.open_children.push(id);
        self.nodes.push(Node::new(kind, span, Some(parent)));
        id
    }

    /// Open node `id`, just pushed: what follows goes inside it.
    fn open(&mut self, id: u32) {
        self.stack.push((id, self.open_children.len()));
    }

    /// Close the innermost open node: its children move to `child_ids`.
    fn close(&mut self) {
        let (id, first) = self.stack.pop().expect("a node is open");
        let start = self.child_ids.len() as u32;
        self.child_ids.extend(self.open_children.drain(first..));
        self.nodes[id as usize].children = start..self.child_ids.len() as u32;
    }

    fn node(&mut self, id: u32) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// `text` added to the table's strings.
    fn string(&mut self, text: &str) -> StrRef {
        let start = self.strings.len();
        self.strings.push_str(text);
        StrRef { start: offset(start), end: offset(self.strings.len()) }
    }

    /// `text` appended to node `id`'s text. Its text is the last string so
    /// far (a text run and the content of a code block grow before anything
    /// else is added) and grows in place; were it not, it is copied to the
    /// end first, so that no event order can make two strings overlap.
    fn append_text(&mut self, id: u32, text: &str) {
        let end = offset(self.strings.len());
        let start = match self.nodes[id as usize].text {
            Some(old) if old.end == end => old.start,
            Some(old) => {
                let old = self.strings[old.range()].to_string();
                self.string(&old).start
            }
            None => end,
        };
        self.strings.push_str(text);
        self.nodes[id as usize].text = Some(StrRef { start, end: offset(self.strings.len()) });
    }

    /// Place the definitions that start before `pos` under the open container,
    /// so that node ids stay in document order.
    fn flush_definitions_before(&mut self, pos: usize) {
        while self.definitions.front().is_some_and(|d| d.span.start < pos) {
            let def = self.definitions.pop_front().expect("front exists");
            let id = self.push(NodeKind::LinkDefinition, def.span);
            let label = Some(self.string(&def.label));
            let url = Some(self.string(&def.url));
            let title = def.title.map(|t| self.string(&t));
            let node = self.node(id);
            (node.label, node.url, node.title) = (label, url, title);
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                self.flush_definitions_before(range.start);
                let id = self.start(tag, range);
                self.open(id);
            }
            Event::End(_) => {
                let end = self.nodes[self.top() as usize].span.end;
                self.flush_definitions_before(end);
                self.close();
            }
            Event::Text(text) | Event::Html(text) if self.collects_content() => {
                let top = self.top();
                self.append_text(top, &text);
                self.node(top).content.push(range);
            }
            Event::Text(text) => {
                self.flush_definitions_before(range.start);
                self.text(&text, range);
            }
            Event::Code(text) => self.leaf(NodeKind::Code, range, Some(&text)),
            Event::InlineMath(text) => self.leaf(NodeKind::MathInline, range, Some(&text)),
            Event::DisplayMath(text) => self.leaf(NodeKind::MathBlock, range, Some(&text)),
            Event::Html(text) | Event::InlineHtml(text) => {
                let id = self.push(NodeKind::InlineHtml, range.clone());
                self.node(id).text = Some(self.string(&text));
                self.node(id).content.push(range);
            }
            Event::FootnoteReference(label) => {
                let id = self.push(NodeKind::FootnoteReference, range);
                self.node(id).label = Some(self.string(&label));
            }
            Event::SoftBreak => self.leaf(NodeKind::SoftBreak, range, None),
            Event::HardBreak => self.leaf(NodeKind::HardBreak, range, None),
            Event::Rule => {
                self.flush_definitions_before(range.start);
                self.leaf(NodeKind::ThematicBreak, range, None)
            }
            Event::TaskListMarker(checked) => {
                let id = self.task_marker(range);
                self.node(id).checked = Some(checked);
            }
        }
    }

    /// A task list marker. In a loose list item pulldown-cmark reports it
    /// inside the paragraph that follows it (`- [ ] task` after a blank
    /// line): it goes before that paragraph, under the item, so that every
    /// node lies inside its parent and ids follow the source (found by the
    /// `parse` fuzz target).
    fn task_marker(&mut self, range: Range<usize>) -> u32 {
        let top = self.top();
        let paragraph = &self.nodes[top as usize];
        let just_opened = top as usize == self.nodes.len() - 1 && self.top_children().is_empty();
        if paragraph.kind != NodeKind::Paragraph || range.start >= paragraph.span.start || !just_opened {
            return self.push(NodeKind::TaskMarker, range);
        }
        let paragraph = self.nodes.pop().expect("the paragraph is the last node");
        self.stack.pop();
        self.open_children.pop();
        let marker = self.push(NodeKind::TaskMarker, range);
        let id = self.nodes.len() as u32;
        self.open_children.push(id);
        self.nodes.push(paragraph);
        self.open(id);
        marker
    }

    /// Whether the open node keeps its literal content as text rather than
    /// as child nodes.
    fn collects_content(&self) -> bool {
        matches!(
            self.nodes[self.top() as usize].kind,
            NodeKind::CodeBlock | NodeKind::HtmlBlock | NodeKind::FrontMatter
        )
    }

    fn leaf(&mut self, kind: NodeKind, range: Range<usize>, text: Option<&str>) {
        let id = self.push(kind, range);
        self.node(id).text = text.map(|t| self.string(t));
    }

    /// A text event. pulldown-cmark splits one run of text at escapes and
    /// entities and leaves a backslash escape's `\` outside the event's
    /// range; a plugin wants one node per run, and its span must cover every
    /// byte the text came from, so runs are merged and backslashes included.
    fn text(&mut self, text: &str, range: Range<usize>) {
        let parent = self.top();
        let previous = self.top_children().last().copied();
        let previous_end = previous.map_or(self.nodes[parent as usize].span.start, |p| {
            self.nodes[p as usize].span.end
        });
        let mut start = range.start;
        if start > previous_end && self.source.as_bytes()[start - 1] == b'\\' {
            start -= 1;
        }
        if let Some(prev) = previous {
            let node = self.node(prev);
            if node.kind == NodeKind::Text && node.span.end == start {
                node.span.end = range.end;
                self.append_text(prev, text);
                return;
            }
        }
        self.leaf(NodeKind::Text, start..range.end, Some(text));
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) -> u32 {
        let kind = match &tag {
            Tag::Paragraph => NodeKind::Paragraph,
            Tag::Heading { .. } => NodeKind::Heading,
            Tag::BlockQuote(_) => NodeKind::BlockQuote,
            Tag::CodeBlock(_) => NodeKind::CodeBlock,
            Tag::HtmlBlock => NodeKind::HtmlBlock,
            Tag::List(_) => NodeKind::List,
            Tag::Item => NodeKind::ListItem,
            Tag::FootnoteDefinition(_) => NodeKind::FootnoteDefinition,
            Tag::Table(_) => NodeKind::Table,
            Tag::TableHead => NodeKind::TableHead,
            Tag::TableRow => NodeKind::TableRow,
            Tag::TableCell => NodeKind::TableCell,
            Tag::Emphasis => NodeKind::Emphasis,
            Tag::Strong => NodeKind::Strong,
            Tag::Strikethrough => NodeKind::Strikethrough,
            Tag::Link { .. } => NodeKind::Link,
            Tag::Image { .. } => NodeKind::Image,
            Tag::MetadataBlock(_) => NodeKind::FrontMatter,
            // Not produced: `options()` leaves definition lists,
            // superscript and subscript off.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => unreachable!("extension disabled in options(): {tag:?}"),
        };
        let id = self.push(kind, range);
        match tag {
            Tag::Heading { level, id: anchor, classes, attrs } => {
                self.node(id).level = Some(level as u8);
                let attributes = anchor
                    .map(|a| ("id".into(), Some(a)))
                    .into_iter()
                    .chain(classes.into_iter().map(|c| ("class".into(), Some(c))))
                    .chain(attrs);
                for (key, value) in attributes {
                    let attribute = (self.string(&key), value.map(|v| self.string(&v)));
                    self.node(id).attributes.push(attribute);
                }
            }
            Tag::BlockQuote(Some(alert)) => {
                let attribute = (self.string("alert"), Some(self.string(alert_name(alert))));
                self.node(id).attributes.push(attribute);
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                self.node(id).info = Some(self.string(&info));
                self.node(id).text = Some(self.string(""));
            }
            Tag::CodeBlock(CodeBlockKind::Indented) | Tag::HtmlBlock => {
                self.node(id).text = Some(self.string(""));
            }
            Tag::MetadataBlock(format) => {
                let format = match format {
                    MetadataBlockKind::YamlStyle => "yaml",
                    MetadataBlockKind::PlusesStyle => "toml",
                };
                self.node(id).info = Some(self.string(format));
                self.node(id).text = Some(self.string(""));
            }
            Tag::List(start) => self.node(id).start = start,
            Tag::FootnoteDefinition(label) => self.node(id).label = Some(self.string(&label)),
            Tag::Link { link_type, dest_url, title, id: label }
            | Tag::Image { link_type, dest_url, title, id: label } => {
                let url = Some(self.string(&dest_url));
                let title = (!title.is_empty()).then(|| self.string(&title));
                let label = matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
                    .then(|| self.string(&label));
                let source = self.source;
                let node = self.node(id);
                (node.url, node.title, node.label) = (url, title, label);
                node.link_kind = Some(link_kind(link_type));
                // pulldown-cmark ends a collapsed reference (`[foo][]`) before
                // its `[]`; the node owns those bytes too.
                if matches!(link_type, LinkType::Collapsed) && source[node.span.end..].starts_with("[]") {
                    node.span.end += 2;
                }
            }
            _ => {}
        }
        id
    }
}

/// A byte offset into a table's strings.
fn offset(at: usize) -> u32 {
    u32::try_from(at).expect("a document's strings fit in 4 GiB, as its spans do")
}

fn alert_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn link_kind(link_type: LinkType) -> LinkKind {
    match link_type {
        LinkType::Inline | LinkType::WikiLink { .. } => LinkKind::Inline,
        LinkType::Reference | LinkType::ReferenceUnknown => LinkKind::Reference,
        LinkType::Collapsed | LinkType::CollapsedUnknown => LinkKind::Collapsed,
        LinkType::Shortcut | LinkType::ShortcutUnknown => LinkKind::Shortcut,
        LinkType::Autolink => LinkKind::Autolink,
        LinkType::Email => LinkKind::Email,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(NodeKind, &str)> {
        parse(source).nodes.iter().map(|n| (n.kind, &source[n.span.clone()])).collect()
    }

    #[test]
    fn text_runs_are_merged_and_cover_escapes() {
        let table = parse("a\\*b &amp; c\n");
        let text = &table.nodes[2];
        assert_eq!(text.kind, NodeKind::Text);
        assert_eq!(table.string(text.text), Some("a*b & c"));
        assert_eq!(text.span, 0..12);
    }

    #[test]
    fn node_ids_follow_document_order_with_definitions() {
        let source = "[a]: /x\n\n> [b]: /y\n> text\n";
        let got = kinds(source);
        let defs: Vec<_> = got.iter().filter(|(k, _)| *k == NodeKind::LinkDefinition).collect();
        assert_eq!(defs.len(), 2);
        assert_eq!(got[1].0, NodeKind::LinkDefinition);
        assert_eq!(got[2].0, NodeKind::BlockQuote);
        assert_eq!(got[3].0, NodeKind::LinkDefinition);
    }

    #[test]
    fn front_matter_keeps_format_and_content() {
        let table = parse("+++\ntitle = \"x\"\n+++\n\n# Hi\n");
        let fm = &table.nodes[1];
        assert_eq!(fm.kind, NodeKind::FrontMatter);
        assert_eq!(table.string(fm.info), Some("toml"));
        assert_eq!(table.string(fm.text), Some("title = \"x\"\n"));
    }

    #[test]
    fn a_task_marker_of_a_loose_item_comes_before_its_paragraph() {
        let source = "* [ ] task\n\n* [x] done\n";
        let table = parse(source);
        let got: Vec<_> = table.nodes.iter().map(|n| (n.kind, &source[n.span.clone()], n.parent)).collect();
        assert_eq!(got[3], (NodeKind::TaskMarker, "[ ]", Some(2)));
        assert_eq!(got[4], (NodeKind::Paragraph, "task\n", Some(2)));
        assert_eq!(table.children(&table.nodes[2]), [3, 4]);
        assert_eq!(table.children(&table.nodes[4]), [5]);
        assert_eq!(got[7], (NodeKind::TaskMarker, "[x]", Some(6)));
    }

    #[test]
    fn a_block_never_starts_inside_the_one_before_it() {
        let source = "-\t\t*\t\n\t*\t\n";
        let got = kinds(source);
        assert_eq!(got[3], (NodeKind::CodeBlock, "*\t\n"));
        assert_eq!(got[4], (NodeKind::List, "\t*\t\n"));
        assert_eq!(got[5], (NodeKind::ListItem, "\t*\t\n"));
    }

    #[test]
    fn links_carry_url_title_and_kind() {
        let table = parse("[t](/u \"T\") <https://e.com>\n");
        let links: Vec<_> = table.nodes.iter().filter(|n| n.kind == NodeKind::Link).collect();
        assert_eq!(table.string(links[0].url), Some("/u"));
        assert_eq!(table.string(links[0].title), Some("T"));
        assert_eq!(links[1].link_kind, Some(LinkKind::Autolink));
    }

    #[test]
    fn dollars_are_math_only_in_the_dialect_that_has_it() {
        let source = "In *$HOME/bin*, then `$PATH`.\n";
        let kinds = |dialect| parse_in(source, dialect).nodes.iter().map(|n| n.kind).collect::<Vec<_>>();
        let with_math = kinds(Dialect { math: true });
        assert!(with_math.contains(&NodeKind::MathInline), "{with_math:?}");
        let without = kinds(Dialect { math: false });
        assert!(!without.contains(&NodeKind::MathInline), "{without:?}");
        assert!(without.contains(&NodeKind::Emphasis) && without.contains(&NodeKind::Code), "{without:?}");
        assert_eq!(parse_in(source, Dialect { math: false }).dialect, Dialect { math: false });
        assert_eq!(parse(source).dialect, Dialect::default());
    }
}
