//! "A plugin that changes one word produces a one-word diff", measured on
//! every corpus file (`DOCHOST_CORPUS`) and every CommonMark spec example.
//!
//! The one-word plugin (`plugins/testing/one-word`) replaces one word per
//! paragraph and says in each edit's reason which source bytes held the word
//! and what replaced it, so the expected output is known without asking the
//! host. With a plain new word the output must be exactly the input with
//! those bytes replaced. With markup characters inside the new word the
//! output may add only the escapes the new word itself needs, and must
//! render, under pulldown-cmark and under GitHub's renderer (cmark-gfm), as
//! the input with the new word written with every punctuation character
//! escaped would.

mod github;
mod shared_corpus;
mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use shared_corpus::{markdown_files, spec_examples};
use support::{corpus, dochost, plugin, run, stderr};

/// A word the plugin replaced: source bytes `start..end` became `new`.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    new: String,
}

/// One input file, what the plugin wrote and the words it replaced.
struct File {
    name: String,
    source: String,
    output: String,
    words: Vec<Word>,
}

/// Run the one-word plugin over `input` with `insert` put inside each new
/// word.
fn one_word(input: &Path, insert: &str) -> Vec<File> {
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report.json");
    let output = out_dir.path().join("out");
    let out = run(dochost()
        .arg("run")
        .arg(plugin("one-word"))
        .arg("--set")
        .arg(format!("insert={insert}"))
        .args(["--hidden", "--out-dir"])
        .arg(&output)
        .arg("--report")
        .arg(&report)
        .arg(input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let mut words: HashMap<PathBuf, Vec<Word>> = HashMap::new();
    for file in report["files"].as_array().unwrap() {
        let path = PathBuf::from(file["file"].as_str().unwrap());
        let path = path.strip_prefix(input).map(Path::to_path_buf).unwrap_or(path);
        for change in file["changes"].as_array().unwrap() {
            let reason = change["reason"].as_str().unwrap();
            let parts: Vec<&str> = reason.strip_prefix("one-word ").expect(reason).splitn(3, ' ').collect();
            let word = Word { start: parts[0].parse().unwrap(), end: parts[1].parse().unwrap(), new: parts[2].to_string() };
            words.entry(path.clone()).or_default().push(word);
        }
    }
    markdown_files(input)
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(input).unwrap().to_path_buf();
            let mut words = words.remove(&relative).unwrap_or_default();
            words.sort_by_key(|w| w.start);
            File {
                name: relative.display().to_string(),
                source: std::fs::read_to_string(&file).unwrap(),
                output: std::fs::read_to_string(output.join(&relative)).unwrap(),
                words,
            }
        })
        .collect()
}

/// The source with each word replaced by `write(new word)`.
fn replaced(file: &File, write: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(file.source.len());
    let mut copied = 0;
    for word in &file.words {
        out.push_str(&file.source[copied..word.start]);
        out.push_str(&write(&word.new));
        copied = word.end;
    }
    out.push_str(&file.source[copied..]);
    out
}

/// Every ASCII punctuation character behind a backslash: the new word as
/// literal text, in any context, for both renderers.
fn fully_escaped(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `file.output` is its source with each word replaced by the new
/// word, some of whose punctuation may be escaped, and no other byte
/// changed.
fn confined(file: &File) -> bool {
    let (source, output) = (&file.source, &file.output);
    let mut pos = 0;
    let mut copied = 0;
    for word in &file.words {
        let kept = &source[copied..word.start];
        if !output[pos..].starts_with(kept) {
            return false;
        }
        pos += kept.len();
        for c in word.new.chars() {
            if c.is_ascii_punctuation() && output[pos..].starts_with('\\') && output[pos + 1..].starts_with(c) {
                pos += 2;
            } else if output[pos..].starts_with(c) {
                pos += c.len_utf8();
            } else {
                return false;
            }
        }
        copied = word.end;
    }
    output[pos..] == source[copied..]
}

fn report(what: &str, files: &[File], failures: &[String]) {
    let words: usize = files.iter().map(|f| f.words.len()).sum();
    let changed = files.iter().filter(|f| !f.words.is_empty()).count();
    eprintln!("{what}: {words} words in {changed} of {} files; {} files not as expected", files.len(), failures.len());
    assert!(words > 0, "{what}: the plugin changed no word");
    assert!(failures.is_empty(), "{what}:\n{}", failures.join("\n"));
}

/// A plain new word: the output is the input with the word's bytes
/// replaced, and nothing else.
fn assert_exact(what: &str, files: &[File]) {
    let failures: Vec<String> = files
        .iter()
        .filter(|f| f.output != replaced(f, str::to_string))
        .map(|f| format!("{}: more than the words changed", f.name))
        .collect();
    report(what, files, &failures);
}

/// A new word with markup characters: only its own escapes are added, and
/// the output renders like the input with the word fully escaped, under
/// pulldown-cmark and (when installed) on GitHub.
fn assert_confined_and_same_html(what: &str, files: &[File]) {
    let cmark = github::cmark_gfm();
    let check = |f: &File| -> Option<String> {
        if !confined(f) {
            return Some(format!("{}: bytes outside the words changed", f.name));
        }
        if f.words.is_empty() {
            return None;
        }
        let expected = replaced(f, fully_escaped);
        if github::render_pulldown(&f.output) != github::render_pulldown(&expected) {
            return Some(format!("{}: renders differently under pulldown-cmark", f.name));
        }
        let github_differs = cmark.as_ref().is_some_and(|c| github::render(c, &f.output) != github::render(c, &expected));
        github_differs.then(|| format!("{}: renders differently on GitHub (cmark-gfm)", f.name))
    };
    // cmark-gfm runs as one process per document: spread them over threads.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let chunks = files.chunks(files.len().div_ceil(4).max(1));
        let workers: Vec<_> = chunks.map(|chunk| scope.spawn(move || chunk.iter().filter_map(check).collect::<Vec<_>>())).collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    report(what, files, &failures);
}

/// Inside each new word: characters the escaper treats differently by
/// context (`_` inside a word, brackets that cannot link, a `<` before a
/// digit, an entity's text, a `*` between punctuation and a letter).
const MARKUP: &str = "_[x]<1&amp;*";

#[test]
fn one_word_per_paragraph_changes_only_that_word_in_every_corpus_file() {
    let Some(corpus) = corpus() else { return };
    assert_exact("corpus, plain words", &one_word(&corpus, ""));
}

#[test]
fn one_word_per_paragraph_changes_only_that_word_in_every_spec_example() {
    let Some(corpus) = corpus() else { return };
    let examples = spec_examples(&corpus);
    assert_exact("spec examples, plain words", &one_word(examples.path(), ""));
}

#[test]
fn new_words_with_markup_add_only_their_own_escapes_and_render_the_same_on_github() {
    let Some(corpus) = corpus() else { return };
    assert_confined_and_same_html("corpus, words with markup", &one_word(&corpus, MARKUP));
    let examples = spec_examples(&corpus);
    assert_confined_and_same_html("spec examples, words with markup", &one_word(examples.path(), MARKUP));
}
