//! A translation memory: pairs of source and translation (catalog form,
//! codes included) that were applied before, kept as JSON lines so a later
//! run, another document or another tree reuses them:
//!
//! ```text
//! {"context":null,"source":"Install the tool.","target":"安装工具。"}
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::po::Entry;

#[derive(Serialize, Deserialize)]
struct Line {
    context: Option<String>,
    source: String,
    target: String,
}

/// Reads a memory; errors name the line.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        entries.push(Entry { context: line.context, id: line.source, text: line.target, ..Entry::default() });
    }
    Ok(entries)
}

/// Writes entries as JSON lines, in order.
pub fn write(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        let line = Line { context: entry.context.clone(), source: entry.id.clone(), target: entry.text.clone() };
        out.push_str(&serde_json::to_string(&line).expect("strings serialise"));
        out.push('\n');
    }
    out
}

/// `old` with `new` merged in: a pair for the same context and source is
/// replaced by the newer translation, in place; new pairs go at the end.
pub fn merge(old: &[Entry], new: Vec<Entry>) -> Vec<Entry> {
    let mut out = old.to_vec();
    let mut at: HashMap<(Option<String>, String), usize> =
        out.iter().enumerate().map(|(i, e)| ((e.context.clone(), e.id.clone()), i)).collect();
    for entry in new {
        match at.get(&(entry.context.clone(), entry.id.clone())) {
            Some(&i) => out[i].text = entry.text,
            None => {
                at.insert((entry.context.clone(), entry.id.clone()), out.len());
                out.push(entry);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_and_names_bad_lines() {
        let entries = vec![Entry { id: "Hi <1/>".into(), text: "你好 <1/>".into(), ..Entry::default() }];
        let text = write(&entries);
        assert_eq!(text, "{\"context\":null,\"source\":\"Hi <1/>\",\"target\":\"你好 <1/>\"}\n");
        assert_eq!(parse(&text).unwrap(), entries);
        assert!(parse("\n{\"source\": 1}").unwrap_err().starts_with("line 2: "));
    }

    #[test]
    fn newer_translations_replace_older_ones() {
        let old = vec![Entry { id: "a".into(), text: "甲".into(), ..Entry::default() }];
        let new = vec![Entry { id: "a".into(), text: "阿".into(), ..Entry::default() }, Entry { id: "b".into(), text: "乙".into(), ..Entry::default() }];
        let merged = merge(&old, new);
        assert_eq!(merged.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), ["阿", "乙"]);
    }
}
