//! WASI preview 1 plugins: a core module speaking JSON on stdin and stdout
//! (docs/json-protocol.md) is a plugin like a component, in the same sandbox
//! and with the same errors. Protocol 0.1.0 (one request per run of the
//! module) with `plugins/testing/p1-json`; protocol 0.2.0 (sessions: one
//! instance for many documents, options declared with kinds, scan, finish
//! and the tree index in-band) with `plugins/testing/p1-session`, which does
//! what the component test plugins `counter` and `tree` do.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use support::{dochost, fixture, plugin, repo_root, run, stderr, stdout, tree};

/// The `wasm32-wasip1` build of `plugins/testing/p1-json` (protocol 0.1.0).
fn p1_plugin() -> PathBuf {
    p1_build().join("test-plugin-p1-json.wasm")
}

/// The `wasm32-wasip1` build of `plugins/testing/p1-session` (protocol 0.2.0).
fn session_plugin() -> PathBuf {
    p1_build().join("test-plugin-p1-session.wasm")
}

/// Both JSON-protocol test plugins, built once per test process (the shared
/// setup builds components only); returns their directory.
fn p1_build() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let target = repo_root().join("target").join("test-plugins-p1");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(repo_root())
            .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "test-plugin-p1-json"])
            .args(["-p", "test-plugin-p1-session", "--target-dir"])
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
        let dir = target.join("wasm32-wasip1").join("release");
        for name in ["test-plugin-p1-json.wasm", "test-plugin-p1-session.wasm"] {
            assert!(dir.join(name).exists(), "{} was not built", dir.join(name).display());
        }
        dir
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

// ---------------------------------------------------------------------------
// Protocol 0.2.0: sessions.

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

/// `dochost run` of the component `counter` or `tree` and of `p1-session` in
/// the same mode, with the same arguments; (exit code, stdout, stderr) of
/// each, the plugin's name in stderr replaced by `PLUGIN` and `dir` by `DIR`.
type Outcome = (Option<i32>, String, String);

fn both(component: &str, mode: &str, args: &[&str], dir: &std::path::Path) -> (Outcome, Outcome) {
    compare(component, &session_plugin(), "p1-session", mode, args, dir)
}

/// As `both`, with any JSON-protocol module `json` named `json_name`.
fn compare(
    component: &str,
    json: &std::path::Path,
    json_name: &str,
    mode: &str,
    args: &[&str],
    dir: &std::path::Path,
) -> (Outcome, Outcome) {
    let go = |plugin: PathBuf, name: &str, extra: &[&str]| {
        let out = run(dochost().current_dir(dir).arg("run").arg(plugin).args(extra).args(args));
        let err = stderr(&out)
            .replace(&format!("({name})"), "(PLUGIN)")
            .replace(&format!("plugin {name} "), "plugin PLUGIN ")
            .replace(&dir.display().to_string(), "DIR");
        (out.status.code(), stdout(&out), err)
    };
    (go(plugin(component), component, &[]), go(json.to_path_buf(), json_name, &["--set", &format!("mode={mode}")]))
}

#[test]
fn a_session_module_describes_its_protocol_option_kinds_and_tree_wide() {
    let out = run(dochost().arg("inspect").arg(session_plugin()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("p1-session 0.1.0\nCounts documents and reads the tree, over JSON lines\n"), "{text}");
    assert!(text.contains("\ncontract: json 0.2.0\ntree-wide: scans every document before transforming\n"), "{text}");
    assert!(text.contains("  start        integer  the number of the first document (default: 1)\n"), "{text}");
    assert!(text.contains("  reject       flag     fail open (default: false)\n"), "{text}");
    assert!(text.contains("  exit-on      text     exit 3 on documents containing this\n"), "{text}");
}

#[test]
fn one_instance_answers_every_document_of_a_worker() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n"), ("c.md", b"c\n"), ("d.md", b"d\n")]);
    let artifacts = dir.path().join("out");
    let (component, json) = both("counter", "counter", &["--jobs", "1", "--check", "--artifacts", "out", "."], dir.path());
    assert_eq!(json, component, "the JSON module answers as the component does");
    let counts: Vec<&str> = lines_with(&json.2, "[counter]").iter().map(|l| l.split("]: ").nth(1).unwrap()).collect();
    assert_eq!(
        counts,
        [
            "document 1 of this session (PLUGIN)",
            "document 2 of this session (PLUGIN)",
            "document 3 of this session (PLUGIN)",
            "document 4 of this session (PLUGIN)"
        ],
        "one instance saw every document: {}",
        json.2
    );
    // Run-level output from `finish`, which read the facts through the index.
    assert!(json.2.contains("info[counter-total]: 4 documents transformed (PLUGIN)"), "{}", json.2);
    let listing = std::fs::read_to_string(artifacts.join("counter.txt")).unwrap();
    assert_eq!(listing, "./a.md 1\n./b.md 2\n./c.md 3\n./d.md 4\n");
}

#[test]
fn options_are_passed_once_with_their_defaults_and_checked_by_the_host() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n")]);
    let out = run(dochost().arg("run").arg(session_plugin()).args(["--jobs", "1", "--check", "--set", "start=41"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines_with(&stderr(&out), "document 41 of this session").len(), 1, "{}", stderr(&out));
    assert_eq!(lines_with(&stderr(&out), "document 42 of this session").len(), 1, "{}", stderr(&out));
    for (set, message) in [
        ("start=ten", "error: option `start` of plugin p1-session is a whole number, not `ten`\n"),
        ("reject=maybe", "error: option `reject` of plugin p1-session is true or false, not `maybe`\n"),
        ("reject=yes", "error: plugin p1-session rejected its options: rejected on request\n"),
    ] {
        let out = run(dochost().arg("run").arg(session_plugin()).args(["--check", "--set", set]).arg(dir.path()));
        assert_eq!(out.status.code(), Some(2), "{set}");
        assert_eq!(stderr(&out), message, "{set}");
    }
}

#[test]
fn a_trap_fails_its_document_alone_and_the_next_gets_a_fresh_instance() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n"), ("c.md", b"TRAP\n"), ("d.md", b"d\n"), ("e.md", b"e\n")]);
    let args = ["--jobs", "1", "--check", "--set", "trap-on=TRAP", "--artifacts", "out", "a.md", "b.md", "c.md", "d.md", "e.md"];
    let (component, json) = both("counter", "counter", &args, dir.path());
    assert_eq!(json.0, Some(2), "{}", json.2);
    let seen = |err: &str, name: &str| {
        lines_with(err, &format!("{name}:1:1: info[counter]")).first().map(|l| l.split("]: ").nth(1).unwrap().to_string())
    };
    for name in ["a.md", "b.md", "d.md", "e.md"] {
        assert_eq!(seen(&json.2, name), seen(&component.2, name), "{name}: {}", json.2);
    }
    assert_eq!(seen(&json.2, "d.md").unwrap(), "document 1 of this session (PLUGIN)", "a fresh instance after the trap");
    assert!(json.2.contains("error: c.md: plugin PLUGIN crashed: "), "{}", json.2);
    assert!(json.2.contains("info[counter-total]: 4 documents transformed (PLUGIN)"), "{}", json.2);
    let listing = std::fs::read_to_string(dir.path().join("out").join("counter.txt")).unwrap();
    assert_eq!(listing, "a.md 1\nb.md 2\nd.md 1\ne.md 2\n");
}

/// Run p1-session in counter mode over a..e.md with `set`; the stderr.
fn misbehave(set: &str, files: &[(&str, &[u8])]) -> String {
    let dir = tree(files);
    let mut cmd = dochost();
    cmd.current_dir(dir.path()).arg("run").arg(session_plugin()).args(["--jobs", "1", "--check", "--set", set]);
    cmd.args(files.iter().map(|(name, _)| name));
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2), "{set}: {}", stderr(&out));
    stderr(&out)
}

const FIVE: &[(&str, &[u8])] = &[("a.md", b"a\n"), ("b.md", b"BAD\n"), ("c.md", b"c\n"), ("d.md", b"d\n"), ("e.md", b"e\n")];

#[test]
fn a_module_that_exits_fails_its_document_with_the_code_and_stderr() {
    let err = misbehave("exit-on=BAD", FIVE);
    assert_eq!(
        lines_with(&err, "error: "),
        ["error: b.md: plugin p1-session exited with code 3; its stderr: giving up on b.md"],
        "{err}"
    );
    assert!(err.contains("c.md:1:1: info[counter]: document 1 of this session (p1-session)"), "a fresh instance: {err}");

    let err = misbehave("quit-on=BAD", FIVE);
    assert_eq!(
        lines_with(&err, "error: "),
        ["error: b.md: plugin p1-session broke the JSON protocol: it exited (status 0) before answering `transform`; \
          a module of JSON protocol 0.2.0 answers every request and exits only when its stdin ends (see \
          docs/json-protocol.md)"],
        "{err}"
    );
    assert!(err.contains("c.md:1:1: info[counter]: document 1 of this session (p1-session)"), "{err}");
}

#[test]
fn an_answer_over_several_lines_is_a_protocol_error() {
    let err = misbehave("pretty-on=BAD", FIVE);
    let errors = lines_with(&err, "error: ");
    assert_eq!(
        errors,
        ["error: b.md: plugin p1-session broke the JSON protocol: the line it printed for `transform` is not JSON \
          (EOF while parsing an object at line 1 column 1); it printed: \"{\" (answers are one line of JSON each) \
          (see docs/json-protocol.md)"],
        "{err}"
    );
    assert!(err.contains("c.md:1:1: info[counter]: document 1 of this session (p1-session)"), "a fresh instance: {err}");
}

#[test]
fn a_session_that_loops_is_stopped_by_the_deadline_of_its_request() {
    let dir = tree(&[("a.md", b"a\n"), ("b.md", b"LOOP\n"), ("c.md", b"c\n")]);
    let out = run(dochost()
        .current_dir(dir.path())
        .arg("run")
        .arg(session_plugin())
        .args(["--jobs", "1", "--check", "--timeout", "0.5", "--set", "loop-on=LOOP", "a.md", "b.md", "c.md"]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(
        lines_with(&err, "error: "),
        ["error: b.md: plugin p1-session timed out after 500ms (raise the limit with --timeout)"],
        "{err}"
    );
    assert!(err.contains("c.md:1:1: info[counter]: document 1 of this session (p1-session)"), "{err}");
}

#[test]
fn a_tree_wide_module_scans_then_asks_the_index_in_band() {
    let dir = tree(&[
        ("docs/a.md", b"# Alpha\n\nSee [b](b.md) and [gone](gone.md).\n"),
        ("docs/b.md", b"# Beta\n\n## Two\n\nBack to [a](a.md), [logo](img/logo.png) and [x](img/x.png).\n"),
        ("docs/img/logo.png", b"png"),
    ]);
    let (component, json) = both("tree", "tree", &["--check", "docs"], dir.path());
    assert_eq!(json, component, "the JSON module reads the index as the component does");
    assert_eq!(json.0, Some(1), "{}", json.2);
    for line in [
        "docs/a.md:3:5: info[link-target]: b.md is titled `Beta` and has 2 headings (PLUGIN)",
        "docs/a.md:3:19: warning[link-target]: gone.md is not a document of this run (PLUGIN)",
        "docs/b.md:5:9: info[link-target]: a.md is titled `Alpha` and has 1 headings (PLUGIN)",
        "info[file-target]: img/logo.png in the tree under docs: true (PLUGIN)",
        "info[file-target]: img/x.png in the tree under docs: false (PLUGIN)",
    ] {
        assert!(json.2.contains(line), "{line}\n{}", json.2);
    }
}

#[test]
fn one_shot_and_session_modules_chain_with_components() {
    let dir = tree(&[("doc.md", b"# Hi\n\nsome text\n")]);
    let out = run(dochost()
        .arg("run")
        .arg(p1_plugin())
        .arg("--then")
        .arg(session_plugin())
        .arg("--then")
        .arg(plugin("scripted"))
        .args(["--set", "p1-json.edits=set-text,text,1,changed by p1", "--set", "scripted.edits=insert-after,text,1,!"])
        .arg(dir.path().join("doc.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "# Hi\n\nchanged by p1!\n");
    assert!(stderr(&out).contains("info[counter]: document 1 of this session (p1-session)"), "{}", stderr(&out));
}

/// `plugins/testing/c-session` or `zig-session` built with the example
/// helper of its language, if that toolchain is there (skipped with a notice
/// otherwise, except under CI); see plugins/examples/toolchains.sh.
fn helper_plugin(lang: &str) -> Option<PathBuf> {
    let root = repo_root();
    let examples = root.join("plugins").join("examples");
    let out_dir = root.join("target").join("test-plugins-p1");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join(format!("{lang}-session.wasm"));
    let source = root.join("plugins").join("testing").join(format!("{lang}-session"));
    let build = match lang {
        "c" => format!(
            "c_toolchain_works || exit 3; clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -I'{examples}/c' -o '{out}' \
             '{source}/session.c' '{examples}/c/dochost.c'",
            examples = examples.display(),
            out = out.display(),
            source = source.display()
        ),
        _ => format!(
            "zig=$(PYTHON=python3 zig_command) || exit 3; $zig build-exe -target wasm32-wasi -O ReleaseSmall -fstrip \
             --dep dochost -Mroot='{source}/session.zig' -Mdochost='{examples}/zig/dochost.zig' \
             --cache-dir '{cache}' -femit-bin='{out}'",
            examples = examples.display(),
            out = out.display(),
            source = source.display(),
            cache = root.join("target").join("zig-cache").display()
        ),
    };
    let venv = root.join("target").join("example-toolchain").join("venv").join("bin");
    let mut path = vec![venv];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let result = Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}' && {build}", examples.join("toolchains.sh").display()))
        .env("PATH", std::env::join_paths(path).unwrap())
        .output()
        .expect("cannot run bash");
    if result.status.code() == Some(3) {
        assert!(std::env::var_os("CI").is_none(), "under CI the {lang} toolchain must be there (plugins/examples/setup.sh)");
        eprintln!("notice: no {lang} toolchain (run plugins/examples/setup.sh); skipping the {lang} helper test");
        return None;
    }
    assert!(result.status.success(), "building {lang}-session failed:\n{}", String::from_utf8_lossy(&result.stderr));
    Some(out)
}

#[test]
fn the_c_and_zig_helpers_speak_sessions_facts_finish_and_the_index() {
    for lang in ["c", "zig"] {
        let Some(module) = helper_plugin(lang) else { continue };
        let name = format!("{lang}-session");
        let dir = tree(&[("a.md", b"a\n"), ("b.md", b"b\n"), ("c.md", b"c\n")]);
        let (component, json) =
            compare("counter", &module, &name, "counter", &["--jobs", "1", "--check", "--artifacts", "out", "."], dir.path());
        assert_eq!(json, component, "{lang}: counter");
        assert!(json.2.contains("c.md:1:1: info[counter]: document 3 of this session (PLUGIN)"), "{lang}: {}", json.2);
        let listing = std::fs::read_to_string(dir.path().join("out").join("counter.txt")).unwrap();
        assert_eq!(listing, "./a.md 1\n./b.md 2\n./c.md 3\n", "{lang}");

        let dir = tree(&[
            ("docs/a.md", b"# Alpha `one`\n\nSee [b](b.md) and [gone](gone.md).\n"),
            ("docs/b.md", b"# Beta\n\n## Two\n\nBack to [a](a.md), [logo](img/logo.png) and [x](img/x.png).\n"),
            ("docs/img/logo.png", b"png"),
        ]);
        let (component, json) = compare("tree", &module, &name, "tree", &["--check", "docs"], dir.path());
        assert_eq!(json, component, "{lang}: tree");
        assert!(json.2.contains("a.md is titled `Alpha one` and has 1 headings (PLUGIN)"), "{lang}: {}", json.2);
        assert!(json.2.contains("img/logo.png in the tree under docs: true (PLUGIN)"), "{lang}: {}", json.2);
    }
}

/// docs/json-protocol.md gives only recipes the tests run: every block
/// marked `<!-- sample: PATH -->` is in PATH, a file the tests build.
#[test]
fn the_protocol_docs_recipes_are_the_build_scripts() {
    let root = repo_root();
    let doc = std::fs::read_to_string(root.join("docs/json-protocol.md")).unwrap();
    let mut lines = doc.lines();
    let mut checked = Vec::new();
    while let Some(line) = lines.next() {
        let Some(path) = line.strip_prefix("<!-- sample: ").and_then(|l| l.strip_suffix(" -->")) else { continue };
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "a sample marker must sit right above a fenced block: {line}");
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let file = std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(file.contains(&(block.join("\n") + "\n")), "docs/json-protocol.md: the sample from {path} is not in it:\n{}", block.join("\n"));
        checked.push(path.to_string());
    }
    for needed in ["plugins/examples/c/smart-quotes/build.sh", "plugins/examples/zig/smart-quotes/build.sh", "host/templates/c/build.sh"] {
        assert!(checked.iter().any(|p| p == needed), "docs/json-protocol.md has no sample from {needed}: {checked:?}");
    }
    assert!(!doc.contains("GOOS=wasip1 GOARCH"), "no Go recipe: no test builds Go");
}
