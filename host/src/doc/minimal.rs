//! Minimal rewrites: when a node's text, URL or title is set, the stretches
//! of the new value that equal the old one keep their source bytes
//! (escapes, entities, line breaks and the indentation after them); only
//! the characters that changed are escaped and written.
//!
//! The old value is first mapped back to its source as [`Unit`]s: a stretch
//! of source bytes and the characters of the decoded value it reads as (a
//! literal character, a backslash escape, an entity, a line break with the
//! container prefix after it). A character diff between the old and the new
//! value decides which units stay ([`align`]); each context then writes the
//! other characters its own way and checks the result.

use std::ops::Range;
use std::time::Duration;

use pulldown_cmark::{Event, Options, Parser, Tag};
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

use super::escape::{self, InlineContext, Out};

/// Source bytes and the characters of the old decoded value they read as.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub src: Range<usize>,
    /// Indices into the old value's characters; empty for bytes that read
    /// as nothing (a code span's stripped padding).
    pub chars: Range<usize>,
}

/// The new value as kept units and new characters, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Unit `unit` stays and stands for the new characters `new`.
    Kept { unit: usize, new: Range<usize> },
    /// New character `i` must be written.
    New(usize),
}

/// A diff that has not finished by then falls back to a coarser one.
const DIFF_DEADLINE: Duration = Duration::from_millis(200);

/// Which units of `old` (covering it in order) stay in `new`: those whose
/// characters all survive, consecutively, in a character diff.
pub fn align(old: &[char], new: &[char], units: &[Unit]) -> Vec<Item> {
    let mut to_new: Vec<Option<usize>> = vec![None; old.len()];
    // The common start and end directly; the diff for what lies between.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    for k in 0..prefix {
        to_new[k] = Some(k);
    }
    for k in 0..suffix {
        to_new[old.len() - 1 - k] = Some(new.len() - 1 - k);
    }
    let (old_mid, new_mid) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    if !old_mid.is_empty() && !new_mid.is_empty() {
        let deadline = std::time::Instant::now() + DIFF_DEADLINE;
        for op in capture_diff_slices_deadline(Algorithm::Myers, old_mid, new_mid, Some(deadline)) {
            if let DiffOp::Equal { old_index, new_index, len } = op {
                for k in 0..len {
                    to_new[prefix + old_index + k] = Some(prefix + new_index + k);
                }
            }
        }
    }
    let mut items = Vec::with_capacity(new.len());
    let mut next = 0;
    for (u, unit) in units.iter().enumerate() {
        let Range { start, end } = unit.chars;
        let at = if start == end {
            // Bytes that read as nothing stay when what surrounds them does.
            let after_prev = if start == 0 { Some(0) } else { to_new[start - 1].map(|n| n + 1) };
            let here = if start == old.len() { Some(new.len()) } else { to_new[start] };
            match (after_prev, here) {
                (Some(a), Some(b)) if a == b => Some(a),
                _ => None,
            }
        } else {
            to_new[start].filter(|&first| (start..end).all(|k| to_new[k] == Some(first + k - start)))
        };
        let Some(at) = at.filter(|&at| at >= next) else { continue };
        items.extend((next..at).map(Item::New));
        let len = end - start;
        items.push(Item::Kept { unit: u, new: at..at + len });
        next = at + len;
    }
    items.extend((next..new.len()).map(Item::New));
    items
}

/// The length of the entity or numeric character reference `rest` starts
/// with, if it starts with one.
fn reference_len(rest: &str) -> Option<usize> {
    if !rest.starts_with('&') {
        return None;
    }
    let tail: Vec<char> = rest.chars().skip(1).take(34).collect();
    if !escape::starts_entity(&tail) {
        return None;
    }
    rest.find(';').map(|i| i + 1)
}

/// What an entity or character reference reads as (itself when it names
/// no entity).
fn decode_reference(reference: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(reference, Options::empty()) {
        if let Event::Text(t) = event {
            out.push_str(&t);
        }
    }
    out
}

/// Units for a value read from `source[range]` where backslash escapes and
/// entities are decoded and everything else is literal: inline text, link
/// destinations and titles. `None` when the source does not read as
/// `decoded` that way.
pub fn escaped_units(source: &str, range: Range<usize>, decoded: &[char]) -> Option<Vec<Unit>> {
    let mut units = Vec::with_capacity(decoded.len());
    let (mut s, mut d) = (range.start, 0);
    while s < range.end {
        let rest = &source[s..range.end];
        let c = rest.chars().next()?;
        if c == '\\' {
            let escaped = rest[1..].chars().next().filter(char::is_ascii_punctuation);
            if escaped.is_some() && decoded.get(d) == escaped.as_ref() {
                units.push(Unit { src: s..s + 2, chars: d..d + 1 });
                (s, d) = (s + 2, d + 1);
                continue;
            }
        }
        if let Some(len) = reference_len(rest) {
            let value: Vec<char> = decode_reference(&rest[..len]).chars().collect();
            let literal = value.iter().copied().eq(rest[..len].chars());
            if !literal && !value.is_empty() && decoded[d..].starts_with(&value) {
                units.push(Unit { src: s..s + len, chars: d..d + value.len() });
                (s, d) = (s + len, d + value.len());
                continue;
            }
        }
        if decoded.get(d) != Some(&c) {
            return None;
        }
        units.push(Unit { src: s..s + c.len_utf8(), chars: d..d + 1 });
        (s, d) = (s + c.len_utf8(), d + 1);
    }
    (d == decoded.len()).then_some(units)
}

/// Whether `unit` is one character written as itself.
fn is_literal(source: &str, unit: &Unit, old: &[char]) -> bool {
    unit.chars.len() == 1 && source[unit.src.clone()].chars().eq(std::iter::once(old[unit.chars.start]))
}

/// How one character of the new inline text is written.
#[derive(Debug, Clone, PartialEq)]
enum Writing {
    /// The source bytes of old character `old` (a literal, escape or entity).
    Source { src: Range<usize>, old: usize },
    /// Freshly written.
    Fresh(Out),
    /// Part of the unit written for an earlier character.
    Covered,
}

/// Single tildes that GitHub may pair into strikethrough where
/// pulldown-cmark reads text; reported so the edit can be refused.
#[derive(Debug, PartialEq)]
pub struct TildeConflict {
    /// Where the tilde stands in the source.
    pub at: usize,
}

/// How the new source of an inline text node was written.
#[derive(Debug, PartialEq)]
pub struct Written {
    pub text: String,
    /// Characters the escaper would escape were kept bare although what
    /// decides their meaning changed (see [`inline_text`]): the caller
    /// checks the result by parsing it.
    pub kept_uncertain: bool,
}

/// The new source of the inline text node at `span` whose text goes from
/// `old` to `new`, standing in `ctx` in a paragraph (or heading, or cell)
/// whose text nodes are at `paragraph()`; `escape_uncertain` escapes the bare
/// characters whose meaning may have changed. `Ok(None)`
/// when the node's source does not map to its text (the caller then writes
/// the text anew).
pub fn inline_text(
    source: &str,
    span: Range<usize>,
    paragraph: impl Fn() -> Vec<Range<usize>>,
    old: &str,
    new: &str,
    ctx: InlineContext<'_>,
    escape_uncertain: bool,
) -> Result<Option<Written>, TildeConflict> {
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let Some(units) = escaped_units(source, span.clone(), &old_chars) else { return Ok(None) };
    let items = align(&old_chars, &new_chars, &units);
    let plan_new = escape::inline_plan(new, ctx);
    // Needed only for kept characters the escaper would escape.
    let context = std::cell::OnceCell::new();
    let context = || {
        context.get_or_init(|| {
            (escape::inline_plan(old, ctx), escape::line_level_escapes(new, ctx), line_of(&old_chars), line_of(&new_chars))
        })
    };
    let mut written = vec![Writing::Covered; new_chars.len()];
    let mut kept_old = vec![false; old_chars.len()];
    let mut kept_uncertain = false;
    for item in &items {
        match item {
            Item::Kept { unit, new: range } => {
                let unit = &units[*unit];
                kept_old[unit.chars.clone()].iter_mut().for_each(|k| *k = true);
                let (i, j) = (range.start, unit.chars.start);
                // A character kept as itself that the escaper would escape
                // is written anew when its new surroundings may make it
                // markup: when it needed no escape before (`[1]` now before
                // `(`, a space now at a line's edge), or when what decides
                // its meaning changed although the escaper always wanted it
                // escaped: the source kept `&x;`, `#5` or `[a](b c)` bare
                // because they are no entity, heading or link, which the
                // escaper cannot tell. An entity is looked up; for the rest
                // the caller parses the result and asks again with
                // `escape_uncertain` if it reads differently, since escaping
                // is not harmless either (a bare `]` closes a bracket that
                // would otherwise pair with a later one). Delimiter runs are
                // settled below from their own neighbours.
                let c = new_chars[i];
                let special = plan_new[i] != Out::Plain && is_literal(source, unit, &old_chars);
                let rewrite = special && {
                    let (plan_old, line_level, old_lines, new_lines) = context();
                    let (new_line, old_line) = (new_lines.text(&new_chars, i), old_lines.text(&old_chars, j));
                    let (at_new, at_old) = (i - new_lines.0[i].start, j - old_lines.0[j].start);
                    let head = line_head(new_line);
                    let context_changed = match c {
                        _ if line_level[i] && at_new < head.len() => head != line_head(old_line),
                        _ if line_level[i] => line_tail(new_line) != line_tail(old_line),
                        '*' | '_' | '~' | '`' | '$' | '&' => false,
                        // A tag or autolink closed later on the line.
                        '<' => new_line[at_new..] != old_line[at_old..],
                        _ => new_line != old_line,
                    };
                    let entity = c == '&' && starts_reference(&new_chars[i..]);
                    let rewrite = plan_old[j] == Out::Plain || entity || (context_changed && escape_uncertain);
                    kept_uncertain |= context_changed && !rewrite;
                    rewrite
                };
                written[i] = if rewrite { Writing::Fresh(plan_new[i]) } else { Writing::Source { src: unit.src.clone(), old: j } };
            }
            Item::New(i) => written[*i] = Writing::Fresh(plan_new[*i]),
        }
    }
    let mut conflict = None;
    settle_delimiter_runs(source, span.clone(), &new_chars, &mut written, ctx, &mut conflict);
    // A single tilde GitHub may have paired, deleted: its partner changes
    // meaning on GitHub.
    for unit in &units {
        let j = unit.chars.start;
        if unit.chars.len() == 1 && !kept_old[j] && old_chars[j] == '~' && is_literal(source, unit, &old_chars) {
            let before = source[..unit.src.start].chars().next_back();
            let after = source[unit.src.end..].chars().next();
            if escape::delimiter_can_act('~', before, after) {
                conflict.get_or_insert(unit.src.start);
            }
        }
    }
    if let Some(at) = conflict {
        if github_may_pair(source, &paragraph(), at) {
            return Err(TildeConflict { at });
        }
    }
    let mut out = String::with_capacity(new.len() + 8);
    for (i, w) in written.iter().enumerate() {
        match w {
            Writing::Source { src, .. } => out.push_str(&source[src.clone()]),
            Writing::Fresh(how) => how.write(new_chars[i], &mut out),
            Writing::Covered => {}
        }
    }
    Ok(Some(Written { text: out, kept_uncertain }))
}

/// The lines of a text: for each character, the range of its line.
struct Lines(Vec<Range<usize>>);

impl Lines {
    fn text<'a>(&self, chars: &'a [char], i: usize) -> &'a [char] {
        &chars[self.0[i].clone()]
    }
}

fn line_of(chars: &[char]) -> Lines {
    let mut lines = Vec::with_capacity(chars.len());
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            lines.extend(std::iter::repeat_n(start..i, i + 1 - lines.len()));
            start = i + 1;
        }
    }
    let len = chars.len();
    lines.extend(std::iter::repeat_n(start..len, len - lines.len()));
    Lines(lines)
}

/// The start of a line up to its first space, which decides whether it
/// opens a block (`#`, `-`, `1.`), and the whole line when it is one
/// character repeated (a thematic break or setext underline).
fn line_head(line: &[char]) -> &[char] {
    let first = line.iter().position(|c| !matches!(c, ' ' | '\t')).unwrap_or(line.len());
    let rest = &line[first..];
    if rest.iter().all(|&c| rest.first() == Some(&c) || matches!(c, ' ' | '\t')) {
        return line;
    }
    let end = rest.iter().position(|c| matches!(c, ' ' | '\t')).map_or(line.len(), |k| first + k + 1);
    &line[..end]
}

/// The end of a line from its last space, which decides whether a `#` run
/// closes an ATX heading.
fn line_tail(line: &[char]) -> &[char] {
    let trimmed = line.len() - line.iter().rev().take_while(|c| matches!(c, ' ' | '\t')).count();
    let start = line[..trimmed].iter().rposition(|c| matches!(c, ' ' | '\t')).unwrap_or(0);
    &line[start..]
}

/// Whether `chars` start with an entity or character reference that reads
/// as something else than itself.
fn starts_reference(chars: &[char]) -> bool {
    let window: String = chars.iter().take(36).collect();
    reference_len(&window).is_some_and(|len| decode_reference(&window[..len]) != window[..len])
}

/// Whether GitHub could pair the single or double tilde run at `at` with
/// another bare one of the paragraph's text (`texts`, the spans of its text
/// nodes), by the flanking rules: an opener before a closer.
fn github_may_pair(source: &str, texts: &[Range<usize>], at: usize) -> bool {
    let runs = |range: &Range<usize>| {
        let bytes = source.as_bytes();
        let mut found = Vec::new();
        let mut k = range.start;
        while k < range.end {
            if bytes[k] == b'~' && !(k > 0 && bytes[k - 1] == b'\\') {
                let start = k;
                while k < range.end && bytes[k] == b'~' {
                    k += 1;
                }
                found.push(start..k);
            } else {
                k += 1;
            }
        }
        found
    };
    let flanks = |run: &Range<usize>| escape::flanking(source[..run.start].chars().next_back(), source[run.end..].chars().next());
    let all: Vec<Range<usize>> = texts.iter().flat_map(runs).filter(|r| r.len() <= 2).collect();
    let Some(this) = all.iter().find(|r| r.contains(&at)) else { return false };
    let (opens, closes) = flanks(this);
    all.iter().filter(|r| *r != this).any(|other| {
        let (other_opens, other_closes) = flanks(other);
        (other.start < this.start && other_opens && closes) || (other.start > this.start && other_closes && opens)
    })
}

/// The first character written for new character `i`.
fn first_written(source: &str, new: &[char], written: &[Writing], i: usize) -> Option<char> {
    match &written[i] {
        Writing::Source { src, .. } => source[src.clone()].chars().next(),
        Writing::Fresh(Out::Plain) => Some(new[i]),
        Writing::Fresh(Out::Escaped) => Some('\\'),
        Writing::Fresh(Out::Reference(r)) => r.chars().next(),
        Writing::Covered => None,
    }
}

/// The last character written for new character `i`.
fn last_written(source: &str, new: &[char], written: &[Writing], i: usize) -> Option<char> {
    match &written[i] {
        Writing::Source { src, .. } => source[src.clone()].chars().next_back(),
        Writing::Fresh(Out::Plain | Out::Escaped) => Some(new[i]),
        Writing::Fresh(Out::Reference(r)) => r.chars().next_back(),
        Writing::Covered => None,
    }
}

/// Whether new character `i` is written as a bare character (kept literal
/// or fresh and unescaped).
fn bare(source: &str, new: &[char], written: &[Writing], i: usize) -> bool {
    match &written[i] {
        Writing::Source { src, .. } => source[src.clone()].chars().eq(std::iter::once(new[i])),
        Writing::Fresh(how) => *how == Out::Plain,
        Writing::Covered => false,
    }
}

/// Bare runs of `*`, `_`, `~`, `` ` `` and `$` that could now act as markup
/// are escaped: a run holding a new character when its written neighbours
/// let it open or close emphasis or strikethrough; a kept run when it got
/// shorter or longer (`**` became `*`, a backtick run no longer matches the
/// one it failed to match), or its neighbours changed kind (a space became
/// a letter) so that it can now act. A kept single tilde that changes this
/// way is reported in `conflict`: GitHub may have paired it with another.
fn settle_delimiter_runs(
    source: &str,
    span: Range<usize>,
    new: &[char],
    written: &mut [Writing],
    ctx: InlineContext<'_>,
    conflict: &mut Option<usize>,
) {
    let mut i = 0;
    while i < new.len() {
        let d = new[i];
        if !matches!(d, '*' | '_' | '~' | '`' | '$') || !bare(source, new, written, i) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < new.len() && new[end] == d && bare(source, new, written, end) {
            end += 1;
        }
        let before = (0..i).rev().find_map(|k| last_written(source, new, written, k)).or(ctx.before);
        let after = (end..new.len()).find_map(|k| first_written(source, new, written, k)).or(ctx.after);
        let kept: Vec<Range<usize>> = written[i..end]
            .iter()
            .filter_map(|w| match w {
                Writing::Source { src, .. } => Some(src.clone()),
                _ => None,
            })
            .collect();
        let can_act = |b, a| match d {
            '`' | '$' => true,
            _ => escape::delimiter_can_act(d, b, a),
        };
        let escape = if kept.len() == end - i {
            // The run as it stood in the source (within the node).
            let bytes = source.as_bytes();
            let byte = d as u8;
            let mut first = kept[0].start;
            while first > span.start && bytes[first - 1] == byte && !(first >= span.start + 2 && bytes[first - 2] == b'\\') {
                first -= 1;
            }
            let mut last = kept[kept.len() - 1].end;
            while last < span.end && bytes[last] == byte {
                last += 1;
            }
            let old_before = source[..first].chars().next_back();
            let old_after = source[last..].chars().next();
            let same_length = last - first == end - i;
            let changed = !same_length
                || (escape::flank(old_before), escape::flank(old_after)) != (escape::flank(before), escape::flank(after));
            if changed && d == '~' && last - first <= 2 && escape::delimiter_can_act('~', old_before, old_after) {
                conflict.get_or_insert(first);
            }
            changed && can_act(before, after)
        } else {
            can_act(before, after)
        };
        if escape {
            for w in &mut written[i..end] {
                *w = Writing::Fresh(Out::Escaped);
            }
        }
        i = end;
    }
}

/// One piece of a code span's content: its source bytes and what they read
/// as once line endings are turned into spaces.
struct CodePiece {
    src: Range<usize>,
    ch: char,
}

/// Cut a code span's content `source[range]` into pieces: a line ending
/// together with the container prefix and indentation after it (up to
/// `quotes` block-quote markers) reads as one space, `\|` in a table cell as
/// `|`, any other character as itself.
fn code_pieces(source: &str, range: Range<usize>, quotes: usize, in_table: bool) -> Vec<CodePiece> {
    let bytes = source.as_bytes();
    let mut pieces = Vec::new();
    let mut s = range.start;
    while s < range.end {
        let c = source[s..].chars().next().expect("s is inside the range");
        if c == '\n' || c == '\r' {
            let mut e = s + if source[s..].starts_with("\r\n") { 2 } else { 1 };
            let mut markers = 0;
            loop {
                while e < range.end && matches!(bytes[e], b' ' | b'\t') {
                    e += 1;
                }
                if e < range.end && bytes[e] == b'>' && markers < quotes {
                    markers += 1;
                    e += 1;
                    continue;
                }
                break;
            }
            pieces.push(CodePiece { src: s..e, ch: ' ' });
            s = e;
        } else if in_table && source[s..range.end].starts_with("\\|") {
            pieces.push(CodePiece { src: s..s + 2, ch: '|' });
            s += 2;
        } else {
            pieces.push(CodePiece { src: s..s + c.len_utf8(), ch: c });
            s += c.len_utf8();
        }
    }
    pieces
}

/// Whether a code span's pieces lose one space at each end.
fn strips(pieces: &[CodePiece]) -> bool {
    pieces.len() >= 2
        && pieces[0].ch == ' '
        && pieces[pieces.len() - 1].ch == ' '
        && pieces.iter().any(|p| p.ch != ' ')
}

/// What a code span whose content is `source[range]` shows.
fn decode_code(source: &str, range: Range<usize>, quotes: usize, in_table: bool) -> String {
    let pieces = code_pieces(source, range, quotes, in_table);
    let skip = usize::from(strips(&pieces));
    pieces[skip..pieces.len() - skip].iter().map(|p| p.ch).collect()
}

/// The new source of the code span at `span` whose text goes from `old` to
/// `new`, inside `quotes` block quotes. `None` when its source does not map
/// to its text or the result would not read back as `new` (the caller then
/// writes the span anew).
pub fn code_span(source: &str, span: Range<usize>, old: &str, new: &str, quotes: usize, in_table: bool) -> Option<String> {
    let fence = source[span.clone()].bytes().take_while(|&b| b == b'`').count();
    if span.len() < 2 * fence || !source[..span.end].ends_with(&"`".repeat(fence)) {
        return None;
    }
    let inner = span.start + fence..span.end - fence;
    let pieces = code_pieces(source, inner.clone(), quotes, in_table);
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    // Padding a stripped space on each side stays out of the diff and is
    // put back as it was when the content still needs it.
    let skip = usize::from(strips(&pieces));
    let padding = (skip == 1).then(|| (&source[pieces[0].src.clone()], &source[pieces[pieces.len() - 1].src.clone()]));
    let mut units = Vec::with_capacity(pieces.len());
    for (d, p) in pieces[skip..pieces.len() - skip].iter().enumerate() {
        if old_chars.get(d) != Some(&p.ch) {
            return None;
        }
        units.push(Unit { src: p.src.clone(), chars: d..d + 1 });
    }
    if units.len() != old_chars.len() {
        return None;
    }
    let mut body = String::with_capacity(inner.len() + 8);
    for item in align(&old_chars, &new_chars, &units) {
        match item {
            Item::Kept { unit, .. } => body.push_str(&source[units[unit].src.clone()]),
            Item::New(i) => match new_chars[i] {
                '\n' | '\r' => body.push(' '),
                '|' if in_table => body.push_str("\\|"),
                c => body.push(c),
            },
        }
    }
    // The fence must not occur inside, nor touch a backtick of the content.
    let runs: Vec<usize> = body.split(|c| c != '`').map(str::len).filter(|&n| n > 0).collect();
    let mut ticks = fence;
    while runs.contains(&ticks) {
        ticks += 1;
    }
    let pads = padding.into_iter().chain([("", ""), (" ", " ")]);
    pads.into_iter().find_map(|(lead, trail)| {
        let fence = "`".repeat(ticks);
        let written = format!("{fence}{lead}{body}{trail}{fence}");
        let inner = ticks..written.len() - ticks;
        let touches = written[inner.clone()].starts_with('`') || written[inner.clone()].ends_with('`');
        (!touches && decode_code(&written, inner, quotes, in_table) == new).then_some(written)
    })
}

/// What a link destination reads as, or `None` if `written` is not one.
fn read_destination(written: &str) -> Option<String> {
    let doc = format!("[x]({written})");
    Parser::new_ext(&doc, Options::empty()).find_map(|e| match e {
        Event::Start(Tag::Link { dest_url, title, .. }) if title.is_empty() => Some(dest_url.to_string()),
        _ => None,
    })
}

/// What a link title reads as, or `None` if `written` is not one.
fn read_title(written: &str) -> Option<String> {
    let doc = format!("[x](u {written})");
    Parser::new_ext(&doc, Options::empty()).find_map(|e| match e {
        Event::Start(Tag::Link { dest_url, title, .. }) if dest_url.as_ref() == "u" => Some(title.to_string()),
        _ => None,
    })
}

/// Write `new` between `open` and `close`, keeping the source bytes of
/// what it shares with `old` (read from `source[inner]`); `escape(i)` says
/// whether new character `i` needs a backslash.
fn rewrite_escaped(
    source: &str,
    inner: Range<usize>,
    old: &str,
    new: &str,
    escape: impl Fn(&[char], usize) -> bool,
) -> Option<String> {
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let units = escaped_units(source, inner, &old_chars)?;
    let mut out = String::with_capacity(new.len() + 8);
    for item in align(&old_chars, &new_chars, &units) {
        match item {
            Item::Kept { unit, .. } => out.push_str(&source[units[unit].src.clone()]),
            Item::New(i) => {
                if escape(&new_chars, i) {
                    out.push('\\');
                }
                out.push(new_chars[i]);
            }
        }
    }
    Some(out)
}

/// Whether `c`, bare in a destination or title, could close a code span or
/// math that opened before the link (they bind more tightly than links).
fn spans_into(c: char) -> bool {
    matches!(c, '`' | '$')
}

/// Whether `\` or `&` at `i` would start an escape or a reference.
fn starts_escape(chars: &[char], i: usize) -> bool {
    match chars[i] {
        '\\' => chars.get(i + 1).is_none_or(|n| n.is_ascii_punctuation()),
        '&' => escape::starts_entity(&chars[i + 1..]),
        _ => false,
    }
}

/// The new source of the link destination at `dest` (with its `<>` if it
/// has them) whose value goes from `old` to `new`, if it can keep its form.
/// In a table cell (`in_table`) a new `|` is escaped, or it would end the
/// cell.
pub fn destination(source: &str, dest: Range<usize>, old: &str, new: &str, in_table: bool) -> Option<String> {
    let angled = source[dest.clone()].starts_with('<');
    let inner = if angled { dest.start + 1..dest.end - 1 } else { dest };
    let body = rewrite_escaped(source, inner, old, new, |chars, i| {
        starts_escape(chars, i) || spans_into(chars[i]) || (angled && matches!(chars[i], '<' | '>')) || (in_table && chars[i] == '|')
    })?;
    let written = if angled { format!("<{body}>") } else { body };
    (read_destination(&written).as_deref() == Some(new)).then_some(written)
}

/// The new source of the link title at `title` (with its delimiters) whose
/// value goes from `old` to `new`, if it can keep its delimiters (a new `|`
/// escaped in a table cell).
pub fn title(source: &str, title: Range<usize>, old: &str, new: &str, in_table: bool) -> Option<String> {
    let text = &source[title.clone()];
    let open = text.chars().next()?;
    let close = text.chars().next_back()?;
    let inner = title.start + open.len_utf8()..title.end - close.len_utf8();
    let body = rewrite_escaped(source, inner, old, new, |chars, i| {
        starts_escape(chars, i) || spans_into(chars[i]) || chars[i] == close || (open == '(' && chars[i] == '(') || (in_table && chars[i] == '|')
    })?;
    let written = format!("{open}{body}{close}");
    (read_title(&written).as_deref() == Some(new)).then_some(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn escapes_and_entities_map_to_their_characters() {
        let src = r"a\*b &amp; &#35;c &bogus;";
        let decoded = "a*b & #c &bogus;";
        let units = escaped_units(src, 0..src.len(), &chars(decoded)).unwrap();
        let pieces: Vec<&str> = units.iter().map(|u| &src[u.src.clone()]).collect();
        assert_eq!(&pieces[..7], ["a", "\\*", "b", " ", "&amp;", " ", "&#35;"]);
        assert_eq!(units.last().unwrap().chars, decoded.chars().count() - 1..decoded.chars().count());
        assert_eq!(escaped_units("a\\b", 0..3, &chars("ab")), None);
    }

    #[test]
    fn alignment_keeps_what_survives() {
        let src = r"x \<y\> z";
        let old = chars("x <y> z");
        let units = escaped_units(src, 0..src.len(), &old).unwrap();
        let items = align(&old, &chars("x <w> z"), &units);
        assert!(items.contains(&Item::New(3)));
        assert!(items.contains(&Item::Kept { unit: 2, new: 2..3 }), "{items:?}");
    }

    fn text(src: &str, old: &str, new: &str) -> String {
        let ctx = InlineContext { block_start: true, ..Default::default() };
        inline_text(src, 0..src.len(), || vec![0..src.len()], old, new, ctx, true).unwrap().unwrap().text
    }

    #[test]
    fn unchanged_stretches_keep_their_escapes_and_entities() {
        let src = r"Upgrade Kubernetes 1.28 takes ~3 hours on \<node count\> nodes &lt;tip&gt; * not a list.";
        let old = "Upgrade Kubernetes 1.28 takes ~3 hours on <node count> nodes <tip> * not a list.";
        let out = text(src, old, &old.replace("1.28", "1.30"));
        assert_eq!(out, src.replace("1.28", "1.30"));
        assert_eq!(text(src, old, old), src);
    }

    #[test]
    fn new_characters_are_escaped_for_where_they_land() {
        assert_eq!(text("a b", "a b", "a *b"), r"a \*b");
        assert_eq!(text("see it", "see it", "see [it](x)"), r"see \[it\](x)");
    }

    #[test]
    fn kept_characters_made_special_by_new_neighbours_are_escaped() {
        // `[1]` stays a citation until a `(` follows it.
        assert_eq!(text("see [1] now", "see [1] now", "see [1](now)"), r"see \[1\](now)");
        // A kept space that ends up at the start of the line.
        assert_eq!(text("x y", "x y", " y"), "&#32;y");
        // A kept `-` that now starts the line, a kept `*` that now makes
        // a list marker there.
        assert_eq!(text("a - b", "a - b", "- b"), r"\- b");
        assert_eq!(text("*foo", "*foo", "*  oo"), r"\*  oo");
        // A kept `*` between spaces that loses one.
        assert_eq!(text("2 * 3", "2 * 3", "2 *3"), r"2 \*3");
        // A kept `_` inside a word that now ends one.
        assert_eq!(text("snake_case", "snake_case", "snake_ case"), r"snake\_ case");
        // A kept backslash that now stands before punctuation.
        assert_eq!(text(r"C:\Users", r"C:\Users", r"C:\*Users"), r"C:\\\*Users");
    }

    #[test]
    fn kept_delimiters_whose_neighbours_keep_their_kind_stay_bare() {
        assert_eq!(text("1~99 and 1~69", "1~99 and 1~69", "1~100 and 1~69"), "1~100 and 1~69");
        assert_eq!(text("a * b", "a * b", "x * y"), "x * y");
    }

    #[test]
    fn single_tildes_github_may_pair_are_reported() {
        let ctx = InlineContext::default();
        let src = "1~99 和 1~69";
        let err = inline_text(src, 0..src.len(), || vec![0..src.len()], src, "1~ 99 和 1~69", ctx, false).unwrap_err();
        assert_eq!(err, TildeConflict { at: 1 });
        let err = inline_text(src, 0..src.len(), || vec![0..src.len()], src, "1-99 和 1~69", ctx, false).unwrap_err();
        assert_eq!(err, TildeConflict { at: 1 });
        // Tildes that can only open pair with nothing.
        let openers = "(~36.4 days) and (~79% offline)";
        let out = inline_text(openers, 0..openers.len(), || vec![0..openers.len()], openers, "(~ 36.4 days) and (~79% offline)", ctx, false);
        assert_eq!(out.unwrap().unwrap().text, r"(\~ 36.4 days) and (~79% offline)");
        // Alone in its block, a tilde has nothing to pair with.
        let alone = "about ~3 hours";
        assert_eq!(inline_text(alone, 0..alone.len(), || vec![0..alone.len()], alone, "about~3 hours", ctx, false).unwrap().unwrap().text, r"about\~3 hours");
    }

    #[test]
    fn code_spans_keep_line_breaks_and_indentation() {
        let src = "`$ [the command you\n\t  ran]`";
        let old = "$ [the command you ran]";
        assert_eq!(code_span(src, 0..src.len(), old, old, 0, false).unwrap(), src);
        let out = code_span(src, 0..src.len(), old, "$ [the command we ran]", 0, false).unwrap();
        assert_eq!(out, "`$ [the command we\n\t  ran]`");
        let quoted = "`a\n> b`";
        assert_eq!(code_span(quoted, 0..quoted.len(), "a b", "a c", 1, false).unwrap(), "`a\n> c`");
    }

    #[test]
    fn code_span_fences_and_padding_follow_the_content() {
        assert_eq!(code_span("`a`", 0..3, "a", "a`b", 0, false).unwrap(), "``a`b``");
        assert_eq!(code_span("`a`", 0..3, "a", "`a", 0, false).unwrap(), "`` `a ``");
        assert_eq!(code_span("`` `a ``", 0..8, "`a", "`b", 0, false).unwrap(), "`` `b ``");
        assert_eq!(code_span(r"`a\|b`", 0..6, "a|b", "a|c", 0, true).unwrap(), r"`a\|c`");
    }

    #[test]
    fn destinations_and_titles_keep_their_escapes() {
        let src = r"/a\_b/&amp;c";
        assert_eq!(destination(src, 0..src.len(), "/a_b/&c", "/a_b/&d", false).unwrap(), r"/a\_b/&amp;d");
        let angled = "</my file>";
        assert_eq!(destination(angled, 0..angled.len(), "/my file", "/my files", false).unwrap(), "</my files>");
        // A space cannot go in a bare destination: the caller rewrites it.
        assert_eq!(destination("/a", 0..2, "/a", "/a b", false), None);
        assert_eq!(destination("/a", 0..2, "/a", "/a|b", true).unwrap(), r"/a\|b");
        assert_eq!(destination("/a", 0..2, "/a", "/a$`b", false).unwrap(), r"/a\$\`b");
        let t = r#""say \"hi\"""#;
        assert_eq!(title(t, 0..t.len(), "say \"hi\"", "say \"yo\"", false).unwrap(), r#""say \"yo\"""#);
        let p = "(a (b))";
        assert_eq!(read_title(p), None);
        let p = r"(a \(b\))";
        assert_eq!(title(p, 0..p.len(), "a (b)", "a (c)", false).unwrap(), r"(a \(c\))");
    }
}
