//! Finding the messages of a document: one per run of inline content
//! (paragraph, heading text, tight list item, table cell), one per image's
//! alt text and link title, one per listed front-matter key.
//!
//! Each message keeps, for every piece, the source bytes it came from, so
//! applying an untranslated (or unchanged) message writes back exactly the
//! bytes that were there.

use std::ops::Range;

use dochost_pdk::{Document, LinkKind, NodeId, NodeKind};

use crate::front_matter;
use crate::message::{self, Arity, Token};

/// Where a message sits, which decides how its text is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Paragraph, heading, list item or footnote body.
    Prose,
    /// A table cell: `|` must be escaped.
    Cell,
    /// A heading; `false` when it has no explicit `{#id}`, so translating
    /// it changes its anchor.
    Heading(bool),
    /// An image's alt text.
    Alt,
    /// A link, image or link-definition title, quoted with this character.
    Title(char),
    /// A front-matter value; `true` for TOML.
    FrontMatter(front_matter::Style, bool),
}

/// What re-parsing a code's bytes must produce (see [`crate::verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
    /// A paired HTML tag: its opening and closing tags as written.
    Html(String, String),
    Code(String),
    Math(String),
    HardBreak,
    Footnote(String),
    Image(String),
    /// A link whose text is part of the code (autolink, collapsed,
    /// shortcut), as written.
    WholeLink(String),
    HtmlAtom(String),
    /// A glossary term kept as written (do not translate).
    Term(String),
    /// A bare URL in the text, kept as written.
    Url(String),
}

/// One code of a message: the markup it stands for.
#[derive(Debug, Clone)]
pub struct Code {
    pub node: NodeId,
    pub arity: Arity,
    /// Source bytes of the opening (or of the whole standalone code).
    pub open: Range<u32>,
    /// Source bytes of the closing; empty for standalone codes.
    pub close: Range<u32>,
    pub shape: Shape,
}

/// A message found in a document.
#[derive(Debug, Clone)]
pub struct Segment {
    pub place: Place,
    /// The node it belongs to (container, image, link or front matter).
    pub node: NodeId,
    /// The source bytes an applied translation replaces.
    pub range: Range<u32>,
    pub tokens: Vec<Token>,
    /// For each token that is text: the source bytes it came from.
    pub sources: Vec<Option<Range<u32>>>,
    pub codes: Vec<Code>,
    /// Notes for translators (the catalog's `#.` comments).
    pub notes: Vec<String>,
    /// Inside a table cell, where any `|` (even in alt text or a title)
    /// would end the cell.
    pub in_table: bool,
}

impl Segment {
    /// The message as catalogs write it.
    pub fn msgid(&self) -> String {
        message::render(&self.tokens)
    }

    /// The `msgctxt` that keeps it apart from the same words elsewhere.
    pub fn context(&self) -> Option<String> {
        match self.place {
            Place::Prose | Place::Cell | Place::Heading(_) => None,
            Place::Alt => Some("image alt text".into()),
            Place::Title(_) => Some("link title".into()),
            Place::FrontMatter(..) => None,
        }
    }

    pub fn arities(&self) -> Vec<Arity> {
        self.codes.iter().map(|c| c.arity).collect()
    }

    /// The text a translator works on, codes left out.
    pub fn plain(&self) -> String {
        message::plain(&self.tokens)
    }
}

/// Every message of `doc`, in source order of their containers; messages
/// with nothing to translate (no letter) are left out, and so is text that
/// would read as a code.
pub fn find(doc: &Document, front_matter_keys: &[String]) -> (Vec<Segment>, Vec<(NodeId, String)>) {
    let mut segments = Vec::new();
    let mut skipped = Vec::new();
    for id in doc.ids() {
        let node = doc.node(id);
        match node.kind {
            NodeKind::FrontMatter => segments.extend(front_matter::segments(doc, id, front_matter_keys)),
            NodeKind::Image => {
                let children = doc.children(id);
                // A collapsed or shortcut image's alt text is its reference
                // label: translating it would break the image.
                let label = matches!(doc.node(id).link_kind, Some(LinkKind::Collapsed | LinkKind::Shortcut));
                if let (Some(&first), Some(&last), false) = (children.first(), children.last(), label) {
                    let place = Place::Alt;
                    let range = doc.span(first).start..doc.span(last).end;
                    segments.push(Walk::run(doc, id, place, children, range));
                }
                segments.extend(title(doc, id));
            }
            NodeKind::Link | NodeKind::LinkDefinition => segments.extend(title(doc, id)),
            kind if !kind.is_inline() => {
                let place = match kind {
                    NodeKind::TableCell => Place::Cell,
                    NodeKind::Heading => Place::Heading(node.attributes.iter().any(|(k, _)| k == "id")),
                    _ => Place::Prose,
                };
                let children = doc.children(id);
                let mut i = 0;
                while i < children.len() {
                    let in_run = |c: NodeId| doc.node(c).kind.is_inline() && doc.node(c).kind != NodeKind::TaskMarker;
                    if !in_run(children[i]) {
                        i += 1;
                        continue;
                    }
                    let j = (i..children.len()).find(|&j| !in_run(children[j])).unwrap_or(children.len());
                    // A break at either end of a run (next to a block such
                    // as display math) belongs to no message.
                    let is_break = |c: &NodeId| matches!(doc.node(*c).kind, NodeKind::SoftBreak | NodeKind::HardBreak);
                    let mut run = &children[i..j];
                    while run.first().is_some_and(is_break) {
                        run = &run[1..];
                    }
                    while run.last().is_some_and(is_break) {
                        run = &run[..run.len() - 1];
                    }
                    if run.is_empty() {
                        i = j;
                        continue;
                    }
                    let range = doc.span(run[0]).start..doc.span(run[run.len() - 1]).end;
                    segments.push(Walk::run(doc, id, place, run, range));
                    i = j;
                }
            }
            _ => {}
        }
    }
    segments.retain(|segment| {
        if !has_words(&segment.plain()) {
            return false;
        }
        if dialect_dependent(segment) {
            skipped.push((
                segment.node,
                "it holds `$` math next to a backtick, which Markdown without `$` math (GitHub's \
                 renderer among others) reads as code: translating it could break the code"
                    .to_string(),
            ));
            return false;
        }
        if segment.tokens.iter().any(|t| matches!(t, Token::Text(s) if message::looks_like_code(s))) {
            skipped.push((segment.node, "its text contains something that reads as a code (`<1>`)".to_string()));
            return false;
        }
        true
    });
    for segment in &mut segments {
        segment.in_table =
            doc.node(segment.node).kind == NodeKind::TableCell || doc.is_inside(segment.node, NodeKind::TableCell);
    }
    segments.sort_by_key(|s| s.range.start);
    (segments, skipped)
}

/// The title of a link, image or link definition, when its source can be
/// found as written (a title with escapes or entities is left alone).
fn title(doc: &Document, id: NodeId) -> Option<Segment> {
    let title = doc.node(id).title.as_deref().filter(|t| !t.is_empty())?;
    let span = doc.span(id);
    let src = doc.source_of(id);
    let (at, quote) = ['"', '\'', ')'].iter().find_map(|&close| {
        let open = if close == ')' { '(' } else { close };
        let pattern = format!("{open}{title}{close}");
        src.rfind(&pattern).map(|at| (at + 1, open))
    })?;
    let start = span.start + at as u32;
    let range = start..start + title.len() as u32;
    Some(Segment {
        place: Place::Title(quote),
        node: id,
        range: range.clone(),
        tokens: vec![Token::Text(title.to_string())],
        sources: vec![Some(range)],
        codes: Vec::new(),
        notes: Vec::new(),
        in_table: false,
    })
}

/// Turns a run of inline nodes into tokens and codes.
struct Walk<'a> {
    doc: &'a Document,
    tokens: Vec<Token>,
    sources: Vec<Option<Range<u32>>>,
    codes: Vec<Code>,
    notes: Vec<String>,
}

impl<'a> Walk<'a> {
    fn run(doc: &'a Document, node: NodeId, place: Place, run: &[NodeId], range: Range<u32>) -> Segment {
        let mut walk = Walk { doc, tokens: Vec::new(), sources: Vec::new(), codes: Vec::new(), notes: Vec::new() };
        walk.nodes(run, range.end);
        let mut segment = Segment {
            place,
            node,
            range,
            tokens: walk.tokens,
            sources: walk.sources,
            codes: walk.codes,
            notes: walk.notes,
            in_table: false,
        };
        trim(doc.source(), &mut segment);
        segment
    }

    fn span(&self, id: NodeId) -> Range<u32> {
        let span = self.doc.span(id);
        span.start..span.end
    }

    /// Walks sibling nodes; each owns its bytes up to where the next one
    /// starts (the line prefix after a break belongs to the break), the last
    /// one up to `limit`.
    fn nodes(&mut self, ids: &[NodeId], limit: u32) {
        let mut i = 0;
        while i < ids.len() {
            let id = ids[i];
            let owned_end = |k: usize| if k + 1 < ids.len() { self.span(ids[k + 1]).start } else { limit };
            let span = self.span(id);
            let node = self.doc.node(id);
            let end = owned_end(i);
            match node.kind {
                NodeKind::Text => self.text(self.doc.text(id), span.start..end),
                NodeKind::SoftBreak => {
                    let next = ids.get(i + 1).map(|&n| self.doc.text(n).chars().next());
                    let before = self.last_char();
                    let joined = match (before, next.flatten()) {
                        (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => "",
                        _ => " ",
                    };
                    self.text(joined, span.start..end);
                }
                NodeKind::HardBreak => self.atom(id, Shape::HardBreak, span.start..end),
                NodeKind::Code => self.atom(id, Shape::Code(self.doc.text(id).into()), span.start..end),
                NodeKind::MathInline => self.atom(id, Shape::Math(self.doc.text(id).into()), span.start..end),
                NodeKind::FootnoteReference => {
                    let label = node.label.clone().unwrap_or_default();
                    self.atom(id, Shape::Footnote(label), span.start..end)
                }
                NodeKind::Image => {
                    let url = node.url.clone().unwrap_or_default();
                    self.atom(id, Shape::Image(url), span.start..end)
                }
                NodeKind::InlineHtml => {
                    if let Some(j) = closing_tag(self.doc, ids, i) {
                        let close = self.span(ids[j]).start..owned_end(j);
                        let inner = &ids[i + 1..j];
                        let open = span.start..inner.first().map_or(close.start, |&c| self.span(c).start);
                        let shape = Shape::Html(self.doc.text(id).into(), self.doc.text(ids[j]).into());
                        self.paired(id, shape, open, close, inner);
                        i = j + 1;
                        continue;
                    }
                    self.atom(id, Shape::HtmlAtom(self.doc.text(id).into()), span.start..end)
                }
                NodeKind::Emphasis | NodeKind::Strong | NodeKind::Strikethrough | NodeKind::Link => {
                    let children = self.doc.children(id);
                    let url = node.url.clone().unwrap_or_default();
                    let whole = matches!(
                        node.link_kind,
                        Some(LinkKind::Autolink | LinkKind::Email | LinkKind::Collapsed | LinkKind::Shortcut)
                    );
                    if node.kind == NodeKind::Link && (whole || children.is_empty()) {
                        if matches!(node.link_kind, Some(LinkKind::Collapsed | LinkKind::Shortcut)) {
                            let label = self.doc.source_of(id);
                            self.notes.push(format!(
                                "{label} is a reference label: translating it would break the link, so it stays as written \
                                 (write it as [text][label] in the source to translate its text)"
                            ));
                        }
                        let markdown = self.doc.source_of(id).to_string();
                        self.atom(id, Shape::WholeLink(markdown), span.start..end);
                    } else {
                        let shape = match node.kind {
                            NodeKind::Emphasis => Shape::Emphasis,
                            NodeKind::Strong => Shape::Strong,
                            NodeKind::Strikethrough => Shape::Strikethrough,
                            _ => Shape::Link(url),
                        };
                        let (first, last) = match (children.first(), children.last()) {
                            (Some(&f), Some(&l)) => (self.span(f).start, self.span(l).end),
                            _ => (span.end, span.end),
                        };
                        let children = children.to_vec();
                        self.paired(id, shape, span.start..first, last..end, &children);
                    }
                }
                // Task markers end a run; block nodes never appear in one.
                _ => self.atom(id, Shape::HtmlAtom(self.doc.source_of(id).into()), span.start..end),
            }
            i += 1;
        }
    }

    fn last_char(&self) -> Option<char> {
        match self.tokens.last() {
            Some(Token::Text(s)) => s.chars().last(),
            _ => None,
        }
    }

    fn text(&mut self, text: &str, bytes: Range<u32>) {
        if let (Some(Token::Text(s)), Some(Some(source))) = (self.tokens.last_mut(), self.sources.last_mut()) {
            s.push_str(text);
            source.end = bytes.end;
            return;
        }
        self.tokens.push(Token::Text(text.to_string()));
        self.sources.push(Some(bytes));
    }

    fn code(&mut self, code: Code) -> u16 {
        self.codes.push(code);
        self.codes.len() as u16
    }

    fn atom(&mut self, node: NodeId, shape: Shape, bytes: Range<u32>) {
        let n = self.code(Code { node, arity: Arity::Standalone, open: bytes.clone(), close: bytes.end..bytes.end, shape });
        self.tokens.push(Token::Atom(n));
        self.sources.push(None);
    }

    fn paired(&mut self, node: NodeId, shape: Shape, open: Range<u32>, close: Range<u32>, inner: &[NodeId]) {
        let n = self.code(Code { node, arity: Arity::Paired, open, close: close.clone(), shape });
        self.tokens.push(Token::Open(n));
        self.sources.push(None);
        self.nodes(inner, close.start);
        self.tokens.push(Token::Close(n));
        self.sources.push(None);
    }
}

/// The sibling that closes the inline HTML opening tag at `ids[i]`, if any.
fn closing_tag(doc: &Document, ids: &[NodeId], i: usize) -> Option<usize> {
    let name = tag_name(doc.text(ids[i]).strip_prefix('<')?)?;
    let html = doc.text(ids[i]);
    if html.ends_with("/>") || is_void(&name) {
        return None;
    }
    let mut depth = 0;
    for (j, &id) in ids.iter().enumerate().skip(i + 1) {
        if doc.node(id).kind != NodeKind::InlineHtml {
            continue;
        }
        let text = doc.text(id);
        if let Some(rest) = text.strip_prefix("</") {
            if tag_name(rest).as_deref() == Some(name.as_str()) {
                if depth == 0 {
                    return Some(j);
                }
                depth -= 1;
            }
        } else if text.strip_prefix('<').and_then(tag_name).as_deref() == Some(name.as_str()) {
            depth += 1;
        }
    }
    None
}

fn tag_name(s: &str) -> Option<String> {
    let name: String = s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic())).then(|| name.to_ascii_lowercase())
}

fn is_void(name: &str) -> bool {
    matches!(name, "br" | "img" | "hr" | "input" | "wbr" | "area" | "base" | "col" | "embed" | "link" | "meta" | "source" | "track")
}

/// Moves leading and trailing whitespace of the message out of its range,
/// when the source holds that whitespace as written.
fn trim(source: &str, segment: &mut Segment) {
    if let (Some(Token::Text(text)), Some(Some(bytes))) = (segment.tokens.first_mut(), segment.sources.first_mut()) {
        let cut = text.len() - text.trim_start().len();
        if cut > 0 && source[bytes.start as usize..].starts_with(&text[..cut]) {
            text.drain(..cut);
            bytes.start += cut as u32;
            segment.range.start = bytes.start;
        }
    }
    if let (Some(Token::Text(text)), Some(Some(bytes))) = (segment.tokens.last_mut(), segment.sources.last_mut()) {
        let keep = text.trim_end().len();
        let cut = text.len() - keep;
        if cut > 0 && source[..bytes.end as usize].ends_with(&text[keep..]) {
            text.truncate(keep);
            bytes.end -= cut as u32;
            segment.range.end = bytes.end;
        }
    }
    let empty: Vec<bool> = segment.tokens.iter().map(|t| matches!(t, Token::Text(s) if s.is_empty())).collect();
    let mut k = 0;
    segment.sources.retain(|_| {
        k += 1;
        !empty[k - 1]
    });
    segment.tokens.retain(|t| !matches!(t, Token::Text(s) if s.is_empty()));
}

/// Whether the message means something else without `$` math: inline math
/// whose content, or text beside it, holds a backtick (`` *$HOME* … `$PATH` ``
/// reads as math from one `$` to the next, but as a code span elsewhere).
fn dialect_dependent(segment: &Segment) -> bool {
    let math = segment.codes.iter().filter_map(|c| match &c.shape {
        Shape::Math(t) => Some(t.as_str()),
        _ => None,
    });
    let mut math = math.peekable();
    if math.peek().is_none() {
        return false;
    }
    math.any(|t| t.contains('`')) || segment.tokens.iter().any(|t| matches!(t, Token::Text(s) if s.contains('`')))
}

/// Whether text has a word to translate: a run of letters and digits that
/// holds a letter and does not start with a digit (`0x1F`, `42px`, `1e5`
/// are numbers).
fn has_words(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().any(char::is_alphabetic) && !word.starts_with(|c: char| c.is_ascii_digit()))
}

/// Characters written without spaces between words (Chinese, Japanese),
/// so a line break between two of them is joined with nothing.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_covers_han_kana_and_fullwidth_punctuation() {
        for c in ['中', 'の', 'カ', '。', '，', '（'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'é', '한', ' ', '1'] {
            assert!(!is_cjk(c), "{c}");
        }
    }

    #[test]
    fn numbers_are_not_words() {
        for text in ["0x1F", "42", "1.28 | 1e5", "42px", "— 3 —"] {
            assert!(!has_words(text), "{text}");
        }
        for text in ["v1.28", "Yes", "是", "3 nodes"] {
            assert!(has_words(text), "{text}");
        }
    }

    #[test]
    fn void_and_paired_tags() {
        assert_eq!(tag_name("kbd>").as_deref(), Some("kbd"));
        assert_eq!(tag_name("Span class=x>").as_deref(), Some("span"));
        assert_eq!(tag_name("!-- c -->"), None);
        assert!(is_void("br"));
        assert!(!is_void("kbd"));
    }
}
