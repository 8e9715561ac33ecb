//! `dochost.toml`: named pipelines with their options and grants, the files
//! to take, limits; flags win over the file; errors point at its lines.

mod support;

use support::{dochost, run, stderr, stdout, tree};

const CONFIG: &str = r#"default-pipeline = "tidy"

[files]
exclude = ["docs/archive/**"]

[pipelines.tidy]
plugins = ["replace", "smart-quotes"]
allow-read = ["rules/names.toml"]
options = { replace = { rules = "rules/names.toml" }, double = "«»" }

[pipelines.quotes]
plugins = ["smart-quotes"]
"#;

const RULES: &str = "[[rule]]\nfind = \"Acme Mesh\"\nreplace = \"Nimbus Mesh\"\n";

fn project() -> tempfile::TempDir {
    tree(&[
        ("dochost.toml", CONFIG.as_bytes()),
        ("rules/names.toml", RULES.as_bytes()),
        ("docs/a.md", b"Acme Mesh says \"hi\".\n"),
        ("docs/archive/old.md", b"Acme Mesh said \"bye\".\n"),
    ])
}

#[test]
fn run_without_a_plugin_runs_the_default_pipeline_over_the_tree() {
    let dir = project();
    let out = run(dochost().current_dir(dir.path()).args(["run", "--diff"]));
    let diff = stdout(&out);
    assert!(diff.contains("+Nimbus Mesh says «hi».\n"), "{diff}\n{}", stderr(&out));
    assert!(!diff.contains("archive"), "excluded files are not taken: {diff}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_named_pipeline_over_given_paths_with_flags_winning() {
    let dir = project();
    let out = run(dochost().current_dir(dir.path()).args(["run", "--pipeline", "quotes", "--set", "double=„“", "--diff", "docs"]));
    assert!(stdout(&out).contains("+Acme Mesh says „hi“.\n"), "{}\n{}", stdout(&out), stderr(&out));
    // A path given first is a path, not a plugin, when the file has a default.
    let out = run(dochost().current_dir(dir.path()).args(["run", "docs/a.md", "--diff"]));
    assert!(stdout(&out).contains("+Nimbus Mesh says «hi».\n"), "{}\n{}", stdout(&out), stderr(&out));
}

#[test]
fn paths_in_the_file_are_relative_to_it_wherever_dochost_runs() {
    let dir = project();
    let out = run(dochost()
        .current_dir(dir.path().join("docs"))
        .args(["run", "--config", "../dochost.toml", "--diff", "a.md"]));
    assert!(stdout(&out).contains("+Nimbus Mesh says «hi».\n"), "{}\n{}", stdout(&out), stderr(&out));
}

#[test]
fn an_explicit_plugin_ignores_the_pipelines_but_not_the_file_filters() {
    let dir = project();
    let out = run(dochost().current_dir(dir.path()).args(["run", "smart-quotes", "--check", "docs"]));
    assert_eq!(stdout(&out), "docs/a.md\n", "{}", stderr(&out));
}

#[test]
fn mistakes_in_the_file_name_its_line() {
    let dir = tree(&[("dochost.toml", b"default-pipeline = \"tidy\"\n\n[pipelines.lint]\nplugins = [\"links\"]\n"), ("a.md", b"x\n")]);
    let out = run(dochost().current_dir(dir.path()).args(["run", "--check"]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: dochost.toml:1: default-pipeline `tidy` is not a pipeline of this file (pipelines: lint)\n");
    let dir = tree(&[("dochost.toml", b"[pipelines.lint]\nplugins = [\"links\"]\nsomething = 1\n"), ("a.md", b"x\n")]);
    let err = stderr(&run(dochost().current_dir(dir.path()).args(["run", "--pipeline", "lint", "--check"])));
    assert!(err.starts_with("error: dochost.toml: TOML parse error at line 3"), "{err}");
    assert!(err.contains("unknown field `something`"), "{err}");
    let dir = tree(&[("a.md", b"x\n")]);
    let err = stderr(&run(dochost().current_dir(dir.path()).args(["run", "--pipeline", "lint", "a.md"])));
    assert_eq!(err, "error: --pipeline lint: there is no dochost.toml in the current directory (or give --config FILE)\n");
}

#[test]
fn shards_together_are_exactly_the_whole_run_and_their_reports_merge() {
    let files: Vec<(String, Vec<u8>)> =
        (0..60).map(|i| (format!("docs/{}/p{i}.md", i % 7), format!("Say \"{i}\".\n").into_bytes())).collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    let dir = tree(&refs);
    let check = |extra: &[&str]| {
        let out = run(dochost().current_dir(dir.path()).args(["run", "smart-quotes", "--check", "docs"]).args(extra));
        let mut listed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
        listed.sort();
        listed
    };
    let whole = check(&["--report", "whole.json"]);
    assert_eq!(whole.len(), 60);
    let mut union = Vec::new();
    for i in 1..=3 {
        let part = check(&["--shard", &format!("{i}/3"), "--report", &format!("shard-{i}.json")]);
        assert!(part.len() > 10, "shard {i} is balanced: {}", part.len());
        union.extend(part);
    }
    union.sort();
    assert_eq!(union, whole, "no file twice, none left out");
    let out = run(dochost()
        .current_dir(dir.path())
        .args(["report", "merge", "shard-1.json", "shard-2.json", "shard-3.json", "--out", "merged.json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap()).unwrap()
    };
    let (merged, whole) = (read("merged.json"), read("whole.json"));
    assert_eq!(merged["total"], whole["total"]);
    assert_eq!(merged["summary"], whole["summary"]);
    let files = |v: &serde_json::Value| {
        let mut f: Vec<String> = v["files"].as_array().unwrap().iter().map(|f| f.to_string()).collect();
        f.sort();
        f
    };
    assert_eq!(files(&merged), files(&whole));
    let twice = run(dochost().current_dir(dir.path()).args(["report", "merge", "shard-1.json", "shard-1.json", "--out", "m.json"]));
    assert!(stderr(&twice).contains("the shards overlap"), "{}", stderr(&twice));
}

/// `[markdown] math = false` reads `$` as a dollar sign: the quotes between
/// `*$HOME/bin*` and `` `$PATH` `` are prose, not math, and are curled;
/// `--math on` wins over the file.
#[test]
fn the_markdown_dialect_of_the_file_decides_whether_dollars_start_math() {
    let doc = "Put it in *$HOME/bin*, say \"hi\", then add it to `$PATH`.\n";
    let config = "default-pipeline = \"quotes\"\n\n[markdown]\nmath = false\n\n[pipelines.quotes]\nplugins = [\"smart-quotes\"]\n";
    let dir = tree(&[("dochost.toml", config.as_bytes()), ("a.md", doc.as_bytes())]);
    let out = run(dochost().current_dir(dir.path()).args(["run", "a.md"]));
    assert_eq!(stdout(&out), "Put it in *$HOME/bin*, say “hi”, then add it to `$PATH`.\n", "{}", stderr(&out));
    let out = run(dochost().current_dir(dir.path()).args(["run", "--math", "on", "a.md"]));
    assert_eq!(stdout(&out), doc, "under math the quotes are inside `$…$`: {}", stderr(&out));
    let out = run(dochost().current_dir(dir.path()).args(["ast", "--math", "off", "a.md"]));
    assert!(!stdout(&out).contains("math-inline") && stdout(&out).contains("emphasis"), "{}", stdout(&out));
}
