//! Times [`repair_strings`] on a tree of Markdown files, roughly split the
//! way the plugin sees them: each document's lines outside fenced code,
//! cut at code spans, as one call. For profiling the cost of deciding that
//! clean text (e.g. Chinese documentation) needs no repair:
//!
//! ```text
//! cargo run --release --example clean_cjk -- DIR [ROUNDS]
//! cargo run --release --example clean_cjk -- DIR --dump > outcomes.txt
//! ```
//!
//! Prints the time per round and how many strings were changed (0 for clean
//! text). With `--dump`, prints every outcome in full instead, once: a diff
//! of two dumps shows whether a change to the repair changed any result.
//! With `CLEAN_CJK_TABLE` set, loads the frequency table first and says
//! what that took (the first document that needs it pays it otherwise).

use dochost_plugin_mojibake::repair::repair_strings;
use std::path::Path;
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.extend(std::fs::read_to_string(&path).ok());
        }
    }
}

/// The strings of one document: lines outside fenced code, cut at code spans.
fn strings(doc: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        out.extend(line.split('`').step_by(2).filter(|s| !s.trim().is_empty()));
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: clean_cjk DIR [ROUNDS]");
    let arg = args.next();
    let dump = arg.as_deref() == Some("--dump");
    let rounds: usize = if dump { 1 } else { arg.map_or(5, |r| r.parse().expect("a number of rounds")) };
    let mut docs = Vec::new();
    collect(Path::new(&dir), &mut docs);
    let split: Vec<Vec<&str>> = docs.iter().map(|d| strings(d)).collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    eprintln!("{} documents, {} bytes, {} strings", docs.len(), bytes, split.iter().map(Vec::len).sum::<usize>());
    if std::env::var_os("CLEAN_CJK_TABLE").is_some() {
        // What loading the frequency table costs, paid once by the first
        // document that needs it.
        let start = Instant::now();
        dochost_plugin_mojibake::freq::char_cost('中');
        eprintln!("frequency table: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    }
    for round in 0..rounds {
        let start = Instant::now();
        let mut changed = 0;
        for texts in &split {
            for (text, outcome) in texts.iter().zip(repair_strings(texts).outcomes) {
                if dump {
                    println!("{text:?}\n  {outcome:?}");
                }
                changed += usize::from(outcome.is_some_and(|o| o.text != *text || !o.unrepaired.is_empty()));
            }
        }
        eprintln!("round {round}: {:.1} ms, {changed} strings changed or reported", start.elapsed().as_secs_f64() * 1e3);
    }
}
