//! A tree-wide test plugin: `scan` records each document's title (its first
//! heading); `transform` reports, for each link to another `.md` document of
//! the run, that document's title and heading count, read from the index;
//! for links to other files, whether the run's tree holds them; and which
//! earlier plugins of the pipeline changed the document.

use dochost_pdk::{index, Config, Document, Fact, NodeKind, Output, Plugin, PluginInfo, Result, Severity};

struct Tree;

impl Plugin for Tree {
    fn describe() -> PluginInfo {
        PluginInfo::new("tree", env!("CARGO_PKG_VERSION"), "Reports what links point to, across the tree").tree_wide()
    }

    fn open(_config: &Config) -> Result<Self> {
        Ok(Tree)
    }

    fn scan(&mut self, doc: &Document) -> Result<Vec<Fact>> {
        let title = doc.ids_of(NodeKind::Heading).next().map(|h| doc.plain_text(h)).unwrap_or_default();
        Ok(vec![Fact::new("title", title)])
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let mut out = Output::default();
        let dir = doc.path().rsplit_once('/').map_or("", |(d, _)| d);
        let titles = index::facts("title");
        for changed in index::facts("dochost:changed-by").iter().filter(|f| f.path == doc.path()) {
            out.diagnose(Severity::Info, "changed-by", format!("changed earlier by {}", changed.value), None);
        }
        for id in doc.ids_of(NodeKind::Link) {
            let url = doc.node(id).url.clone().unwrap_or_default();
            if url.contains("://") {
                continue;
            }
            let target = if dir.is_empty() { url.clone() } else { format!("{dir}/{url}") };
            if !url.ends_with(".md") {
                let found = index::files().contains(&target);
                let roots = index::roots().join(", ");
                out.diagnose(Severity::Info, "file-target", format!("{url} in the tree under {roots}: {found}"), Some(id));
                continue;
            }
            match (titles.iter().find(|f| f.path == target), index::headings(&target)) {
                (Some(title), Some(headings)) => out.diagnose(
                    Severity::Info,
                    "link-target",
                    format!("{url} is titled `{}` and has {} headings", title.value, headings.len()),
                    Some(id),
                ),
                _ => out.diagnose(Severity::Warning, "link-target", format!("{url} is not a document of this run"), Some(id)),
            };
        }
        Ok(out)
    }
}

dochost_pdk::export_plugin!(Tree);
