//! The files of the shared corpus and the CommonMark spec examples, for the
//! tests that run plugins over them.

#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};

/// Every Markdown file under `dir`, hidden ones included, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "markdown") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every CommonMark spec example of the corpus as `example-NNN.md` in a
/// temporary directory.
pub fn spec_examples(corpus: &Path) -> tempfile::TempDir {
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("commonmark-spec/spec.json")).unwrap()).unwrap();
    let examples = spec.as_array().unwrap();
    assert!(examples.len() > 600, "the spec should hold hundreds of examples, found {}", examples.len());
    let dir = tempfile::tempdir().unwrap();
    for example in examples {
        let n = example["example"].as_u64().unwrap();
        std::fs::write(dir.path().join(format!("example-{n:03}.md")), example["markdown"].as_str().unwrap()).unwrap();
    }
    dir
}
