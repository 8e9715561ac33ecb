//! Read-only queries over the documents of the run.
//!
//! For a plugin declared [`tree_wide`](crate::PluginInfo::tree_wide) they
//! answer for every document during `transform` and `finish`; for any
//! plugin, during `finish`. [`facts`] returns what `scan` recorded (during
//! `transform`), and what `scan` and `transform` recorded (during
//! `finish`).

pub use crate::bindings::dochost::plugin::index::{FactEntry, HeadingEntry, TargetEntry, TargetKind};
use crate::bindings::dochost::plugin::index as host;

/// Every document of the run, in input order.
pub fn documents() -> Vec<String> {
    host::documents()
}

/// A document's headings, in order; `None` if it is not in the run.
pub fn headings(path: &str) -> Option<Vec<HeadingEntry>> {
    host::headings(path)
}

/// A document's link, image and link-definition targets, in order.
pub fn targets(path: &str) -> Option<Vec<TargetEntry>> {
    host::targets(path)
}

/// A document's front matter as written, without its fences.
pub fn front_matter(path: &str) -> Option<String> {
    host::front_matter(path)
}

/// Every fact recorded under `key`, documents in input order.
pub fn facts(key: &str) -> Vec<FactEntry> {
    host::facts(key)
}

/// Every file under the directories of the run, Markdown or not, sorted,
/// in the case the file system stores the names (empty unless the plugin
/// is tree-wide).
pub fn files() -> Vec<String> {
    host::files()
}

/// The files and directories named on the command line, as given.
pub fn roots() -> Vec<String> {
    host::roots()
}
