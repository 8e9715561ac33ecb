//! The command line as users type it: inputs, outputs, modes, exit codes,
//! and clear errors for bad input.

mod support;

use std::io::Write;
use std::process::Stdio;

use support::{dochost, fixture, plugin, run, stderr, stdout, tree};

/// `set-text` on the first text node: a visible, predictable change.
fn scripted(edits: &str) -> std::process::Command {
    let mut cmd = dochost();
    cmd.arg("run").arg(plugin("scripted")).args(["--set", &format!("edits={edits}")]);
    cmd
}

#[test]
fn stdin_to_stdout() {
    let mut child = scripted("set-text,text,0,Bye")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Hello *there*\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Bye*there*\n");
}

#[test]
fn a_single_file_prints_to_stdout() {
    let out = run(dochost().args(["run", "smart-quotes"]).arg(fixture("quotes.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), std::fs::read_to_string(fixture("quotes.expected.md")).unwrap());
}

#[test]
fn in_place_rewrites_changed_files_only() {
    let dir = tree(&[("a.md", b"Hello\n"), ("sub/b.md", b"# Title\n"), ("notes.txt", b"Hello\n")]);
    let before = std::fs::metadata(dir.path().join("sub/b.md")).unwrap().modified().unwrap();
    let out = run(scripted("set-text,text,0,Bye").arg("--in-place").arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.md")).unwrap(), "Bye\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("sub/b.md")).unwrap(), "# Bye\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "Hello\n", "not Markdown: not touched");
    assert_ne!(std::fs::metadata(dir.path().join("sub/b.md")).unwrap().modified().unwrap(), before);
}

#[test]
fn in_place_leaves_the_file_untouched_when_the_plugin_fails() {
    let dir = tree(&[("a.md", b"Hello\n")]);
    let mut cmd = dochost();
    cmd.arg("run").arg(plugin("misbehave")).args(["--set", "mode=trap", "--in-place"]).arg(dir.path());
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.md")).unwrap(), "Hello\n");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn in_place_leaves_the_file_untouched_when_an_edit_is_invalid() {
    let dir = tree(&[("a.md", b"Hello\n")]);
    let out = run(scripted("set-text,text,0,A\nremove,paragraph,0,").arg("--in-place").arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap(),
        format!(
            "error: {}: plugin scripted returned an edit that cannot be applied: edit #1 remove(node 1): overlaps edit #0 set-text(node 2, \"A\") (bytes 0..5 and 0..6); the file was left unchanged (this is a bug in the plugin)",
            dir.path().join("a.md").display()
        )
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("a.md")).unwrap(), "Hello\n");
}

#[test]
fn out_of_range_and_unknown_nodes_are_rejected() {
    let dir = tree(&[("a.md", b"Hello\n")]);
    let out = run(scripted("splice,3,99,x").arg(dir.path().join("a.md")));
    assert!(stderr(&out).contains("edit #0 splice(3..99, \"x\"): span 3..99 is outside the document (6 bytes)"), "{}", stderr(&out));
    let out = run(scripted("remove,id,42,").arg(dir.path().join("a.md")));
    assert!(stderr(&out).contains("edit #0 remove(node 42): node 42 does not exist (the document has 3 nodes)"), "{}", stderr(&out));
}

#[test]
fn out_dir_mirrors_the_tree_and_keeps_inputs() {
    let dir = tree(&[("docs/a.md", b"Hello\n"), ("docs/deep/b.markdown", b"Hi\n")]);
    let out_dir = dir.path().join("out");
    let out = run(scripted("set-text,text,0,Bye").arg("--out-dir").arg(&out_dir).arg(dir.path().join("docs")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(out_dir.join("a.md")).unwrap(), "Bye\n");
    assert_eq!(std::fs::read_to_string(out_dir.join("deep/b.markdown")).unwrap(), "Bye\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("docs/a.md")).unwrap(), "Hello\n");
}

#[test]
fn check_exits_1_and_lists_files_that_would_change() {
    let dir = tree(&[("a.md", b"Hello\n"), ("b.md", b"Bye\n")]);
    let out = run(scripted("set-text,text,0,Bye").arg("--check").arg(dir.path()));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("{}\n", dir.path().join("a.md").display()));
    assert_eq!(stderr(&out), "2 documents, 1 would change; edits: scripted 1\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("a.md")).unwrap(), "Hello\n", "--check writes nothing");

    let clean = tree(&[("b.md", b"Bye\n")]);
    let out = run(scripted("set-text,text,0,Bye").arg("--check").arg(clean.path()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn diff_prints_a_unified_diff() {
    let dir = tree(&[("a.md", b"# T\n\nHello\n")]);
    let out = run(scripted("set-text,text,1,Bye").arg("--diff").current_dir(dir.path()).arg("a.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,3 @@\n # T\n \n-Hello\n+Bye\n");
}

#[test]
fn gitignored_and_hidden_files_are_skipped() {
    let dir = tree(&[(".gitignore", b"build/\n"), ("a.md", b"x\n"), ("build/b.md", b"x\n"), (".hidden/c.md", b"x\n")]);
    let out = run(scripted("set-text,text,0,y").arg("--check").arg(dir.path()));
    assert_eq!(stdout(&out), format!("{}\n", dir.path().join("a.md").display()));
}

#[test]
fn several_files_without_a_destination_is_an_error() {
    let dir = tree(&[("a.md", b"x\n"), ("b.md", b"y\n")]);
    let out = run(scripted("").arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: 2 documents to process: say where results go with --in-place, --out-dir DIR, --check or --diff (only a single document is printed to standard output)\n"
    );
}

#[test]
fn a_non_markdown_file_is_refused() {
    let dir = tree(&[("notes.txt", b"x\n")]);
    let out = run(scripted("").arg(dir.path().join("notes.txt")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: not a Markdown file (dochost reads *.md and *.markdown); rename it or pass the directory that holds your Markdown\n",
            dir.path().join("notes.txt").display()
        )
    );
}

#[test]
fn a_non_utf8_file_fails_with_the_remedy_and_others_go_on() {
    let (gbk, _, _) = encoding_rs::GBK.encode("# 中文标题\n\n正文内容。\n");
    let dir = tree(&[("gbk.md", &gbk), ("ok.md", b"Hello\n")]);
    let out = run(scripted("set-text,text,0,Bye").arg("--check").arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap(),
        format!(
            "error: {}: not valid UTF-8 (byte 0xd6 on line 1); if the file is in a legacy encoding, pass --input-encoding auto or name it (e.g. --input-encoding gbk)",
            dir.path().join("gbk.md").display()
        )
    );
    assert_eq!(stdout(&out), format!("{}\n", dir.path().join("ok.md").display()));
}

#[test]
fn legacy_encodings_are_read_with_input_encoding_and_written_as_utf8() {
    let (gbk, _, _) = encoding_rs::GBK.encode("# 中文标题\n\n正文内容。\n");
    let dir = tree(&[("gbk.md", &gbk)]);
    for encoding in ["auto", "gbk"] {
        let out = run(dochost().arg("run").arg(plugin("noop")).args(["--input-encoding", encoding]).arg(dir.path().join("gbk.md")));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "# 中文标题\n\n正文内容。\n");
    }
}

#[test]
fn a_missing_plugin_is_named() {
    let out = run(dochost().args(["run", "nope.wasm", "x.md"]));
    assert_eq!(out.status.code(), Some(2));
    let dir = tree(&[("a.md", b"x\n")]);
    let out = run(dochost().args(["run", "nope.wasm"]).arg(dir.path().join("a.md")));
    assert_eq!(stderr(&out), "error: plugin nope.wasm does not exist\n");
    let out = run(dochost().args(["run", "no-such-plugin"]).arg(dir.path().join("a.md")));
    assert!(stderr(&out) == ("error: no plugin named `no-such-plugin`: it is not a file, nor one of the built-in plugins (doc-version, freshness, links, mojibake, replace, smart-quotes, translate, versions); give the path of a .wasm file\n"), "{}", stderr(&out));
}

#[test]
fn garbage_bytes_are_not_a_plugin() {
    let dir = tree(&[("bad.wasm", b"this is not wasm"), ("a.md", b"x\n")]);
    let out = run(dochost().arg("run").arg(dir.path().join("bad.wasm")).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is not a WebAssembly file (no `\\0asm` header); a plugin is a component built for wasm32-wasip2\n",
            dir.path().join("bad.wasm").display()
        )
    );
}

#[test]
fn a_core_module_that_is_not_a_wasi_command_is_refused() {
    // The smallest valid core module: magic and version 1, no `_start`.
    // (Core modules that are WASI p1 commands are plugins: tests/p1.rs.)
    let dir = tree(&[("core.wasm", b"\0asm\x01\0\0\0"), ("a.md", b"x\n")]);
    let out = run(dochost().arg("run").arg(dir.path().join("core.wasm")).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is a core WebAssembly module but not a WASI preview 1 command (it does not export `_start`); \
             a plugin is either a component built for wasm32-wasip2 or a command module built for wasm32-wasip1 \
             that speaks the JSON protocol of docs/json-protocol.md\n",
            dir.path().join("core.wasm").display()
        )
    );
}

#[test]
fn a_component_of_another_world_is_refused() {
    let dir = tree(&[("a.md", b"x\n")]);
    let wasm = plugin("not-a-plugin");
    let out = run(dochost().arg("run").arg(&wasm).arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!(
            "error: {} is not a dochost plugin: it exports none of `dochost:plugin/plugin-api@0.3.0` \
             (the current contract, wit/plugin.wit), `dochost:plugin/plugin-api@0.2.0`, or the `describe` and \
             `transform` of dochost:plugin@0.1.0; it exports: wasi:cli/run@0.2.0",
            wasm.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_prints_describe() {
    let out = run(dochost().args(["inspect", "smart-quotes"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("smart-quotes 0.1.0\nCurl straight quotes in prose\n"), "{text}");
    assert!(text.contains("contract: 0.3.0\n"), "{text}");
    assert!(text.contains("  double       text     opening and closing double quotes (default: “”)"), "{text}");
}

#[test]
fn ast_prints_the_node_table_as_tree_and_json() {
    let out = run(dochost().arg("ast").arg(fixture("quotes.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("[0] document 1:1 0.."), "{text}");
    assert!(text.contains("\n  [1] heading 1:1 0..17 level=1\n    [2] text 1:3 2..16 text=\"\\\"Smart\\\" quotes\"\n"), "{text}");

    let out = run(dochost().arg("ast").arg("--json").arg(fixture("quotes.md")));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["nodes"][1]["kind"], "heading");
    assert_eq!(json["nodes"][2]["span"], serde_json::json!({"start": 2, "end": 16}));
    // Exactly what a JSON-protocol plugin receives: every WIT field, `null`
    // where absent.
    assert_eq!(json["nodes"][2]["link-kind"], serde_json::Value::Null);
    assert_eq!(json["nodes"][2].as_object().unwrap().len(), 14);
}

#[test]
fn options_can_be_scoped_to_one_plugin_of_a_pipeline() {
    let dir = tree(&[("a.md", b"\"Hi\" there\n")]);
    let out = run(dochost()
        .args(["run", "smart-quotes", "--then"])
        .arg(plugin("scripted"))
        .args(["--set", "smart-quotes.double=«»", "--set", "scripted.edits=insert-after,text,0,!"])
        .arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "«Hi» there!\n");
}

#[test]
fn reports_list_every_change_with_its_reason() {
    let dir = tree(&[("a.md", b"Say \"hi\"\n\nAnd 'bye'\n")]);
    let report_md = dir.path().join("changes.md");
    let report_json = dir.path().join("changes.json");
    let out = run(dochost()
        .args(["run", "smart-quotes", "--check", "--report"])
        .arg(&report_md)
        .arg("--report")
        .arg(&report_json)
        .arg(dir.path().join("a.md")));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let md = std::fs::read_to_string(&report_md).unwrap();
    assert!(md.contains("2 changes in 1 files.\n\n| change | count |\n| --- | ---: |\n| straight quotes curled | 2 |\n"), "{md}");
    assert!(md.contains("| 3 | ` And 'bye' ` | ` And ‘bye’ ` | straight quotes curled |"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report_json).unwrap()).unwrap();
    assert_eq!(json["total"], 2);
    assert_eq!(json["files"][0]["changes"][0]["after"], "Say “hi”");
}

/// `run --help` is read by newcomers: its examples stand one per line, and
/// `--math` offers the values it documents, not clap's `true, false`.
#[test]
fn run_help_lists_examples_one_per_line_and_math_as_on_off() {
    let out = run(dochost().args(["run", "--help"]));
    let help = stdout(&out);
    let examples: Vec<&str> = help.lines().filter(|l| l.trim_start().starts_with("dochost run ")).collect();
    assert!(examples.len() >= 3, "{help}");
    assert!(examples.iter().all(|l| l.matches("dochost run").count() == 1), "{help}");
    assert!(help.contains("--math <on|off>") && !help.contains("[possible values: true, false]"), "{help}");
}
