//! WASI preview 1 plugins: a core module speaking JSON on stdin and stdout
//! (docs/json-protocol.md) is a plugin like a component, in the same sandbox
//! and with the same errors.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use support::{dochost, fixture, plugin, repo_root, run, stderr, stdout, tree};

/// The `wasm32-wasip1` build of `plugins/testing/p1-json`, built once per
/// test process (the shared setup builds components only).
fn p1_plugin() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let target = repo_root().join("target").join("test-plugins-p1");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(repo_root())
            .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "test-plugin-p1-json", "--target-dir"])
            .arg(&target);
        for var in ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
            cmd.env_remove(var);
        }
        let out = cmd.output().expect("cannot run cargo to build the p1 test plugin");
        assert!(
            out.status.success(),
            "building the p1 test plugin failed (is the wasm32-wasip1 target installed? `rustup target add wasm32-wasip1`):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = target.join("wasm32-wasip1").join("release").join("test-plugin-p1-json.wasm");
        assert!(path.exists(), "{} was not built", path.display());
        path
    })
    .clone()
}

fn p1(mode: &str) -> Command {
    let mut cmd = dochost();
    cmd.arg("run").arg(p1_plugin()).args(["--set", &format!("mode={mode}")]);
    cmd
}

#[test]
fn a_core_module_is_detected_and_describes_itself() {
    let out = run(dochost().arg("inspect").arg(p1_plugin()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "p1-json 0.1.0\nApplies edits from its options, over JSON\nfrom: {}\ncontract: json\noptions:\n  \
             edits        text     one edit per line: OP,KIND,NTH,VALUE or splice,START,END,VALUE\n  \
             mode         text     loop, exit, garbage, error, read, env, stderr, alloc\n  \
             path         text     file to read in mode=read\n  \
             when         text     only misbehave on documents whose source contains this\n",
            p1_plugin().display()
        )
    );
}

/// Run `plugin` with `edits` on `files`; (exit code, stdout, stderr with the
/// plugin's name replaced by `PLUGIN`).
fn edit_with(plugin: &std::path::Path, name: &str, edits: &str, file: &std::path::Path) -> (Option<i32>, String, String) {
    let out = run(dochost().arg("run").arg(plugin).args(["--set", &format!("edits={edits}")]).arg(file));
    (out.status.code(), stdout(&out), stderr(&out).replace(&format!("plugin {name} "), "plugin PLUGIN "))
}

#[test]
fn a_p1_plugin_edits_exactly_like_the_same_plugin_as_a_component() {
    let scripts = [
        "",
        "set-text,text,*,Bye \"now\" *really*",
        "set-text,heading,0,x\nremove,paragraph,0,",
        "insert-before,paragraph,*,> quoted\\n\\n",
        "insert-after,text,0,!\nreplace,code,0,`new`",
        "set-url,link,*,https://example.com/a b\nset-title,link,0,a \"title\"",
        "set-text,front-matter,0,title: new\\n",
        "splice,0,1,#",
        "splice,3,99999,x",
        "set-text,code-block,*,fn main() {}\\n```\\n",
        "set-text,text,0,A\nremove,paragraph,0,",
        "remove,id,4242,",
        "set-text,nope,0,x",
    ];
    let files: Vec<PathBuf> =
        ["quotes.md", "links.md", "escaping.md", "front-matter.md", "crlf.md", "empty.md"].iter().map(|f| fixture(f)).collect();
    let component = plugin("scripted");
    let mut changed = 0;
    for file in &files {
        for script in scripts {
            let expected = edit_with(&component, "scripted", script, file);
            let actual = edit_with(&p1_plugin(), "p1-json", script, file);
            assert_eq!(actual, expected, "{} with edits={script:?}", file.display());
            changed += usize::from(expected.0 == Some(0) && expected.1 != std::fs::read_to_string(file).unwrap());
        }
    }
    assert!(changed >= 15, "the comparison covers real edits, not only failures ({changed} changed)");
}

#[test]
fn an_error_answer_fails_the_file_with_the_plugins_message() {
    let dir = tree(&[("doc.md", b"x\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(p1("error").arg(&doc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), format!("error: {}: plugin p1-json returned an error: deliberate error\n", doc.display()));
    assert_eq!(stdout(&out), "");
}

#[test]
fn an_infinite_loop_is_stopped_by_the_deadline() {
    let dir = tree(&[("doc.md", b"# Hi\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(p1("loop").args(["--timeout", "0.5"]).arg(&doc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("error: {}: plugin p1-json timed out after 500ms (raise the limit with --timeout)\n", doc.display())
    );
}

#[test]
fn a_memory_bomb_is_stopped_by_the_cap() {
    let dir = tree(&[("doc.md", b"# Hi\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(p1("alloc").args(["--max-memory", "64"]).arg(&doc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("error: {}: plugin p1-json exceeded the memory cap of 64 MiB (raise it with --max-memory)\n", doc.display())
    );
}

#[test]
fn a_non_zero_exit_fails_the_file_with_the_code_and_stderr() {
    let dir = tree(&[("a.md", b"bad\n"), ("b.md", b"fine\n")]);
    let out_dir = dir.path().join("out");
    let out = run(p1("exit")
        .args(["--set", "when=bad", "--out-dir"])
        .arg(&out_dir)
        .arg(dir.path().join("a.md"))
        .arg(dir.path().join("b.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: plugin p1-json exited with code 3; its stderr: giving up on a document of 4 bytes\n\
             2 documents, 0 changed, 1 failed\n",
            dir.path().join("a.md").display()
        )
    );
    assert!(!out_dir.join("a.md").exists());
    assert_eq!(std::fs::read_to_string(out_dir.join("b.md")).unwrap(), "fine\n", "the other documents go on");
}

#[test]
fn an_answer_that_is_not_json_is_named_and_shown() {
    let dir = tree(&[("doc.md", b"# Hi\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(p1("garbage").arg(&doc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: plugin p1-json broke the JSON protocol: what it printed on stdout is not JSON \
             (expected value at line 1 column 1); it printed: \"this is not JSON, 3 nodes\\n\" (see docs/json-protocol.md)\n",
            doc.display()
        )
    );
}

#[test]
fn files_outside_the_grants_are_unreadable_and_granted_ones_readable() {
    let dir = tree(&[("doc.md", b"x\n"), ("conf/versions.toml", b"k = 1\n"), ("conf/other.txt", b"no")]);
    let read = |path: &str| {
        run(p1("read").current_dir(dir.path()).args(["--allow-read", "conf/versions.toml", "--set", &format!("path={path}"), "doc.md"]))
    };
    let out = read("/etc/passwd");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: doc.md: plugin p1-json returned an error: cannot read /etc/passwd: "),
        "{}",
        stderr(&out)
    );
    let out = read("conf/other.txt");
    assert_eq!(out.status.code(), Some(2), "a sibling of a granted file stays hidden: {}", stderr(&out));
    let out = read("conf/versions.toml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "doc.md:1:1: info[observed]: read 6 bytes (p1-json)\n");
}

#[test]
fn no_environment_or_arguments_and_stderr_goes_to_ours_with_the_plugin_name() {
    let dir = tree(&[("doc.md", b"x\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(p1("env").env("SECRET_TOKEN", "x").arg(&doc));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), format!("{}:1:1: info[observed]: vars=[] args=[] (p1-json)\n", doc.display()));
    let out = run(p1("stderr").arg(&doc));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), format!("p1-json: {}: a line on stderr\n", doc.display()));
    assert_eq!(stdout(&out), "x\n");
}

#[test]
fn p1_and_component_plugins_chain_in_one_pipeline() {
    let dir = tree(&[("doc.md", b"# Hi\n\nsome text\n")]);
    let out = run(dochost()
        .arg("run")
        .arg(p1_plugin())
        .arg("--then")
        .arg(plugin("scripted"))
        .args(["--set", "p1-json.edits=set-text,text,1,changed by p1", "--set", "scripted.edits=insert-after,text,1,!"])
        .arg(dir.path().join("doc.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "# Hi\n\nchanged by p1!\n");
}

/// Not a check: measures the per-document cost of the p1 plugin against the
/// same plugin as a component, in process, on up to 200 documents of
/// `DOCHOST_CORPUS` (else the fixtures). Run with
/// `cargo test -p dochost --test p1 -- --ignored --nocapture per_document`.
#[test]
#[ignore]
fn per_document_cost_against_the_component() {
    use dochost::runtime::{DocumentRef, Grants, Limits, Runtime};
    use std::sync::Arc;
    use std::time::Instant;

    let dir = std::env::var_os("DOCHOST_CORPUS").map(PathBuf::from).unwrap_or_else(|| fixture(""));
    let mut files: Vec<PathBuf> = ignore::Walk::new(&dir)
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.truncate(200);
    let docs: Vec<(String, String, dochost::doc::NodeTable)> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok().map(|s| (p.display().to_string(), s)))
        .map(|(p, s)| {
            let table = dochost::doc::parse(&s);
            (p, s, table)
        })
        .collect();
    let runtime = Runtime::new(Limits::default(), Grants::default()).unwrap();
    let component = runtime.load_file(&plugin("scripted")).unwrap();
    let p1 = runtime.load_file(&p1_plugin()).unwrap();
    for script in ["", "set-text,text,*,X"] {
        let config = vec![("edits".to_string(), script.to_string())];
        let mut per_doc = Vec::new();
        for (name, plugin) in [("component", &component), ("p1", &p1)] {
            let mut session = plugin.open(&config).unwrap();
            let mut best = f64::MAX;
            for _ in 0..5 {
                let start = Instant::now();
                for (path, source, table) in &docs {
                    session.transform(DocumentRef { path, source, table }, &Arc::default()).unwrap();
                }
                best = best.min(start.elapsed().as_secs_f64() / docs.len() as f64);
            }
            eprintln!("{name:>9} edits={script:?}: {:.0} µs/document ({} documents)", best * 1e6, docs.len());
            per_doc.push(best);
        }
        eprintln!("    ratio p1/component: {:.2}", per_doc[1] / per_doc[0]);
    }
    // The fixed cost of a call, on a one-line document.
    let table = dochost::doc::parse("x\n");
    for (name, plugin) in [("component", &component), ("p1", &p1)] {
        let mut session = plugin.open(&[("edits".to_string(), String::new())]).unwrap();
        let start = Instant::now();
        for _ in 0..200 {
            session.transform(DocumentRef { path: "x.md", source: "x\n", table: &table }, &Arc::default()).unwrap();
        }
        eprintln!("{name:>9} on a one-line document: {:.0} µs/call", start.elapsed().as_secs_f64() / 200.0 * 1e6);
    }
}
