//! XLIFF 2.0 catalogs: the same messages as the PO template, for
//! translators' tools that prefer it, codes as `<pc>` (paired) and `<ph>`
//! (standalone); and translated XLIFF read back like a PO catalog.
//!
//! Each message is one `<unit>` with one `<segment>`; its references, notes
//! and context are `<note>`s (`category="location"`, `"context"`). A target
//! whose segment is `state="initial"` is read as fuzzy (not applied by
//! default); a segment with no target is untranslated.

use std::fmt::Write;

use crate::message;
use crate::po::Entry;

/// Writes `entries` as one XLIFF 2.0 document.
pub fn write(entries: &[Entry], source_language: &str, target_language: Option<&str>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write!(out, "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"{}\"", escape(source_language)).unwrap();
    if let Some(target) = target_language {
        write!(out, " trgLang=\"{}\"", escape(target)).unwrap();
    }
    out.push_str(">\n <file id=\"f1\">\n");
    for (i, entry) in entries.iter().enumerate() {
        writeln!(out, "  <unit id=\"u{}\">", i + 1).unwrap();
        let notes: Vec<(&str, &str)> = entry
            .context
            .iter()
            .map(|c| ("context", c.as_str()))
            .chain(entry.references.iter().map(|r| ("location", r.as_str())))
            .chain(entry.notes.iter().map(|n| ("", n.as_str())))
            .collect();
        if !notes.is_empty() {
            out.push_str("   <notes>\n");
            for (category, note) in notes {
                let category = if category.is_empty() { String::new() } else { format!(" category=\"{category}\"") };
                writeln!(out, "    <note{category}>{}</note>", escape(note)).unwrap();
            }
            out.push_str("   </notes>\n");
        }
        let state = match (entry.text.is_empty(), entry.fuzzy) {
            (true, _) => "initial",
            (false, true) => "initial",
            (false, false) => "translated",
        };
        writeln!(out, "   <segment state=\"{state}\">").unwrap();
        writeln!(out, "    <source>{}</source>", message::to_elements(&entry.id, "pc", "ph")).unwrap();
        if !entry.text.is_empty() {
            writeln!(out, "    <target>{}</target>", message::to_elements(&entry.text, "pc", "ph")).unwrap();
        }
        out.push_str("   </segment>\n  </unit>\n");
    }
    out.push_str(" </file>\n</xliff>\n");
    out
}

/// Reads the units of an XLIFF 2.0 document (the subset [`write`] writes,
/// which is what XLIFF tools keep when they save). Errors name the unit.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    if !text.contains("urn:oasis:names:tc:xliff:document:2.0") {
        return Err("not an XLIFF 2.0 document (no urn:oasis:names:tc:xliff:document:2.0 namespace)".into());
    }
    let mut entries = Vec::new();
    for (i, unit) in elements(text, "unit").into_iter().enumerate() {
        let context = elements(unit, "note")
            .into_iter()
            .find(|n| n.starts_with(" category=\"context\"") || n.starts_with(" category='context'"))
            .and_then(|n| n.split_once('>').map(|(_, v)| unescape(v)));
        let source = elements(unit, "source")
            .into_iter()
            .next()
            .ok_or_else(|| format!("unit {}: no <source>", i + 1))?;
        let target = elements(unit, "target").into_iter().next();
        let state = elements(unit, "segment")
            .into_iter()
            .next()
            .and_then(|s| s.split('>').next())
            .and_then(|attrs| attrs.split("state=").nth(1))
            .map(|v| v.trim_start_matches(['"', '\'']).split(['"', '\'']).next().unwrap_or_default().to_string());
        let content = |element: &str| element.split_once('>').map(|(_, inner)| message::from_elements(inner)).unwrap_or_default();
        entries.push(Entry {
            context,
            id: content(source),
            text: target.map(content).unwrap_or_default(),
            fuzzy: state.as_deref() == Some("initial"),
            ..Entry::default()
        });
    }
    Ok(entries)
}

/// The attributes and content (`attrs>content`) of every `<name …>…</name>`
/// in `text`.
fn elements<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        // `<unit` must not match `<units`.
        if !after.starts_with([' ', '>', '/', '\n', '\t']) {
            rest = after;
            continue;
        }
        if after.starts_with('/') || after.split('>').next().is_some_and(|a| a.ends_with('/')) {
            rest = after;
            continue;
        }
        let Some(end) = after.find(&close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_units_and_reads_translations_back() {
        let entries = vec![
            Entry {
                id: "Press <1>Ctrl</1> & <2/>".into(),
                references: vec!["a.md:3".into()],
                notes: vec!["codes: <1>…</1> is <kbd>…</kbd>".into()],
                ..Entry::default()
            },
            Entry { context: Some("image alt text".into()), id: "A cat".into(), text: "一只猫".into(), ..Entry::default() },
        ];
        let xliff = write(&entries, "en", Some("zh"));
        assert!(xliff.contains("<source>Press <pc id=\"1\">Ctrl</pc> &amp; <ph id=\"2\"/></source>"), "{xliff}");
        assert!(xliff.contains("<note category=\"location\">a.md:3</note>"), "{xliff}");
        assert!(xliff.contains("<note>codes: &lt;1&gt;…&lt;/1&gt; is &lt;kbd&gt;…&lt;/kbd&gt;</note>"), "{xliff}");
        // A translator fills in the first target.
        let translated = xliff.replace(
            "<segment state=\"initial\">\n    <source>Press",
            "<segment state=\"translated\">\n    <target>按 <pc id=\"1\">Ctrl</pc> 和 <ph id=\"2\"/></target>\n    <source>Press",
        );
        let read = parse(&translated).unwrap();
        assert_eq!(read[0].id, "Press <1>Ctrl</1> & <2/>");
        assert_eq!(read[0].text, "按 <1>Ctrl</1> 和 <2/>");
        assert!(!read[0].fuzzy);
        assert_eq!(read[1].context.as_deref(), Some("image alt text"));
        assert_eq!(read[1].text, "一只猫");
    }

    #[test]
    fn an_initial_target_is_fuzzy_and_other_documents_are_refused() {
        let xliff = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\"><file id=\"f\"><unit id=\"1\"><segment state=\"initial\"><source>Hi</source><target>嗨</target></segment></unit></file></xliff>";
        let read = parse(xliff).unwrap();
        assert!(read[0].fuzzy);
        assert!(parse("<xliff version=\"1.2\"></xliff>").unwrap_err().starts_with("not an XLIFF 2.0 document"));
    }
}
