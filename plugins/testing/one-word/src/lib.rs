//! Changes one word per paragraph, so tests can check that a one-word
//! change makes a one-word diff.
//!
//! In each paragraph, the first text node (outside shortcut and collapsed
//! reference links, whose text is also their label) that holds a word of
//! four or more ASCII letters, found as often in the node's source as in its
//! text (so the first of each is the same word), gets that word replaced by
//! the word with its letters' case swapped and the `insert` option put after
//! its first letter. The new word starts and ends with a letter, like the
//! old one, so nothing around it changes meaning. The edit's reason is
//! `one-word START END NEW`: the source bytes of the old word and the new
//! word, for the test to check the output against.

use dochost_pdk::{Config, Document, LinkKind, NodeId, NodeKind, Output, Plugin, PluginInfo, Result};

struct OneWord {
    insert: String,
}

impl Plugin for OneWord {
    fn describe() -> PluginInfo {
        PluginInfo::new("one-word", env!("CARGO_PKG_VERSION"), "Changes one word per paragraph")
            .option("insert", "characters put inside each new word, after its first letter", Some(""))
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(OneWord { insert: config.get_or("insert", "").to_string() })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        for paragraph in doc.ids_of(NodeKind::Paragraph) {
            let candidate = doc.descendants(paragraph).into_iter().find_map(|id| self.word_in(doc, id));
            if let Some((id, text, start, end, new)) = candidate {
                out.set_text(id, text).because(format!("one-word {start} {end} {new}"));
            }
        }
        Ok(out)
    }
}

impl OneWord {
    /// The new text of node `id` with its word replaced, the word's source
    /// bytes and the new word.
    fn word_in(&self, doc: &Document, id: NodeId) -> Option<(NodeId, String, u32, u32, String)> {
        let node = doc.node(id);
        if !matches!(node.kind, NodeKind::Text) {
            return None;
        }
        let relabelled = doc.ancestors(id).any(|a| {
            matches!(doc.node(a).link_kind, Some(LinkKind::Shortcut | LinkKind::Collapsed | LinkKind::Autolink | LinkKind::Email))
        });
        if relabelled {
            return None;
        }
        let text = doc.text(id);
        let source = doc.source_of(id);
        let (at, word) = words(text).into_iter().find(|(_, w)| {
            w.len() >= 4 && words(text).iter().filter(|(_, x)| x == w).count() == words(source).iter().filter(|(_, x)| x == w).count()
        })?;
        let in_source = words(source).into_iter().find(|(_, x)| *x == word)?.0;
        let mut new: String = word.chars().map(|c| if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() }).collect();
        new.insert_str(1, &self.insert);
        let replaced = format!("{}{new}{}", &text[..at], &text[at + word.len()..]);
        let start = node.span.start + in_source as u32;
        Some((id, replaced, start, start + word.len() as u32, new))
    }
}

/// The maximal runs of ASCII letters in `s`, with their byte offsets.
fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s0)) => {
                out.push((s0, &s[s0..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

dochost_pdk::export_plugin!(OneWord);
