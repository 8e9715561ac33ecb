//! The promise, measured on real documents (`DOCHOST_CORPUS`, thousands of
//! files from public projects) and on every CommonMark spec example:
//! 1. a plugin that changes nothing changes no byte;
//! 2. a plugin that re-sets every text-bearing node to its own text (which
//!    forces the escaping path everywhere) changes nothing a reader sees:
//!    the output renders to the same HTML.

mod support;

use std::path::{Path, PathBuf};

use support::{corpus, dochost, plugin, run, stderr, stdout};

fn render(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, dochost::doc::markdown_options());
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
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

#[test]
fn noop_plugin_leaves_every_corpus_file_byte_identical() {
    let Some(corpus) = corpus() else { return };
    let files = markdown_files(&corpus);
    assert!(files.len() > 1000, "the corpus should hold thousands of files, found {}", files.len());
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(dochost().arg("run").arg(plugin("noop")).args(["--hidden", "--out-dir"]).arg(out_dir.path()).arg(&corpus));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut identical = 0;
    let mut different = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&corpus).unwrap();
        let written = std::fs::read(out_dir.path().join(relative)).unwrap();
        if written == std::fs::read(file).unwrap() {
            identical += 1;
        } else {
            different.push(relative.display().to_string());
        }
    }
    eprintln!("noop: {identical}/{} corpus files byte-identical", files.len());
    assert!(different.is_empty(), "changed by a no-op plugin: {different:?}");
}

/// Run the identity plugin over `dir` and compare the HTML of every file.
/// Returns (passed, failures).
fn identity_round_trip(dir: &Path) -> (usize, Vec<String>) {
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(dochost().arg("run").arg(plugin("identity")).args(["--hidden", "--out-dir"]).arg(out_dir.path()).arg(dir));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut passed = 0;
    let mut failures = Vec::new();
    for file in markdown_files(dir) {
        let relative = file.strip_prefix(dir).unwrap();
        let before = std::fs::read_to_string(&file).unwrap();
        let after = std::fs::read_to_string(out_dir.path().join(relative)).unwrap();
        if render(&before) == render(&after) {
            passed += 1;
        } else {
            failures.push(relative.display().to_string());
        }
    }
    (passed, failures)
}

#[test]
fn identity_plugin_renders_the_same_html_for_every_spec_example() {
    let Some(corpus) = corpus() else { return };
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("commonmark-spec/spec.json")).unwrap()).unwrap();
    let examples = spec.as_array().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for example in examples {
        let n = example["example"].as_u64().unwrap();
        std::fs::write(dir.path().join(format!("example-{n:03}.md")), example["markdown"].as_str().unwrap()).unwrap();
    }
    let (passed, failures) = identity_round_trip(dir.path());
    eprintln!("identity: {passed}/{} spec examples render the same", examples.len());
    assert!(failures.is_empty(), "render differently after re-setting every text: {failures:?}");
}

#[test]
fn identity_plugin_renders_the_same_html_for_every_corpus_file() {
    let Some(corpus) = corpus() else { return };
    let (passed, failures) = identity_round_trip(&corpus);
    eprintln!("identity: {passed}/{} corpus files render the same", passed + failures.len());
    assert!(failures.is_empty(), "render differently after re-setting every text: {failures:?}");
}

#[test]
fn check_mode_reports_no_change_for_a_noop_over_the_corpus() {
    let Some(corpus) = corpus() else { return };
    let out = run(dochost().arg("run").arg(plugin("noop")).args(["--hidden", "--check"]).arg(&corpus));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}
