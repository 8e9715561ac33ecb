//! `dochost new NAME --lang rust|python|js|c|zig --dir DIR`: each scaffolded
//! project builds with its one command and runs with `dochost run`.
//!
//! The Python and JavaScript projects build with the toolchains
//! `plugins/examples/setup.sh` installs (the tests fail, never skip, when it
//! cannot); the Rust project builds offline against the workspace's lock
//! file, in `target/scaffold` so its dependencies are compiled once. The C
//! and Zig projects build with the clang and Zig setup.sh installs where apt
//! and pip can; without them they are skipped with a notice, except under
//! CI (`CI` set), where that fails.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::*;

const EXAMPLE_IN: &str = "# Wait... what?\n\nIt's a plugin... and `code...` stays as it is.\n";
const EXAMPLE_OUT: &str = "# Wait… what?\n\nIt's a plugin… and `code...` stays as it is.\n";

/// The example toolchains: (componentize-py's directory, npm's .bin).
fn toolchains() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let examples = repo_root().join("plugins").join("examples");
        let out = Command::new("bash")
            .arg(examples.join("setup.sh"))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("cannot run bash plugins/examples/setup.sh");
        assert!(
            out.status.success(),
            "plugins/examples/setup.sh failed ({}): the Python (componentize-py) and npm (jco) \
             toolchains are required to build scaffolded plugins.\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        (
            repo_root().join("target").join("example-toolchain").join("venv").join("bin"),
            examples.join("js").join("node_modules").join(".bin"),
        )
    })
}

fn path_with(dirs: &[&Path]) -> std::ffi::OsString {
    let mut paths: Vec<PathBuf> = dirs.iter().map(|d| d.to_path_buf()).collect();
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap()
}

fn check(what: &str, cmd: &mut Command) {
    let out = cmd.stdin(std::process::Stdio::null()).output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dochost new NAME --lang LANG --dir DIR`; returns the project directory.
fn scaffold(dir: &Path, name: &str, lang: &str) -> PathBuf {
    let out = run(dochost().args(["new", name, "--lang", lang, "--dir"]).arg(dir));
    assert_eq!(out.status.code(), Some(0), "dochost new {name} --lang {lang}: {}", stderr(&out));
    let project = dir.join(name);
    let same = |file: &str, original: &str| {
        assert_eq!(
            std::fs::read_to_string(project.join(file)).unwrap_or_else(|e| panic!("{lang}: {file}: {e}")),
            std::fs::read_to_string(repo_root().join(original)).unwrap(),
            "{lang}: the project's {file} must be {original}"
        );
    };
    match lang {
        // WASI preview 1 commands: the JSON protocol helper, no WIT.
        "c" => {
            same("dochost.h", "plugins/examples/c/dochost.h");
            same("dochost.c", "plugins/examples/c/dochost.c");
        }
        "zig" => same("dochost.zig", "plugins/examples/zig/dochost.zig"),
        _ => same("wit/plugin.wit", "wit/plugin.wit"),
    }
    assert_eq!(std::fs::read_to_string(project.join("example.md")).unwrap(), EXAMPLE_IN);
    project
}

/// Run the built plugin on the project's example and check its edits,
/// options and errors.
fn assert_runs(lang: &str, name: &str, wasm: &Path, project: &Path) {
    assert!(wasm.is_file(), "{lang}: the build did not produce {}", wasm.display());
    let example = project.join("example.md");
    let out = run(dochost().arg("run").arg(wasm).arg(&example));
    assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
    assert_eq!(stdout(&out), EXAMPLE_OUT, "{lang}");

    let out = run(dochost().arg("run").arg(wasm).arg(&example).args(["--set", "ellipsis=(dots)"]));
    assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
    assert!(stdout(&out).starts_with("# Wait(dots) what?\n"), "{lang}: {}", stdout(&out));

    // The host checks option names against what `describe` declares.
    let out = run(dochost().arg("run").arg(wasm).arg(&example).args(["--set", "elipsis=x"]));
    assert_eq!(out.status.code(), Some(2), "{lang}");
    assert!(
        stderr(&out).contains(&format!(
            "--set elipsis=x: no plugin of this run has an option `elipsis`; {name} takes ellipsis"
        )),
        "{lang}: {}",
        stderr(&out)
    );

    let out = run(dochost().arg("inspect").arg(wasm));
    assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
    assert!(stdout(&out).contains(name), "{lang}: {}", stdout(&out));
}

#[test]
fn rust_scaffold_builds_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let name = "scaffolded-rust";
    let project = scaffold(dir.path(), name, "rust");
    // Offline, with the workspace's lock file: nothing is downloaded at
    // test time (CI fetched every crate of the lock file).
    std::fs::copy(repo_root().join("Cargo.lock"), project.join("Cargo.lock")).unwrap();
    let target = repo_root().join("target").join("scaffold");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&project)
        .args(["build", "--target", "wasm32-wasip2", "--release", "--offline"])
        .env("CARGO_TARGET_DIR", &target);
    for var in ["CARGO_BUILD_TARGET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        cmd.env_remove(var);
    }
    check("cargo build --target wasm32-wasip2 --release (the scaffolded Rust plugin)", &mut cmd);
    let wasm = target.join("wasm32-wasip2").join("release").join("scaffolded_rust.wasm");
    assert_runs("rust", name, &wasm, &project);
}

#[test]
fn python_scaffold_builds_and_runs() {
    let (venv_bin, _) = toolchains();
    let dir = tempfile::tempdir().unwrap();
    let name = "scaffolded-python";
    let project = scaffold(dir.path(), name, "python");
    check(
        "./build.sh (the scaffolded Python plugin)",
        Command::new("bash").arg("build.sh").current_dir(&project).env("PATH", path_with(&[venv_bin])),
    );
    assert_runs("python", name, &project.join(format!("{name}.wasm")), &project);
}

#[test]
fn js_scaffold_builds_and_runs() {
    let (_, npm_bin) = toolchains();
    let dir = tempfile::tempdir().unwrap();
    let name = "scaffolded-js";
    let project = scaffold(dir.path(), name, "js");
    // The project pins the same npm packages as plugins/examples/js (its
    // package-lock.json is that one, renamed); use those instead of
    // installing them again.
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("package-lock.json")).unwrap()).unwrap();
    assert_eq!(lock["name"], name);
    check(
        "./build.sh (the scaffolded JavaScript plugin)",
        Command::new("bash").arg("build.sh").current_dir(&project).env("PATH", path_with(&[npm_bin])),
    );
    assert_runs("js", name, &project.join(format!("{name}.wasm")), &project);
}

/// A Python or JavaScript project built with `WORLD=plugin-with-http` makes
/// HTTP requests: the example `fetch` plugin's code, put in a scaffolded
/// project, reaches a granted local server.
fn assert_http_world_works(lang: &str, source: &str, code: String, tool_bin: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("scaffolded-fetch-{lang}");
    let project = scaffold(dir.path(), &name, lang);
    std::fs::write(project.join(source), code).unwrap();
    check(
        &format!("WORLD=plugin-with-http ./build.sh (a scaffolded {lang} plugin making HTTP requests)"),
        Command::new("bash")
            .arg("build.sh")
            .current_dir(&project)
            .env("PATH", path_with(&[tool_bin]))
            .env("WORLD", "plugin-with-http"),
    );
    let address = support::http::serve(|_| support::http::Response::new("200 OK", "hello from the test server"));
    let out = run(dochost()
        .arg("run")
        .arg(project.join(format!("{name}.wasm")))
        .args(["--check", "--set", &format!("url=http://{address}/ok"), "--allow-net", &address])
        .arg(project.join("example.md")));
    assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
    assert!(stderr(&out).contains("info[fetched]: status 200, 26 bytes: hello from the test server"), "{lang}: {}", stderr(&out));
}

#[test]
fn python_scaffold_makes_http_requests_with_the_http_world() {
    let (venv_bin, _) = toolchains();
    let code = std::fs::read_to_string(repo_root().join("plugins/examples/python/fetch/app.py")).unwrap();
    assert_http_world_works("python", "app.py", code, venv_bin);
}

#[test]
fn js_scaffold_makes_http_requests_with_the_http_world() {
    let (_, npm_bin) = toolchains();
    let code = std::fs::read_to_string(repo_root().join("plugins/examples/js/fetch/plugin.js"))
        .unwrap()
        .replace("\"../dochost-", "\"./dochost-");
    assert_http_world_works("js", "plugin.js", code, npm_bin);
}

/// Whether the C or Zig toolchain is there (the probes of
/// plugins/examples/toolchains.sh, after setup.sh tried to install it).
fn has_toolchain(lang: &str) -> bool {
    let (venv_bin, _) = toolchains();
    let probe = match lang {
        "c" => "c_toolchain_works",
        _ => "PYTHON=python3 zig_command",
    };
    let script = repo_root().join("plugins").join("examples").join("toolchains.sh");
    let ok = Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}' && {probe} >/dev/null", script.display()))
        .env("PATH", path_with(&[venv_bin]))
        .status()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"))
        .success();
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "under CI the {lang} toolchain must be there (plugins/examples/setup.sh installs it)");
        eprintln!("notice: no {lang} toolchain (plugins/examples/setup.sh could not install it); skipping the {lang} scaffold");
    }
    ok
}

#[test]
fn c_scaffold_builds_and_runs() {
    if !has_toolchain("c") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let name = "scaffolded-c";
    let project = scaffold(dir.path(), name, "c");
    check("./build.sh (the scaffolded C plugin)", Command::new("bash").arg("build.sh").current_dir(&project));
    assert_runs("c", name, &project.join(format!("{name}.wasm")), &project);
}

#[test]
fn zig_scaffold_builds_and_runs() {
    if !has_toolchain("zig") {
        return;
    }
    let (venv_bin, _) = toolchains();
    let dir = tempfile::tempdir().unwrap();
    let name = "scaffolded-zig";
    let project = scaffold(dir.path(), name, "zig");
    check(
        "./build.sh (the scaffolded Zig plugin)",
        Command::new("bash").arg("build.sh").current_dir(&project).env("PATH", path_with(&[venv_bin])),
    );
    assert_runs("zig", name, &project.join(format!("{name}.wasm")), &project);
    let out = run(dochost().arg("inspect").arg(project.join(format!("{name}.wasm"))));
    assert!(stdout(&out).contains("contract: json 0.2.0"), "{}", stdout(&out));
}

#[test]
fn new_refuses_an_existing_directory_and_unknown_languages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    let out = run(dochost().args(["new", "taken", "--lang", "rust", "--dir"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    let out = run(dochost().args(["new", "fresh", "--lang", "cobol", "--dir"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cobol"), "{}", stderr(&out));
    assert!(!dir.path().join("fresh").exists());
}
