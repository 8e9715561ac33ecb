//! Shared setup for the end-to-end tests: the `dochost` binary, the test
//! plugins (built from `plugins/testing/` once per test process) and the
//! optional corpus.

#![allow(dead_code)] // each test binary uses a different part

pub mod http;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// The `dochost` binary, sharing one compiled-plugin cache across tests.
pub fn dochost() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dochost"));
    cmd.env("DOCHOST_CACHE_DIR", repo_root().join("target").join("test-plugin-cache"));
    cmd
}

/// Run and capture; stdin is empty unless given.
pub fn run(cmd: &mut Command) -> Output {
    cmd.stdin(std::process::Stdio::null()).output().expect("cannot run dochost")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const TEST_PLUGINS: &[&str] = &[
    "test-plugin-noop",
    "test-plugin-identity",
    "test-plugin-one-word",
    "test-plugin-misbehave",
    "test-plugin-scripted",
    "test-plugin-counter",
    "test-plugin-tree",
    "test-plugin-fetch",
    "test-plugin-legacy-v0-1",
    "test-plugin-legacy-v0-2",
    "test-plugin-fields",
    "test-not-a-plugin",
];

/// Path of a test plugin's component, e.g. `plugin("noop")`.
pub fn plugin(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(build_test_plugins);
    // Libraries are named with underscores, binaries keep their hyphens.
    let file = if name == "not-a-plugin" {
        "test-not-a-plugin".to_string()
    } else {
        format!("test_plugin_{}", name.replace('-', "_"))
    };
    let path = dir.join(format!("{file}.wasm"));
    assert!(path.exists(), "{} was not built", path.display());
    path
}

fn build_test_plugins() -> PathBuf {
    let target = repo_root().join("target").join("test-plugins");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(repo_root())
        .args(["build", "--release", "--target", "wasm32-wasip2", "--target-dir"])
        .arg(&target);
    for package in TEST_PLUGINS {
        cmd.args(["-p", package]);
    }
    for var in ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        cmd.env_remove(var);
    }
    let out = cmd.output().expect("cannot run cargo to build the test plugins");
    assert!(
        out.status.success(),
        "building the test plugins failed (is the wasm32-wasip2 target installed? run scripts/setup.sh):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("wasm32-wasip2").join("release")
}

/// Build the example plugins `examples` (`smart-quotes`, `fetch`) from source
/// with `plugins/examples/setup.sh` and `build.sh` into
/// `target/example-plugins`, check that each `NAME_py.wasm` and
/// `NAME_js.wasm` (and the C and Zig ports that were built) loads, and
/// return the directory. The Python and npm toolchains are required: if
/// setup.sh cannot install them the test fails with its message (it never
/// skips); the C and Zig ones are built where setup.sh could install them.
pub fn build_example_plugins(examples: &[&str]) -> PathBuf {
    let scripts = repo_root().join("plugins").join("examples");
    let out_dir = repo_root().join("target").join("example-plugins");
    let step = |script: &str, args: &[&std::ffi::OsStr]| {
        let out = Command::new("bash")
            .arg(scripts.join(script))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash plugins/examples/{script}: {e}"));
        assert!(
            out.status.success(),
            "plugins/examples/{script} failed ({}): the Python (componentize-py from PyPI) and npm \
             (jco, componentize-js) toolchains are required for these tests and are installed by \
             plugins/examples/setup.sh; see its message below.\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
    };
    step("setup.sh", &[]);
    let mut args = vec![out_dir.as_os_str()];
    args.extend(examples.iter().map(std::ffi::OsStr::new));
    step("build.sh", &args);
    for example in examples {
        for lang in ["py", "js", "c", "zig"] {
            let path = out_dir.join(format!("{}_{lang}.wasm", example.replace('-', "_")));
            if matches!(lang, "c" | "zig") && !path.is_file() {
                continue; // its toolchain is missing: build.sh said so
            }
            assert!(path.is_file(), "build.sh did not produce {}", path.display());
            // Compile it once into the shared cache now, rather than in
            // several tests at the same time.
            let out = run(dochost().arg("inspect").arg(&path));
            assert_eq!(out.status.code(), Some(0), "dochost inspect {}: {}", path.display(), stderr(&out));
        }
    }
    out_dir
}

/// The shared Markdown corpus, from `DOCHOST_CORPUS`. Unset: `None` and a
/// notice (a fresh clone has no corpus). Set but missing: a failure.
pub fn corpus() -> Option<PathBuf> {
    match std::env::var_os("DOCHOST_CORPUS") {
        None => {
            eprintln!("notice: DOCHOST_CORPUS is not set; skipping the corpus test");
            None
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(dir.is_dir(), "DOCHOST_CORPUS={} is not a directory", dir.display());
            Some(dir)
        }
    }
}

/// A temporary directory holding `files` (relative path, content).
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}
