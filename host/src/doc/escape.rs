//! Turning plain text into Markdown that renders as exactly that text, for
//! the place it will stand in.
//!
//! The escaper is minimal on purpose: a character is escaped only where it
//! could change the rendering, so `AT&T`, `snake_case` and `2 * 3` come out
//! as written and diffs stay small.

/// Where inline text will stand.
#[derive(Debug, Clone, Copy, Default)]
pub struct InlineContext<'a> {
    /// The text starts where a block could start (first line of a paragraph,
    /// after a line break, the first line of a setext heading).
    pub block_start: bool,
    /// Inside a table cell: `|` must be escaped and line breaks cannot exist.
    pub in_table: bool,
    /// Inside an ATX heading: a trailing `#` run would be taken as the
    /// closing sequence, and line breaks cannot exist.
    pub in_atx_heading: bool,
    /// The source character just before the text, if any.
    pub before: Option<char>,
    /// The source character just after the text, if any.
    pub after: Option<char>,
    /// Inside a link's or image's text, where any bracket could close it.
    pub in_link: bool,
    /// The document's link reference labels, normalised with
    /// [`normalize_label`]: `[x]` matching one of them would become a link.
    pub labels: &'a [String],
}

/// A link label as reference matching sees it: case-folded, inner
/// whitespace collapsed.
pub fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How one character of new text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// As itself.
    Plain,
    /// Behind a backslash.
    Escaped,
    /// As a character reference (`&#32;`, `&#9;`, `&#10;`, `&#13;`).
    Reference(&'static str),
}

impl Out {
    /// Append `c`, written this way, to `out`.
    pub fn write(self, c: char, out: &mut String) {
        match self {
            Out::Plain => out.push(c),
            Out::Escaped => {
                out.push('\\');
                out.push(c);
            }
            Out::Reference(r) => out.push_str(r),
        }
    }
}

/// Escape `text` so that, placed in `ctx`, it renders as `text`.
pub fn escape_inline(text: &str, ctx: InlineContext<'_>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (c, how) in text.chars().zip(inline_plan(text, ctx)) {
        how.write(c, &mut out);
    }
    out
}

/// How each character of `text` (one entry per `char`) is written so that,
/// placed in `ctx`, the text renders as itself.
pub fn inline_plan(text: &str, ctx: InlineContext<'_>) -> Vec<Out> {
    let lines = split_soft_breaks(text, ctx.in_table || ctx.in_atx_heading);
    let mut plan = Vec::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let last_line = i + 1 == lines.len();
        let line_ctx = InlineContext {
            block_start: ctx.block_start || i > 0,
            before: if i == 0 { ctx.before } else { Some('\n') },
            after: if last_line { ctx.after } else { Some('\n') },
            ..ctx
        };
        plan_line(line, line_ctx, &mut plan);
        if !last_line {
            // The soft break between the two lines.
            plan.push(Out::Plain);
        }
    }
    plan
}

/// Which characters of `text` [`inline_plan`] escapes because of where
/// they stand on their line (a block marker at its start, an ATX closing
/// sequence at its end) rather than because of their neighbours.
pub fn line_level_escapes(text: &str, ctx: InlineContext<'_>) -> Vec<bool> {
    let lines = split_soft_breaks(text, ctx.in_table || ctx.in_atx_heading);
    let mut marks = Vec::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let last_line = i + 1 == lines.len();
        let chars: Vec<char> = line.chars().collect();
        let leading = if ctx.block_start || i > 0 { block_start_escapes(&chars) } else { Vec::new() };
        let ends_line = !last_line || matches!(ctx.after, None | Some('\n' | '\r'));
        let trailing = if ctx.in_atx_heading && ends_line { trailing_hash_run(&chars) } else { None };
        marks.extend((0..chars.len()).map(|k| leading.contains(&k) || trailing == Some(k)));
        if !last_line {
            marks.push(false);
        }
    }
    marks
}

/// Split `text` at the line breaks that can be written as soft breaks: a
/// single `\n` between two non-empty lines of a multi-line block. Any other
/// line break (leading, trailing, doubled, or in a table cell or ATX
/// heading) stays inside a line and is written as `&#10;`.
fn split_soft_breaks(text: &str, single_line: bool) -> Vec<&str> {
    if single_line {
        return vec![text];
    }
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let soft = b == b'\n'
            && i > start
            && !matches!(bytes.get(i + 1), None | Some(b'\n' | b'\r'))
            && !matches!(bytes[i - 1], b'\n' | b'\r');
        if soft {
            lines.push(&text[start..i]);
            start = i + 1;
        }
    }
    lines.push(&text[start..]);
    lines
}

/// Whether `c` counts as punctuation where delimiter runs are classified:
/// ASCII punctuation and any other character that is neither alphanumeric
/// nor whitespace (Unicode punctuation and symbols).
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
}

/// What a delimiter run's neighbour is, for flanking: whitespace (or a line
/// edge), punctuation, or anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flank {
    Space,
    Punctuation,
    Other,
}

pub fn flank(c: Option<char>) -> Flank {
    match c {
        None => Flank::Space,
        Some(c) if c.is_whitespace() => Flank::Space,
        Some(c) if is_punctuation(c) => Flank::Punctuation,
        Some(_) => Flank::Other,
    }
}

/// Whether a delimiter run between `before` and `after` is left-flanking
/// (may open) and right-flanking (may close).
pub fn flanking(before: Option<char>, after: Option<char>) -> (bool, bool) {
    let (b, a) = (flank(before), flank(after));
    let left = a != Flank::Space && (a != Flank::Punctuation || b != Flank::Other);
    let right = b != Flank::Space && (b != Flank::Punctuation || a != Flank::Other);
    (left, right)
}

/// Whether a run of the delimiter `d` (`*`, `_` or `~`) standing between
/// `before` and `after` (`None`: a line edge) can open or close emphasis or
/// strikethrough, by the CommonMark flanking rules (which cmark-gfm also
/// applies to `~`).
pub fn delimiter_can_act(d: char, before: Option<char>, after: Option<char>) -> bool {
    let (b, a) = (flank(before), flank(after));
    let (left, right) = flanking(before, after);
    match d {
        '_' => (left && (!right || b == Flank::Punctuation)) || (right && (!left || a == Flank::Punctuation)),
        _ => left || right,
    }
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn is_alnum(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Plan one line (no `\n` inside).
fn plan_line(line: &str, ctx: InlineContext<'_>, plan: &mut Vec<Out>) {
    let chars: Vec<char> = line.chars().collect();
    let leading = if ctx.block_start { block_start_escapes(&chars) } else { Vec::new() };
    // Whitespace at either end of a line would be stripped by the parser:
    // write the outermost one as a character reference.
    let ends_line = matches!(ctx.after, None | Some('\n' | '\r'));
    let atx_closing = ctx.in_atx_heading && ends_line;
    let trailing_hashes = if atx_closing { trailing_hash_run(&chars) } else { None };
    let inert_brackets = inert_bracket_pairs(&chars, &ctx);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i == 0 { ctx.before } else { Some(chars[i - 1]) };
        let next = chars.get(i + 1).copied().or(ctx.after);
        let at_line_start = i == 0 && ctx.block_start;
        let edge = at_line_start || (i + 1 == chars.len() && ends_line);
        let reference = match c {
            ' ' if edge => Some("&#32;"),
            '\t' if edge => Some("&#9;"),
            // pulldown-cmark strips these at a line's ends too (found by
            // the `escape` fuzz target: a form feed before a line break).
            '\u{b}' if edge => Some("&#11;"),
            '\u{c}' if edge => Some("&#12;"),
            '\n' => Some("&#10;"),
            '\r' => Some("&#13;"),
            _ => None,
        };
        if let Some(r) = reference {
            plan.push(Out::Reference(r));
            continue;
        }
        let escape = leading.contains(&i)
            || trailing_hashes == Some(i)
            || match c {
                // Also before a space or tab written as a character
                // reference: `\&#32;` would read as `&#32;` (found by the
                // `escape` fuzz target).
                '\\' => {
                    next.is_none_or(|n| n.is_ascii_punctuation() || n == '\n' || n == '\r')
                        || (i + 2 == chars.len() && ends_line && matches!(next, Some(' ' | '\t' | '\u{b}' | '\u{c}')))
                }
                '[' | ']' => !inert_brackets.contains(&i),
                '`' | '$' => true,
                '*' | '~' => !(is_space(prev) && is_space(next)),
                '_' => !(is_alnum(prev) && is_alnum(next)),
                '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) || starts_email_autolink(&chars[i + 1..]),
                '&' => starts_entity(&chars[i + 1..]),
                '|' => ctx.in_table,
                '!' => i + 1 == chars.len() && ctx.after == Some('['),
                _ => false,
            };
        plan.push(if escape { Out::Escaped } else { Out::Plain });
    }
}

/// Whether `rest` (what follows a `<`) completes an email autolink,
/// `<local@domain>`, whose local part may start with a digit or one of
/// ``.!#$%&'*+/=?^_`{|}~-`` (found by the `escape` fuzz target:
/// `<#a@b.c>` was written unescaped and became a link).
fn starts_email_autolink(rest: &[char]) -> bool {
    let local = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(**c)).count();
    if local == 0 || rest.get(local) != Some(&'@') {
        return false;
    }
    let domain = rest[local + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.')).count();
    domain > 0 && rest.get(local + 1 + domain) == Some(&'>')
}

/// Indices of `[` and `]` that can stay unescaped: a pair closed within the
/// line that cannot become a link (not followed by `(` or `[`, not naming a
/// reference definition, not a footnote `[^…]`), outside link text. Citations
/// like `[1]` and `[TODO]` keep their bytes.
fn inert_bracket_pairs(chars: &[char], ctx: &InlineContext<'_>) -> Vec<usize> {
    let mut inert = Vec::new();
    if ctx.in_link {
        return inert;
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' => open.push(i),
            ']' => {
                let Some(start) = open.pop() else { continue };
                let next = chars.get(i + 1).copied().or(ctx.after);
                let content: String = chars[start + 1..i].iter().collect();
                let may_link = matches!(next, Some('(' | '[' | ':'))
                    || content.starts_with('^')
                    || content.trim().is_empty()
                    // `[x]` opening a list item would be a task marker.
                    || (ctx.block_start && start == 0 && matches!(content.as_str(), "x" | "X"))
                    || ctx.labels.contains(&normalize_label(&content));
                // An inner pair may stay inert only inside an inert outer one,
                // so decide from the outside in: a linking pair taints those
                // it encloses.
                if may_link {
                    inert.retain(|&k| k < start || k > i);
                } else {
                    inert.push(start);
                    inert.push(i);
                }
            }
            _ => {}
        }
    }
    inert
}

/// Indices of characters that would start a block if the line began a block:
/// ATX headings, block quotes, list markers, thematic breaks and setext
/// underlines.
fn block_start_escapes(chars: &[char]) -> Vec<usize> {
    let Some(first) = chars.iter().position(|c| !matches!(c, ' ' | '\t')) else {
        return Vec::new();
    };
    let rest = &chars[first..];
    let followed_by_space = |n: usize| rest.get(n).is_none_or(|c| matches!(c, ' ' | '\t'));
    match rest[0] {
        '#' | '>' => vec![first],
        '-' | '+' | '*' if followed_by_space(1) => vec![first],
        '-' | '=' | '_' | '*'
            if rest.iter().all(|c| matches!(c, ' ' | '\t') || *c == rest[0]) =>
        {
            vec![first]
        }
        '0'..='9' => {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            let marker = rest.get(digits).is_some_and(|c| matches!(c, '.' | ')'));
            if digits <= 9 && marker && followed_by_space(digits + 1) {
                vec![first + digits]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// In an ATX heading, a final run of `#` preceded by a space (or alone) is
/// the optional closing sequence; escaping its first `#` keeps it text.
fn trailing_hash_run(chars: &[char]) -> Option<usize> {
    let trimmed = chars.len() - chars.iter().rev().take_while(|c| matches!(c, ' ' | '\t')).count();
    let hashes = chars[..trimmed].iter().rev().take_while(|&&c| c == '#').count();
    let start = trimmed - hashes;
    (hashes > 0 && (start == 0 || matches!(chars[start - 1], ' ' | '\t'))).then_some(start)
}

/// Whether `&` followed by `rest` reads as an entity or character reference.
pub(crate) fn starts_entity(rest: &[char]) -> bool {
    let body: String = rest.iter().take(33).take_while(|&&c| c != ';').collect();
    if rest.get(body.chars().count()) != Some(&';') || body.is_empty() {
        return false;
    }
    if let Some(num) = body.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => (1..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => (1..=7).contains(&num.len()) && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    body.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && body.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A code span showing `content`: a backtick fence longer than any run
/// inside, padded when the content starts or ends with a backtick or would
/// lose a space. `min_fence` keeps the original fence length when it works.
pub fn code_span(content: &str, min_fence: usize, in_table: bool) -> Result<String, String> {
    if content.is_empty() {
        return Err("a code span cannot be empty; remove the node instead".to_string());
    }
    // Line endings render as spaces inside code spans, and a line break could
    // let the next line start a block, so write them as spaces.
    let content = content.replace("\r\n", " ").replace(['\n', '\r'], " ");
    let content = if in_table { content.replace('|', "\\|") } else { content };
    let runs = backtick_runs(&content);
    let mut fence = min_fence.max(1);
    while runs.contains(&fence) {
        fence += 1;
    }
    let all_spaces = content.chars().all(|c| c == ' ');
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (!all_spaces && content.starts_with(' ') && content.ends_with(' '));
    let ticks = "`".repeat(fence);
    let space = if pad { " " } else { "" };
    Ok(format!("{ticks}{space}{content}{space}{ticks}"))
}

fn backtick_runs(s: &str) -> Vec<usize> {
    s.split(|c| c != '`').map(str::len).filter(|&n| n > 0).collect()
}

/// The fence length a fenced code block needs so that no line of `content`
/// closes it early.
pub fn fence_length(content: &str, fence_char: char, min: usize) -> usize {
    let longest = content
        .lines()
        .filter_map(|line| {
            let trimmed = line.trim_start_matches(' ');
            let run = trimmed.chars().take_while(|&c| c == fence_char).count();
            let rest = &trimmed[run * fence_char.len_utf8()..];
            (line.len() - trimmed.len() <= 3 && run >= 3 && rest.trim().is_empty()).then_some(run)
        })
        .max()
        .unwrap_or(0);
    min.max(longest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(text: &str) -> String {
        escape_inline(text, InlineContext::default())
    }

    #[test]
    fn plain_text_is_left_as_is() {
        assert_eq!(inline("AT&T uses snake_case and 2 * 3 < 7"), "AT&T uses snake_case and 2 * 3 < 7");
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(inline("*a* [b](c) `c` <div> &amp; _d_"), r"\*a\* \[b\](c) \`c\` \<div> \&amp; \_d\_");
    }

    #[test]
    fn brackets_that_cannot_link_keep_their_bytes() {
        let labels = vec![normalize_label("Defined  Label")];
        let ctx = InlineContext { labels: &labels, ..Default::default() };
        assert_eq!(escape_inline("see [1] and [TODO]", ctx), "see [1] and [TODO]");
        assert_eq!(escape_inline("[defined label] [x][y] [z](u) [^n] a]b[", ctx), r"\[defined label\] \[x\][y] \[z\](u) \[^n\] a\]b\[");
        assert_eq!(escape_inline("[[inner](u)]", ctx), r"[\[inner\](u)]");
        let item = InlineContext { block_start: true, ..Default::default() };
        assert_eq!(escape_inline("[x] done [x]", item), r"\[x\] done [x]");
        let in_link = InlineContext { in_link: true, ..Default::default() };
        assert_eq!(escape_inline("[1]", in_link), r"\[1\]");
    }

    #[test]
    fn block_starts_are_escaped_only_at_line_start() {
        let ctx = InlineContext { block_start: true, ..Default::default() };
        assert_eq!(escape_inline("# not a heading", ctx), r"\# not a heading");
        assert_eq!(escape_inline("1. not a list", ctx), r"1\. not a list");
        assert_eq!(escape_inline("- x\n> y\n===", ctx), "\\- x\n\\> y\n\\===");
        assert_eq!(inline("a # b 1. c"), "a # b 1. c");
    }

    #[test]
    fn a_form_feed_or_vertical_tab_at_a_line_end_is_a_reference() {
        assert_eq!(inline("a\u{c}\nb"), "a&#12;\nb");
        assert_eq!(inline("a\u{b}"), "a&#11;");
        assert_eq!(inline("a\u{c}b"), "a\u{c}b");
    }

    #[test]
    fn a_backslash_before_a_space_written_as_a_reference_is_escaped() {
        assert_eq!(inline("a\\ "), "a\\\\&#32;");
        assert_eq!(inline("a\\ b"), "a\\ b");
    }

    #[test]
    fn a_less_than_that_would_open_an_email_autolink_is_escaped() {
        assert_eq!(inline("<#a@b.c>"), "\\<#a@b.c>");
        assert_eq!(inline("<1x@b.c>"), "\\<1x@b.c>");
        assert_eq!(inline("1 <3 you@home"), "1 <3 you@home");
    }

    #[test]
    fn pipes_escape_in_tables_only() {
        let ctx = InlineContext { in_table: true, ..Default::default() };
        assert_eq!(escape_inline("a|b\nc", ctx), r"a\|b&#10;c");
        assert_eq!(inline("a|b"), "a|b");
    }

    #[test]
    fn atx_closing_sequence_is_kept_as_text() {
        let ctx = InlineContext { in_atx_heading: true, ..Default::default() };
        assert_eq!(escape_inline("Issue #", ctx), r"Issue \#");
        assert_eq!(escape_inline("C#", ctx), "C#");
    }

    #[test]
    fn line_breaks_are_soft_breaks_only_between_lines() {
        assert_eq!(inline("a\nb"), "a\nb");
        assert_eq!(inline("a\n\nb\n"), "a&#10;&#10;b&#10;");
    }

    #[test]
    fn edge_whitespace_survives() {
        let ctx = InlineContext { block_start: true, ..Default::default() };
        assert_eq!(escape_inline(" x ", ctx), "&#32;x&#32;");
    }

    #[test]
    fn code_spans_outgrow_their_content() {
        assert_eq!(code_span("a`b", 1, false).unwrap(), "``a`b``");
        assert_eq!(code_span("`x", 1, false).unwrap(), "`` `x ``");
        assert_eq!(code_span(" y ", 1, false).unwrap(), "`  y  `");
        assert_eq!(code_span("a|b", 1, true).unwrap(), r"`a\|b`");
    }

    #[test]
    fn fences_outgrow_fences_inside() {
        assert_eq!(fence_length("```\ncode\n```\n", '`', 3), 4);
        assert_eq!(fence_length("plain\n", '`', 3), 3);
    }
}
