//! The promise, measured on real documents (`DOCHOST_CORPUS`, thousands of
//! files from public projects) and on every CommonMark spec example:
//! 1. a plugin that changes nothing changes no byte;
//! 2. a plugin that re-sets every text-bearing node to its own text, and
//!    every link's url and title to themselves (which forces the escaping
//!    path everywhere), changes no byte either;
//! 3. what that plugin writes renders the same as its input under
//!    pulldown-cmark and under GitHub's renderer (cmark-gfm).
//!
//! One-word changes are held to a one-word diff in `minimal_diffs.rs`.

mod github;
mod shared_corpus;
mod support;

use std::path::PathBuf;
use std::sync::OnceLock;

use shared_corpus::{markdown_files, spec_examples};
use support::{corpus, dochost, plugin, run, stderr, stdout};

/// The inputs of a run and what the plugin wrote for each.
struct Run {
    input: PathBuf,
    output: tempfile::TempDir,
    /// Keeps a generated input directory alive.
    _generated: Option<tempfile::TempDir>,
}

impl Run {
    /// (relative name, input, output) of every file.
    fn pairs(&self) -> Vec<(String, String, String)> {
        markdown_files(&self.input)
            .into_iter()
            .map(|file| {
                let relative = file.strip_prefix(&self.input).unwrap();
                let before = std::fs::read_to_string(&file).unwrap();
                let after = std::fs::read_to_string(self.output.path().join(relative))
                    .unwrap_or_else(|e| panic!("no output for {}: {e}", relative.display()));
                (relative.display().to_string(), before, after)
            })
            .collect()
    }
}

fn identity_run(input: PathBuf, generated: Option<tempfile::TempDir>) -> Run {
    let output = tempfile::tempdir().unwrap();
    let out = run(dochost().arg("run").arg(plugin("identity")).args(["--hidden", "--out-dir"]).arg(output.path()).arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    Run { input, output, _generated: generated }
}

/// The identity plugin over the corpus, run once for the tests that need it.
fn corpus_identity() -> Option<&'static Run> {
    static RUN: OnceLock<Option<Run>> = OnceLock::new();
    RUN.get_or_init(|| corpus().map(|c| identity_run(c, None))).as_ref()
}

/// The identity plugin over the spec examples, run once.
fn spec_identity() -> Option<&'static Run> {
    static RUN: OnceLock<Option<Run>> = OnceLock::new();
    RUN.get_or_init(|| {
        corpus().map(|c| {
            let dir = spec_examples(&c);
            identity_run(dir.path().to_path_buf(), Some(dir))
        })
    })
    .as_ref()
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

fn assert_byte_identical(what: &str, run: &Run) {
    let pairs = run.pairs();
    let changed: Vec<&str> = pairs.iter().filter(|(_, before, after)| before != after).map(|(name, ..)| name.as_str()).collect();
    eprintln!("identity: {}/{} {what} byte-identical", pairs.len() - changed.len(), pairs.len());
    assert!(changed.is_empty(), "{} {what} changed by setting every text, url and title to itself: {changed:?}", changed.len());
}

#[test]
fn identity_plugin_leaves_every_corpus_file_byte_identical() {
    let Some(run) = corpus_identity() else { return };
    assert!(run.pairs().len() > 1000);
    assert_byte_identical("corpus files", run);
}

#[test]
fn identity_plugin_leaves_every_spec_example_byte_identical() {
    let Some(run) = spec_identity() else { return };
    assert_byte_identical("spec examples", run);
}

/// Each file's output renders as its input does, under pulldown-cmark and
/// (when it is installed) under cmark-gfm. A file whose bytes did not
/// change renders the same by construction and is not rendered.
fn assert_same_html(what: &str, run: &Run) {
    let pairs = run.pairs();
    let changed: Vec<&(String, String, String)> = pairs.iter().filter(|(_, before, after)| before != after).collect();
    let pulldown: Vec<&str> = changed
        .iter()
        .filter(|(_, before, after)| github::render_pulldown(before) != github::render_pulldown(after))
        .map(|(name, ..)| name.as_str())
        .collect();
    eprintln!("identity: {}/{} {what} render the same under pulldown-cmark", pairs.len() - pulldown.len(), pairs.len());
    let gfm = github::cmark_gfm().map(|cmark| {
        let differ: Vec<&str> = changed
            .iter()
            .filter(|(_, before, after)| github::render(&cmark, before) != github::render(&cmark, after))
            .map(|(name, ..)| name.as_str())
            .collect();
        eprintln!("identity: {}/{} {what} render the same under cmark-gfm", pairs.len() - differ.len(), pairs.len());
        differ
    });
    assert!(pulldown.is_empty(), "render differently under pulldown-cmark after re-setting every text: {pulldown:?}");
    if let Some(gfm) = gfm {
        assert!(gfm.is_empty(), "render differently on GitHub (cmark-gfm) after re-setting every text: {gfm:?}");
    }
}

#[test]
fn identity_output_renders_the_same_on_github_for_every_corpus_file() {
    let Some(run) = corpus_identity() else { return };
    assert_same_html("corpus files", run);
}

#[test]
fn identity_output_renders_the_same_on_github_for_every_spec_example() {
    let Some(run) = spec_identity() else { return };
    assert_same_html("spec examples", run);
}

#[test]
fn check_mode_reports_no_change_for_a_noop_over_the_corpus() {
    let Some(corpus) = corpus() else { return };
    let out = run(dochost().arg("run").arg(plugin("noop")).args(["--hidden", "--check"]).arg(&corpus));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

/// Real documents are clean: the shipped repair plugin must neither fail on
/// any of them nor change one (a false repair would corrupt correct text).
#[test]
fn mojibake_neither_fails_on_nor_changes_a_clean_corpus_file() {
    let Some(corpus) = corpus() else { return };
    let out = run(dochost().args(["run", "mojibake", "--hidden", "--check", "-q"]).arg(&corpus));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("failed"), "{}", stderr(&out));
}
