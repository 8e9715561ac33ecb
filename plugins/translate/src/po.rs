//! Gettext PO catalogs: writing templates and updated catalogs, reading
//! translated ones. Covers what Markdown catalogs use: `msgctxt`, comments,
//! references, the `fuzzy` flag and previous msgids (`#|`); plural forms are
//! read and ignored (prose has none).

use std::collections::HashMap;
use std::fmt::Write;

/// One catalog entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub context: Option<String>,
    pub id: String,
    /// The translation; empty when untranslated.
    pub text: String,
    pub fuzzy: bool,
    /// `#| msgid`: the source this translation was made for.
    pub previous: Option<String>,
    /// `#.` notes for translators.
    pub notes: Vec<String>,
    /// `#:` references (`file:line`).
    pub references: Vec<String>,
    /// `# ` translator comments, kept as written.
    pub comments: Vec<String>,
}

/// Writes a catalog: a header entry, then the entries in order.
pub fn write(header: &[(&str, &str)], entries: &[Entry]) -> String {
    let mut out = String::new();
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for (key, value) in header {
        writeln!(out, "{}", quote(&format!("{key}: {value}\n"))).unwrap();
    }
    for entry in entries {
        out.push('\n');
        for comment in &entry.comments {
            writeln!(out, "# {comment}").unwrap();
        }
        for note in &entry.notes {
            for line in note.lines() {
                writeln!(out, "#. {line}").unwrap();
            }
        }
        if !entry.references.is_empty() {
            writeln!(out, "#: {}", entry.references.join(" ")).unwrap();
        }
        if entry.fuzzy {
            out.push_str("#, fuzzy\n");
        }
        if let Some(previous) = &entry.previous {
            writeln!(out, "#| msgid {}", quote(previous)).unwrap();
        }
        if let Some(context) = &entry.context {
            writeln!(out, "msgctxt {}", quote(context)).unwrap();
        }
        writeln!(out, "msgid {}", quote(&entry.id)).unwrap();
        writeln!(out, "msgstr {}", quote(&entry.text)).unwrap();
    }
    out
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unquote(s: &str, line: usize) -> Result<String, String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("line {line}: expected a quoted string, found `{s}`"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\u{7}'),
            Some(other) => return Err(format!("line {line}: unknown escape `\\{other}`")),
            None => return Err(format!("line {line}: a string ends with a backslash")),
        }
    }
    Ok(out)
}

/// Which string a continuation line (`"…"`) adds to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Context,
    Id,
    Plural,
    Text,
    Previous,
}

/// Reads a PO catalog. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    let mut entry = Entry::default();
    let mut field = Field::None;
    let mut started = false;
    let mut finish = |entry: &mut Entry, started: &mut bool| {
        if *started {
            entries.push(std::mem::take(entry));
        }
        *started = false;
    };
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('"') {
            let value = unquote(&format!("\"{rest}"), line_no)?;
            match field {
                Field::Context => entry.context.get_or_insert_with(String::new).push_str(&value),
                Field::Id => entry.id.push_str(&value),
                Field::Text => entry.text.push_str(&value),
                Field::Previous => entry.previous.get_or_insert_with(String::new).push_str(&value),
                Field::Plural => {}
                Field::None => return Err(format!("line {line_no}: a string continues nothing")),
            }
            continue;
        }
        let starts_entry = line.starts_with("msgctxt") || line.starts_with("msgid ") || line.starts_with('#');
        if starts_entry && matches!(field, Field::Text | Field::Plural) {
            finish(&mut entry, &mut started);
            field = Field::None;
        }
        if let Some(rest) = line.strip_prefix("#|") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix("msgid ") {
                entry.previous = Some(unquote(value.trim(), line_no)?);
                field = Field::Previous;
            } else if let Some(value) = rest.strip_prefix('"') {
                entry.previous.get_or_insert_with(String::new).push_str(&unquote(&format!("\"{value}"), line_no)?);
            }
            started = true;
        } else if let Some(rest) = line.strip_prefix("#,") {
            entry.fuzzy |= rest.split(',').any(|flag| flag.trim() == "fuzzy");
            started = true;
        } else if let Some(rest) = line.strip_prefix("#.") {
            entry.notes.push(rest.trim().to_string());
            started = true;
        } else if let Some(rest) = line.strip_prefix("#:") {
            entry.references.extend(rest.split_whitespace().map(str::to_string));
            started = true;
        } else if line.starts_with("#~") {
            // An obsolete entry: not a translation of anything current.
        } else if let Some(rest) = line.strip_prefix('#') {
            entry.comments.push(rest.trim().to_string());
            started = true;
        } else if let Some(value) = line.strip_prefix("msgctxt") {
            entry.context = Some(unquote(value.trim(), line_no)?);
            field = Field::Context;
            started = true;
        } else if let Some(value) = line.strip_prefix("msgid_plural") {
            unquote(value.trim(), line_no)?;
            field = Field::Plural;
        } else if let Some(value) = line.strip_prefix("msgid") {
            entry.id = unquote(value.trim(), line_no)?;
            field = Field::Id;
            started = true;
        } else if let Some(rest) = line.strip_prefix("msgstr") {
            let (plural_index, value) = match rest.strip_prefix('[') {
                Some(r) => {
                    let (index, value) = r.split_once(']').ok_or_else(|| format!("line {line_no}: bad `msgstr[`"))?;
                    (index.trim().parse::<u32>().ok(), value)
                }
                None => (Some(0), rest),
            };
            let value = unquote(value.trim(), line_no)?;
            if plural_index == Some(0) {
                entry.text = value;
                field = Field::Text;
            } else {
                field = Field::Plural;
            }
        } else {
            return Err(format!("line {line_no}: cannot read `{line}`"));
        }
    }
    finish(&mut entry, &mut started);
    // The header is the entry with an empty msgid.
    entries.retain(|e| !(e.id.is_empty() && e.context.is_none()));
    Ok(entries)
}

/// A translation as a catalog holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub text: String,
    pub fuzzy: bool,
}

/// A translated catalog, looked up by context and message. Only what
/// applying needs is kept: catalogs of a large tree hold hundreds of
/// thousands of entries, once per session.
pub struct Catalog {
    translations: Vec<Translation>,
    /// By context and message with whitespace collapsed; an entry written
    /// that way wins over one that differs from it in whitespace only.
    normalized: HashMap<(Option<String>, String), usize>,
    /// Entries whose message is not written with collapsed whitespace.
    exact: HashMap<(Option<String>, String), usize>,
}

impl Catalog {
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut catalog = Catalog { translations: Vec::new(), normalized: HashMap::new(), exact: HashMap::new() };
        for entry in entries {
            let at = catalog.translations.len();
            catalog.translations.push(Translation { text: entry.text, fuzzy: entry.fuzzy });
            let key = normalize(&entry.id);
            if key == entry.id {
                catalog.normalized.insert((entry.context, key), at);
            } else {
                catalog.normalized.entry((entry.context.clone(), key)).or_insert(at);
                catalog.exact.insert((entry.context, entry.id), at);
            }
        }
        catalog
    }

    /// The translation of a message: the exact entry, else one whose
    /// message differs only in whitespace.
    pub fn get(&self, context: Option<&str>, id: &str) -> Option<&Translation> {
        let context = context.map(str::to_string);
        let key = normalize(id);
        let at = if key == id {
            self.normalized.get(&(context, key))
        } else {
            self.exact.get(&(context.clone(), id.to_string())).or_else(|| self.normalized.get(&(context, key)))
        };
        at.map(|&i| &self.translations[i])
    }
}

/// Whitespace runs collapsed to one space, ends trimmed.
pub fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back() {
        let entries = vec![
            Entry {
                id: "Press <1>Ctrl</1> \"now\"\\".into(),
                references: vec!["a.md:3".into(), "b.md:9".into()],
                notes: vec!["<1> = <kbd>".into()],
                ..Entry::default()
            },
            Entry {
                context: Some("image alt text".into()),
                id: "A cat".into(),
                text: "一只猫".into(),
                fuzzy: true,
                previous: Some("The cat".into()),
                ..Entry::default()
            },
        ];
        let text = write(&[("Content-Type", "text/plain; charset=UTF-8")], &entries);
        assert!(text.contains("#: a.md:3 b.md:9\n"), "{text}");
        assert!(text.contains("#, fuzzy\n#| msgid \"The cat\"\nmsgctxt \"image alt text\"\n"), "{text}");
        assert_eq!(parse(&text).unwrap(), entries);
    }

    #[test]
    fn reads_multiline_strings_and_skips_obsolete_entries() {
        let text = "msgid \"\"\nmsgstr \"\"\n\"Language: zh\\n\"\n\n# translator note\nmsgid \"\"\n\"Hello \"\n\"world\"\nmsgstr \"\"\n\"你好\"\n\"世界\"\n\n#~ msgid \"old\"\n#~ msgstr \"旧\"\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].id, "Hello world");
        assert_eq!(entries[0].text, "你好世界");
        assert_eq!(entries[0].comments, ["translator note"]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("msgid \"a\"\nmsgstr x\n").unwrap_err(), "line 2: expected a quoted string, found `x`");
        assert_eq!(parse("msgid \"a\\q\"\n").unwrap_err(), "line 1: unknown escape `\\q`");
    }

    #[test]
    fn lookup_forgives_whitespace_only() {
        let catalog = Catalog::new(vec![
            Entry { id: "a  b\nc".into(), text: "x".into(), ..Entry::default() },
            Entry { id: "d  e".into(), text: "spaced".into(), ..Entry::default() },
            Entry { id: "d e".into(), text: "plain".into(), ..Entry::default() },
        ]);
        assert_eq!(catalog.get(None, "a b c").map(|e| e.text.as_str()), Some("x"));
        assert!(catalog.get(None, "a b d").is_none());
        assert!(catalog.get(Some("ctx"), "a b c").is_none());
        assert_eq!(catalog.get(None, "d  e").map(|e| e.text.as_str()), Some("spaced"), "exact first");
        assert_eq!(catalog.get(None, "d e").map(|e| e.text.as_str()), Some("plain"));
        assert_eq!(catalog.get(None, "d\ne").map(|e| e.text.as_str()), Some("plain"));
    }
}
