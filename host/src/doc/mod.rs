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
pub use model::{LinkKind, Node, NodeKind, NodeTable};
pub use parse::{options as markdown_options, parse};

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
