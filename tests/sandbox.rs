//! Hostile plugins: one test per way a plugin can misbehave. Each asserts
//! the exact error a user sees, and that other documents go on.

mod support;

use support::{dochost, plugin, run, stderr, stdout, tree};

fn misbehave(mode: &str) -> std::process::Command {
    let mut cmd = dochost();
    cmd.arg("run").arg(plugin("misbehave")).args(["--set", &format!("mode={mode}")]);
    cmd
}

#[test]
fn infinite_loop_is_stopped_by_the_deadline() {
    let dir = tree(&[("doc.md", b"# Hi\n")]);
    let out = run(misbehave("loop").args(["--timeout", "0.5"]).arg(dir.path().join("doc.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: plugin misbehave timed out after 500ms (raise the limit with --timeout)\n",
            dir.path().join("doc.md").display()
        )
    );
    assert_eq!(stdout(&out), "", "nothing is printed for a failed document");
}

#[test]
fn memory_bomb_is_stopped_by_the_cap() {
    let dir = tree(&[("doc.md", b"# Hi\n")]);
    let out = run(misbehave("alloc").args(["--max-memory", "64"]).arg(dir.path().join("doc.md")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: plugin misbehave exceeded the memory cap of 64 MiB (raise it with --max-memory)\n",
            dir.path().join("doc.md").display()
        )
    );
}

#[test]
fn a_trap_fails_one_file_and_the_others_are_written() {
    let dir = tree(&[("a.md", b"BOOM\n"), ("b.md", b"fine\n")]);
    let out_dir = dir.path().join("out");
    let out = run(misbehave("trap")
        .args(["--set", "when=BOOM", "--out-dir"])
        .arg(&out_dir)
        .arg(dir.path().join("a.md"))
        .arg(dir.path().join("b.md")));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let error = err.lines().find(|l| l.starts_with("error: ")).unwrap();
    assert_eq!(
        error,
        format!("error: {}: plugin misbehave crashed: wasm trap: wasm `unreachable` instruction executed", dir.path().join("a.md").display())
    );
    assert!(err.contains("test_plugin_misbehave.wasm!<test_plugin_misbehave::Misbehave as dochost_pdk::Plugin>::transform"), "a wasm backtrace points at the plugin's code: {err}");
    assert!(err.contains("misbehave: ") && err.contains("deliberate trap"), "the plugin's panic message is forwarded: {err}");
    assert!(err.ends_with("2 documents, 0 changed, 1 failed\n"), "{err}");
    assert_eq!(std::fs::read_to_string(out_dir.join("b.md")).unwrap(), "fine\n");
    assert!(!out_dir.join("a.md").exists());
}

#[test]
fn reading_a_file_outside_the_grants_fails() {
    let dir = tree(&[("doc.md", b"x\n"), ("secret.txt", b"s")]);
    for target in ["/etc/passwd".to_string(), dir.path().join("secret.txt").display().to_string()] {
        let out = run(misbehave("read").args(["--set", &format!("path={target}")]).arg(dir.path().join("doc.md")));
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!(
                "error: {}: plugin misbehave returned an error: cannot read {target}: ",
                dir.path().join("doc.md").display()
            )),
            "{err}"
        );
    }
}

#[test]
fn granted_files_are_readable_at_the_path_as_typed_and_nothing_beside_them() {
    let dir = tree(&[("doc.md", b"x\n"), ("conf/versions.toml", b"k = 1\n"), ("conf/other.txt", b"no")]);
    let read = |path: &str| {
        run(misbehave("read")
            .current_dir(dir.path())
            .args(["--allow-read", "conf/versions.toml", "--set", &format!("path={path}"), "doc.md"]))
    };
    let out = read("conf/versions.toml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "doc.md:1:1: info[observed]: read 6 bytes (misbehave)\n");
    let out = read("conf/other.txt");
    assert_eq!(out.status.code(), Some(2), "a sibling of a granted file stays hidden");
}

#[test]
fn granted_directories_are_read_only_views() {
    let dir = tree(&[("doc.md", b"x\n"), ("data/a.txt", b"abc")]);
    let out = run(misbehave("read")
        .current_dir(dir.path())
        .args(["--allow-read", "data", "--set", "path=data/a.txt", "doc.md"]));
    assert_eq!(stderr(&out), "doc.md:1:1: info[observed]: read 3 bytes (misbehave)\n");
}

#[test]
fn environment_variables_are_not_visible() {
    let dir = tree(&[("doc.md", b"x\n")]);
    let out = run(misbehave("env").env("HOME", "/root").env("SECRET_TOKEN", "x").arg(dir.path().join("doc.md")));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        format!("{}:1:1: info[observed]: vars=[] home=None (misbehave)\n", dir.path().join("doc.md").display())
    );
}

#[test]
fn plugin_stderr_and_log_go_to_our_stderr_with_the_plugin_name() {
    let dir = tree(&[("doc.md", b"x\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(misbehave("stderr").arg(&doc));
    assert_eq!(stderr(&out), format!("misbehave: {}: a line on stderr\n", doc.display()));
    let out = run(misbehave("log").arg(&doc));
    assert_eq!(stderr(&out), format!("misbehave: {}: warning: a logged warning\n", doc.display()));
}

#[test]
fn an_error_result_fails_the_file_with_the_plugins_message() {
    let dir = tree(&[("doc.md", b"x\n")]);
    let doc = dir.path().join("doc.md");
    let out = run(misbehave("error").arg(&doc));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), format!("error: {}: plugin misbehave returned an error: deliberate error\n", doc.display()));
}
