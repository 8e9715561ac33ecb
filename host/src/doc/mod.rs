//! Markdown documents: parsing to the node table, applying edits, escaping.
//! Knows nothing of Wasm or the command line.

mod apply;
mod diagnostic;
mod escape;
mod index;
mod lines;
mod minimal;
mod model;
mod parse;
mod syntax;

pub use apply::{apply, Change, Edit, EditError, EditOp};
pub use diagnostic::{Diagnostic, Severity};
pub use index::{DocumentSummary, HeadingEntry, TargetEntry, TargetKind, Tree, TreeIndex};
pub use model::{LinkKind, Node, NodeKind, NodeTable, StrRef};
pub use parse::{options as markdown_options, parse, parse_in, Dialect};

/// 1-based line and column (in characters) of byte `offset` in `source`.
/// An offset past the end is taken as the end, one inside a character as
/// that character's start (a plugin's diagnostic can point anywhere).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(offset)
}

/// Lines and columns of many offsets in one source: the line starts are
/// found once, and each lookup is a binary search. Calling [`line_col`]
/// once per node or change of a large document would take quadratic time
/// (a million links in one file: hours).
pub struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub fn new(source: &'s str) -> Self {
        let starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { source, starts }
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= self.clamp(offset))
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line(offset);
        (line, self.source[self.starts[line - 1]..offset].chars().count() + 1)
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters_and_tolerate_any_offset() {
        let source = "ab\nçd\n\nx";
        assert_eq!(line_col(source, 0), (1, 1));
        assert_eq!(line_col(source, 2), (1, 3));
        assert_eq!(line_col(source, 3), (2, 1));
        assert_eq!(line_col(source, 5), (2, 2), "after the two bytes of ç");
        assert_eq!(line_col(source, 4), (2, 1), "inside ç: its start");
        assert_eq!(line_col(source, 7), (3, 1));
        assert_eq!(line_col(source, 8), (4, 1));
        assert_eq!(line_col(source, 99), (4, 2), "past the end: the end");
        let index = LineIndex::new(source);
        assert_eq!((0..source.len()).map(|i| index.line(i)).collect::<Vec<_>>(), [1, 1, 1, 2, 2, 2, 2, 3, 4]);
    }
}
