//! The tree a run was given, as a link checker needs it: which files and
//! directories exist (in their real case), which are documents, and where
//! the roots are. Built once per session from the host's index.

use std::collections::{HashMap, HashSet};

use crate::destination::{normalize, parent};

/// What a path names in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    File,
    Dir,
    /// Only a different case exists: this path, as stored.
    CaseDiffers(String),
    Missing,
}

/// Files, directories and documents of a run, by normalised path.
#[derive(Debug, Default)]
pub struct Tree {
    files: HashSet<String>,
    dirs: HashSet<String>,
    /// Lower-cased path → paths as stored (files and directories).
    folded: HashMap<String, Vec<String>>,
    /// File name → every file with that name.
    by_name: HashMap<String, Vec<String>>,
    /// Normalised document path → the path the index knows it by.
    documents: HashMap<String, String>,
    /// Directories the run was given (a file root stands for its directory).
    roots: Vec<String>,
}

impl Tree {
    /// `files` and `documents` as the index writes paths; `roots` as given
    /// on the command line.
    pub fn new(files: &[String], documents: &[String], roots: &[String]) -> Tree {
        let mut tree = Tree::default();
        for file in files.iter().chain(documents) {
            let path = normalize(file);
            let mut dir = parent(&path);
            while !dir.is_empty() && tree.dirs.insert(dir.to_string()) {
                dir = parent(dir);
            }
            tree.files.insert(path);
        }
        for path in tree.files.iter().chain(&tree.dirs) {
            tree.folded.entry(path.to_lowercase()).or_default().push(path.clone());
        }
        for file in &tree.files {
            let name = file.rsplit('/').next().unwrap_or(file);
            tree.by_name.entry(name.to_string()).or_default().push(file.clone());
        }
        for list in tree.by_name.values_mut().chain(tree.folded.values_mut()) {
            list.sort();
        }
        tree.documents = documents.iter().map(|d| (normalize(d), d.clone())).collect();
        tree.roots = roots
            .iter()
            .filter(|r| *r != "-")
            .map(|r| {
                let r = normalize(r);
                if tree.files.contains(&r) {
                    parent(&r).to_string()
                } else {
                    r
                }
            })
            .collect();
        tree
    }

    pub fn lookup(&self, path: &str) -> Lookup {
        if self.files.contains(path) {
            return Lookup::File;
        }
        if path.is_empty() || self.dirs.contains(path) || self.roots.iter().any(|r| r == path) {
            return Lookup::Dir;
        }
        match self.folded.get(&path.to_lowercase()).and_then(|found| found.first()) {
            Some(found) => Lookup::CaseDiffers(found.clone()),
            None => Lookup::Missing,
        }
    }

    /// Every file called `name`, sorted.
    pub fn named(&self, name: &str) -> &[String] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The path the index knows a document by, if `path` is one.
    pub fn document(&self, path: &str) -> Option<&str> {
        self.documents.get(path).map(String::as_str)
    }

    /// The first root, the default for links written `/like/this`.
    pub fn first_root(&self) -> &str {
        self.roots.first().map_or("", String::as_str)
    }

    /// Whether `path` lies under a root, where the tree knows what exists.
    pub fn covers(&self, path: &str) -> bool {
        self.roots.iter().any(|root| {
            if root.is_empty() {
                !path.starts_with("../") && path != ".." && !path.starts_with('/')
            } else {
                path == root || path.strip_prefix(root.as_str()).is_some_and(|rest| rest.starts_with('/'))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn tree() -> Tree {
        Tree::new(
            &strings(&["docs/Guide.md", "docs/img/logo.png", "docs/a/setup.md", "./docs/b/setup.md"]),
            &strings(&["docs/Guide.md", "docs/a/setup.md", "./docs/b/setup.md"]),
            &strings(&["docs/"]),
        )
    }

    #[test]
    fn files_directories_and_case() {
        let t = tree();
        assert_eq!(t.lookup("docs/img/logo.png"), Lookup::File);
        assert_eq!(t.lookup("docs/img"), Lookup::Dir);
        assert_eq!(t.lookup("docs/guide.md"), Lookup::CaseDiffers("docs/Guide.md".into()));
        assert_eq!(t.lookup("docs/IMG/logo.png"), Lookup::CaseDiffers("docs/img/logo.png".into()));
        assert_eq!(t.lookup("docs/gone.md"), Lookup::Missing);
        assert_eq!(t.named("setup.md"), ["docs/a/setup.md", "docs/b/setup.md"]);
        assert_eq!(t.document("docs/b/setup.md"), Some("./docs/b/setup.md"));
    }

    #[test]
    fn roots_bound_what_is_known() {
        let t = tree();
        assert!(t.covers("docs/x.md"));
        assert!(!t.covers("README.md"));
        assert!(!t.covers("docsx/a.md"));
        assert_eq!(t.first_root(), "docs");
        let here = Tree::new(&[], &[], &strings(&["."]));
        assert!(here.covers("a/b.md"));
        assert!(!here.covers("../b.md"));
    }
}
