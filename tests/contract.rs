//! The session contract as users and plugin authors rely on it: sessions
//! reused across documents and replaced after a trap, run-level output,
//! options routed and checked once before any document, tree-wide runs,
//! 0.3.0's columns decoding to the node records 0.2.0 handed over, and
//! plugins of contracts 0.1.0 and 0.2.0 running unchanged.

mod support;

use support::{dochost, plugin, run, stderr, stdout, tree};

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn one_session_sees_every_document_of_a_worker() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n"), ("c.md", b"c\n"), ("d.md", b"d\n")]);
    let out = run(dochost().arg("run").arg(plugin("counter")).args(["--jobs", "1", "--check"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let counts: Vec<&str> = lines_with(&err, "[counter]").iter().map(|l| l.split("]: ").nth(1).unwrap()).collect();
    assert_eq!(
        counts,
        [
            "document 1 of this session (counter)",
            "document 2 of this session (counter)",
            "document 3 of this session (counter)",
            "document 4 of this session (counter)"
        ],
        "{err}"
    );
}

#[test]
fn a_trap_fails_its_document_alone_and_the_next_gets_a_fresh_session() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n"), ("c.md", b"TRAP\n"), ("d.md", b"d\n"), ("e.md", b"e\n")]);
    let artifacts = dir.path().join("out");
    let out = run(dochost()
        .arg("run")
        .arg(plugin("counter"))
        .args(["--jobs", "1", "--check", "--set", "trap-on=TRAP", "--artifacts"])
        .arg(&artifacts)
        .arg(dir.path().join("a.md"))
        .arg(dir.path().join("b.md"))
        .arg(dir.path().join("c.md"))
        .arg(dir.path().join("d.md"))
        .arg(dir.path().join("e.md")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let errors = lines_with(&err, "error: ");
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("c.md: plugin counter crashed: "), "{err}");
    let seen = |name: &str| {
        lines_with(&err, &format!("{name}:1:1: info[counter]"))
            .first()
            .map(|l| l.split("]: ").nth(1).unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(seen("a.md"), "document 1 of this session (counter)");
    assert_eq!(seen("b.md"), "document 2 of this session (counter)");
    assert_eq!(seen("d.md"), "document 1 of this session (counter)", "a fresh session after the trap: {err}");
    assert_eq!(seen("e.md"), "document 2 of this session (counter)");
    // Run-level output, once, from the facts of every session.
    assert!(err.contains("info[counter-total]: 4 documents transformed (counter)"), "{err}");
    let listing = std::fs::read_to_string(artifacts.join("counter.txt")).unwrap();
    let names: Vec<&str> = listing.lines().map(|l| l.rsplit('/').next().unwrap()).collect();
    assert_eq!(names, ["a.md 1", "b.md 2", "d.md 1", "e.md 2"]);
}

#[test]
fn a_missing_required_option_is_one_error_before_any_document() {
    let dir = tree(&[("a.md", b"Kubernetes 1.28\n"), ("b.md", b"x\n"), ("c.md", b"y\n")]);
    let out = run(dochost().args(["run", "versions", "--check"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: plugin versions needs option `manifest` (TOML file of products and target versions (grant it with \
         --allow-read)): give it with --set manifest=FILE or --set versions.manifest=…\n"
    );
}

#[test]
fn options_a_plugin_rejects_are_one_error_before_any_document() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n")]);
    let out = run(dochost().arg("run").arg(plugin("misbehave")).args(["--set", "mode=reject", "--check"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: plugin misbehave rejected its options: deliberately rejected options\n");
}

#[test]
fn a_key_no_plugin_declares_names_every_plugin_and_its_options() {
    let dir = tree(&[("a.md", b"a\n")]);
    let out = run(dochost().args(["run", "mojibake", "--then", "smart-quotes", "--set", "dubble=«»"]).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --set dubble=«»: no plugin of this run has an option `dubble`; mojibake takes code; smart-quotes takes double, single\n"
    );
}

#[test]
fn values_are_checked_against_the_declared_kind() {
    let dir = tree(&[("a.md", b"a\n")]);
    let out = run(dochost().args(["run", "mojibake", "--set", "code=maybe"]).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: option `code` of plugin mojibake is true or false, not `maybe`\n");
    let manifest = dir.path().join("v.toml");
    std::fs::write(&manifest, "").unwrap();
    let out = run(dochost().args(["run", "versions", "--set"]).arg(format!("manifest={}", manifest.display())).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("which plugins cannot read: grant it with --allow-read"), "{}", stderr(&out));
}

#[test]
fn an_unscoped_option_goes_only_to_the_plugins_that_declare_it() {
    // The pipeline of the contract issue: `manifest` is versions' alone.
    let dir = tree(&[
        ("doc.md", "Install Kubernetes 1.28 today. Cafأ© is fine.\n".as_bytes()),
        ("v.toml", b"[[product]]\nname = \"Kubernetes\"\nversion = \"1.30\"\n"),
    ]);
    let out = run(dochost()
        .current_dir(dir.path())
        .args(["run", "mojibake", "--then", "versions", "--allow-read", "v.toml", "--set", "manifest=v.toml", "doc.md"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Install Kubernetes 1.30 today."), "{}", stdout(&out));
}

#[test]
fn a_tree_wide_plugin_reads_facts_gathered_from_other_documents() {
    let dir = tree(&[
        ("a.md", b"# Alpha\n\nSee [b](b.md) and [gone](gone.md).\n"),
        ("b.md", b"# Beta\n\n## Two\n\nBack to [a](a.md).\n"),
    ]);
    let out = run(dochost().current_dir(dir.path()).arg("run").arg(plugin("tree")).args(["--check", "a.md", "b.md"]));
    assert_eq!(out.status.code(), Some(1), "a warning fails --check: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("a.md:3:5: info[link-target]: b.md is titled `Beta` and has 2 headings (tree)"), "{err}");
    assert!(err.contains("a.md:3:19: warning[link-target]: gone.md is not a document of this run (tree)"), "{err}");
    assert!(err.contains("b.md:5:9: info[link-target]: a.md is titled `Alpha` and has 1 headings (tree)"), "{err}");
}

#[test]
fn a_tree_wide_plugin_sees_every_file_under_the_given_directories() {
    let dir = tree(&[
        ("docs/a.md", b"[logo](img/logo.png) [spec](spec.pdf) [gone](img/gone.png)\n"),
        ("docs/img/logo.png", b"png"),
        ("docs/spec.pdf", b"pdf"),
    ]);
    let out = run(dochost().current_dir(dir.path()).arg("run").arg(plugin("tree")).args(["--check", "docs"]));
    let err = stderr(&out);
    assert!(err.contains("info[file-target]: img/logo.png in the tree under docs: true"), "{err}");
    assert!(err.contains("info[file-target]: spec.pdf in the tree under docs: true"), "{err}");
    assert!(err.contains("info[file-target]: img/gone.png in the tree under docs: false"), "{err}");
}

#[test]
fn a_tree_wide_stage_knows_which_documents_earlier_stages_changed() {
    let dir = tree(&[("a.md", b"Hello\n"), ("b.md", b"Bye\n")]);
    let out = run(dochost()
        .current_dir(dir.path())
        .arg("run")
        .arg(plugin("scripted"))
        .args(["--set", "edits=set-text,text,0,Bye", "--then"])
        .arg(plugin("tree"))
        .args(["--check", "a.md", "b.md"]));
    let err = stderr(&out);
    assert!(err.contains("a.md:1:1: info[changed-by]: changed earlier by scripted (tree)"), "{err}");
    assert!(!err.contains("b.md:1:1: info[changed-by]"), "b.md was set to its own text: {err}");
}

#[test]
fn a_plugin_of_contract_0_1_runs_unchanged_in_a_fresh_instance_per_document() {
    let dir = tree(&[("a.md", b"one *two*\n"), ("b.md", b"three\n"), ("c.md", b"four\n")]);
    let out = run(dochost()
        .arg("run")
        .arg(plugin("legacy-v0-1"))
        .args(["--jobs", "1", "--set", "suffix=!", "--out-dir"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("a.md"))
        .arg(dir.path().join("b.md"))
        .arg(dir.path().join("c.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = |name: &str| std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
    assert_eq!(written("a.md"), "ONE !*TWO!*\n");
    assert_eq!(written("b.md"), "THREE!\n");
    let err = stderr(&out);
    assert_eq!(lines_with(&err, "call 1 of this instance").len(), 3, "{err}");
    assert_eq!(lines_with(&err, "legacy: ").len(), 3, "log lines are prefixed with the plugin and file: {err}");
    let out = run(dochost().arg("inspect").arg(plugin("legacy-v0-1")));
    assert!(stdout(&out).contains("contract: 0.1.0"), "{}", stdout(&out));
}

#[test]
fn a_plugin_of_contract_0_2_gets_its_node_records_and_sessions_unchanged() {
    let dir = tree(&[
        ("a.md", b"# Title {#top .big lang=en hidden}\n\nSee [docs](https://example.com/d \"Docs\") and [more][r].\n\n[r]: /r\n"),
        ("b.md", b"- [x] done\n\n3. three\n"),
        ("c.md", b"```rust\nfn main() {}\n```\n"),
    ]);
    let out = run(dochost()
        .arg("run")
        .arg(plugin("legacy-v0-2"))
        .args(["--jobs", "1", "--out-dir"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("a.md"))
        .arg(dir.path().join("b.md"))
        .arg(dir.path().join("c.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = |name: &str| std::fs::read_to_string(dir.path().join("out").join(name)).unwrap();
    assert_eq!(
        written("a.md"),
        "# TITLE {#top .big lang=en hidden}\n\nSEE [DOCS](https://example.com/d \"Docs\") AND [MORE][r].\n\n[r]: /r\n"
    );
    assert_eq!(written("b.md"), "- [x] DONE\n\n3. THREE\n");
    let err = stderr(&out);
    for n in 1..=3 {
        let line = format!("info[session]: document {n} of this session, ");
        assert_eq!(lines_with(&err, &line).len(), 1, "one session sees every document: {err}");
    }
    assert_eq!(lines_with(&err, "tree consistent: true").len(), 3, "parents and children agree: {err}");
    for (place, fields) in [
        ("a.md:1:1", "heading level Some(1), 1 children, attributes id=top class=big lang=en hidden=-"),
        ("a.md:3:5", "link inline to Some(\"https://example.com/d\") titled Some(\"Docs\") label None, 1 children"),
        ("a.md:3:46", "link reference to Some(\"/r\") titled None label Some(\"r\"), 1 children"),
        ("a.md:5:1", "definition Some(\"r\") to Some(\"/r\")"),
        ("b.md:1:1", "list from None, 1 children"),
        ("b.md:1:3", "task checked Some(true)"),
        ("b.md:3:1", "list from Some(3), 1 children"),
        ("c.md:1:1", "code block Some(\"rust\"): Some(\"fn main() {}\\n\")"),
    ] {
        let line = format!("{place}: info[fields]: {fields} (legacy2)");
        assert!(err.contains(&line), "the host fills 0.2.0 records as before: no `{line}` in:\n{err}");
    }
    assert!(err.contains("info[finish]: finished after 3 documents, 3 in the run (legacy2)"), "{err}");
    assert_eq!(lines_with(&err, "legacy 0.2.0 plugin ran").len(), 3, "{err}");
    let out = run(dochost().arg("inspect").arg(plugin("legacy-v0-2")));
    assert!(stdout(&out).contains("contract: 0.2.0"), "{}", stdout(&out));
}

#[test]
fn contract_0_3_columns_decode_to_the_node_records_0_2_hands_over() {
    // Every property kind, non-ASCII strings (offsets into the string buffer
    // are bytes) and every way of writing a link.
    let doc = "# Überblick {#über .wide lang=zh bare}\n\n\
               See [文档](https://例え.jp/ü \"标题\"), [ref][r], [r][], [r], <https://a.b/c> and <me@x.org>.\n\n\
               [r]: /ресурс \"титул\"\n\n\
               - [x] 完成\n- [ ] todo\n\n\
               123456789. big\n\n\
               ```rust title=\"ä\"\nlet s = \"ß\";\n```\n\n    indented\n";
    let dir = tree(&[("a.md", doc.as_bytes())]);
    let fields = |name: &str| {
        let out = run(dochost().arg("run").arg(plugin(name)).arg("--check").arg(dir.path().join("a.md")));
        let err = stderr(&out);
        // Each line ends with the name of the plugin that reported it.
        let suffix = format!(" ({})", if name == "fields" { "fields" } else { "legacy2" });
        let lines: Vec<String> =
            lines_with(&err, "info[fields]").iter().map(|l| l.strip_suffix(&suffix).unwrap_or(l).to_string()).collect();
        (lines, err)
    };
    let (old, err) = fields("legacy-v0-2");
    assert_eq!(old.len(), 14, "{err}");
    let (new, err) = fields("fields");
    assert_eq!(new, old, "{err}");
}
