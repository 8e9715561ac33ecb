//! The whole-document check: a message is proved on its own by
//! [`crate::verify`], but a few constructs depend on what stands around it
//! (a paragraph right under a table can become one of its rows). So the
//! document with every translation applied must have the same blocks as the
//! source; translations that change them alone are refused, and if the rest
//! still do together, all are.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// One replacement of the document: its range, its Markdown, and the index
/// of the message it translates.
pub type Replacement = (Range<u32>, String, usize);

/// The document's block structure: each block's kind with its level, list
/// start, fence info or heading attributes.
pub fn blocks(markdown: &str) -> Vec<String> {
    let options = crate::verify::options()
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Start(
                tag @ (Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::MetadataBlock(_)),
            ) => Some(format!("{tag:?}")),
            Event::Rule => Some("Rule".into()),
            _ => None,
        })
        .collect()
}

/// `source` with `replacements` (sorted, not overlapping) applied.
pub fn apply(source: &str, replacements: &[&Replacement]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (range, markdown, _) in replacements {
        out.push_str(&source[at..range.start as usize]);
        out.push_str(markdown);
        at = range.end as usize;
    }
    out.push_str(&source[at..]);
    out
}

/// Splits `replacements` into those that keep the document's blocks and
/// the messages of those that do not.
pub fn keep_blocks(source: &str, replacements: Vec<Replacement>) -> (Vec<Replacement>, Vec<usize>) {
    let original = blocks(source);
    let all: Vec<&Replacement> = replacements.iter().collect();
    if replacements.is_empty() || blocks(&apply(source, &all)) == original {
        return (replacements, Vec::new());
    }
    let (kept, mut refused): (Vec<Replacement>, Vec<Replacement>) =
        replacements.into_iter().partition(|r| blocks(&apply(source, &[r])) == original);
    let together: Vec<&Replacement> = kept.iter().collect();
    if blocks(&apply(source, &together)) == original {
        return (kept, refused.into_iter().map(|r| r.2).collect());
    }
    refused.extend(kept);
    (Vec::new(), refused.into_iter().map(|r| r.2).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_that_would_join_the_table_above_is_refused() {
        // A row cut short: the line `|` ends the table, the next lines are
        // a paragraph, until a translation puts a cell on the first one.
        let source = "| a | b |\n|---|---|\n| 1 | 2 |\n|\nplain text\n\nOther.\n";
        let at = |s: &str| source.find(s).unwrap() as u32;
        assert!(blocks(source).contains(&"Paragraph".to_string()), "{:?}", blocks(source));
        let bad = (at("|\nplain")..at("plain") + 10, "| x | y | z".to_string(), 0);
        let good = (at("Other.")..at("Other.") + 6, "其他。".to_string(), 1);
        let (kept, refused) = keep_blocks(source, vec![bad, good]);
        assert_eq!(refused, [0]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].2, 1);
    }

    #[test]
    fn replacements_that_keep_blocks_are_kept() {
        let source = "# Title\n\nText.\n";
        let (kept, refused) = keep_blocks(source, vec![(2..7, "标题".into(), 0), (9..14, "文本。".into(), 1)]);
        assert_eq!((kept.len(), refused.len()), (2, 0));
    }
}
