//! The same plugin in five languages: the Rust built-in `smart-quotes`, its
//! Python port (componentize-py) and its JavaScript port (jco componentize),
//! both components, and its C (clang, wasi-libc) and Zig ports, WASI
//! preview 1 commands speaking JSON protocol 0.2.0; all built from source by
//! `plugins/examples/setup.sh` + `build.sh`, they must make byte-identical
//! changes and identical change reports.
//!
//! The Python and npm toolchains are installed by setup.sh; if that fails the
//! tests fail (they never skip). The C and Zig toolchains come from apt and
//! pip where those can install them: without them the C and Zig ports are
//! skipped with a notice, except under CI (`CI` set), where that fails.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use support::*;

/// The implementations, as `dochost run` takes them: Rust first, then
/// every port that was built.
fn implementations() -> Vec<(&'static str, String)> {
    let dir = example_plugins();
    let mut all = vec![
        ("rust", "smart-quotes".to_string()),
        ("python", dir.join("smart_quotes_py.wasm").display().to_string()),
        ("js", dir.join("smart_quotes_js.wasm").display().to_string()),
    ];
    for (lang, file) in [("c", "smart_quotes_c.wasm"), ("zig", "smart_quotes_zig.wasm")] {
        if let Some(path) = json_protocol_port(dir, lang, file) {
            all.push((lang, path.display().to_string()));
        }
    }
    all
}

/// A C or Zig port, if its toolchain was there to build it (see the module
/// comment).
fn json_protocol_port(dir: &Path, lang: &str, file: &str) -> Option<PathBuf> {
    let path = dir.join(file);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} was not built: under CI the {lang} toolchain must be there (plugins/examples/setup.sh installs it)",
        path.display()
    );
    eprintln!("notice: no {lang} toolchain (plugins/examples/setup.sh could not install it); skipping the {lang} port");
    None
}

#[test]
fn all_five_languages_are_built_where_their_toolchains_are() {
    let langs: Vec<&str> = implementations().iter().map(|(lang, _)| *lang).collect();
    assert!(langs.starts_with(&["rust", "python", "js"]), "{langs:?}");
    if std::env::var_os("CI").is_some() {
        assert_eq!(langs, ["rust", "python", "js", "c", "zig"]);
    }
}

/// `target/example-plugins`, holding the Python and JS components, built
/// once per test process by `plugins/examples/setup.sh` + `build.sh`.
fn example_plugins() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| build_example_plugins(&["smart-quotes"]))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = fixture("languages");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "expected the language fixtures in {}", dir.display());
    files
}

/// Run one implementation; returns (exit code, stdout bytes, stderr, report).
fn run_with(plugin: &str, args: &[&str], input: &Path, report: Option<&Path>) -> (Option<i32>, Vec<u8>, String, Option<String>) {
    let mut cmd = dochost();
    cmd.arg("run").arg(plugin).args(args).arg(input);
    if let Some(report) = report {
        cmd.arg("--report").arg(report);
    }
    let out = run(&mut cmd);
    let report = report.map(|r| std::fs::read_to_string(r).unwrap_or_else(|e| panic!("{}: {e}", r.display())));
    (out.status.code(), out.stdout.clone(), stderr(&out), report)
}

/// Every fixture, each implementation, the same bytes out and the same
/// report of changes.
fn assert_same_on_fixtures(args: &[&str]) {
    let scratch = tempfile::tempdir().unwrap();
    for file in fixtures() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let mut results = Vec::new();
        for (lang, plugin) in implementations() {
            let report = scratch.path().join(format!("{name}.{lang}.json"));
            let (code, out, err, report) = run_with(&plugin, args, &file, Some(&report));
            assert_eq!(code, Some(0), "{lang} on {name} {args:?}: {err}");
            results.push((lang, out, report.unwrap()));
        }
        let (_, rust_out, rust_report) = &results[0];
        assert_ne!(rust_out, &std::fs::read(&file).unwrap(), "{name}: the fixture should have quotes to curl");
        assert!(rust_report.contains("straight quotes curled"), "{name}: {rust_report}");
        for (lang, out, report) in &results[1..] {
            if out != rust_out {
                panic!(
                    "{lang} output differs from rust on {name} {args:?}\n--- rust\n{}\n--- {lang}\n{}",
                    String::from_utf8_lossy(rust_out),
                    String::from_utf8_lossy(out)
                );
            }
            assert_eq!(report, rust_report, "{lang} change report differs from rust on {name} {args:?}");
        }
    }
}

#[test]
fn every_port_matches_rust_byte_for_byte() {
    assert_same_on_fixtures(&[]);
}

#[test]
fn every_port_matches_rust_with_options() {
    assert_same_on_fixtures(&["--set", "double=«»", "--set", "single=‹›"]);
}

#[test]
fn every_port_matches_rust_on_a_whole_tree() {
    // One process, many documents in parallel: no state may leak between
    // documents in the Python or JS runtime, or in a C or Zig session.
    let scratch = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (lang, plugin) in implementations() {
        let out_dir = scratch.path().join(lang);
        let report = scratch.path().join(format!("{lang}.json"));
        let mut cmd = dochost();
        cmd.arg("run").arg(&plugin).arg(fixture("languages")).arg("--out-dir").arg(&out_dir);
        cmd.arg("--report").arg(&report).args(["--jobs", "2"]);
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
        let mut files = Vec::new();
        for file in fixtures() {
            let name = file.file_name().unwrap().to_owned();
            let written = out_dir.join(&name);
            let bytes = std::fs::read(&written).unwrap_or_else(|e| panic!("{lang}: {}: {e}", written.display()));
            files.push((name, bytes));
        }
        outputs.push((lang, files, std::fs::read_to_string(&report).unwrap()));
    }
    let (_, rust_files, rust_report) = &outputs[0];
    for (lang, files, report) in &outputs[1..] {
        for ((name, rust), (_, other)) in rust_files.iter().zip(files) {
            assert!(rust == other, "{lang} differs from rust on {}", name.to_string_lossy());
        }
        assert_eq!(report, rust_report, "{lang} change report differs from rust");
    }
}

#[test]
fn every_port_fails_like_rust_on_bad_options() {
    let file = fixture("languages").join("prose.md");
    for (args, message) in [
        // The host checks option names against what `describe` declares.
        (
            &["--set", "dobule=«»"][..],
            "no plugin of this run has an option `dobule`; smart-quotes takes double, single",
        ),
        (&["--set", "double=«»»"][..], "option `double` needs exactly two characters, got `«»»`"),
        (&["--set", "single=x"][..], "option `single` needs exactly two characters, got `x`"),
    ] {
        let mut errors = Vec::new();
        for (lang, plugin) in implementations() {
            let (code, out, err, _) = run_with(&plugin, args, &file, None);
            assert_eq!(code, Some(2), "{lang} {args:?}: {err}");
            assert!(out.is_empty(), "{lang} {args:?}: nothing is printed for a failed file");
            assert!(err.contains(message), "{lang} {args:?}: {err}");
            errors.push((lang, err));
        }
        for (lang, err) in &errors[1..] {
            assert_eq!(err, &errors[0].1, "{lang} {args:?}: stderr differs from rust");
        }
    }
}

#[test]
fn every_port_describes_itself_like_rust() {
    let mut described = Vec::new();
    for (lang, plugin) in implementations() {
        let out = run(dochost().args(["inspect", "--json", &plugin]));
        assert_eq!(out.status.code(), Some(0), "{lang}: {}", stderr(&out));
        let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // Where the plugin came from differs by construction, and so does
        // the contract: components are built against the WIT, the C and Zig
        // ports speak the same contract over JSON.
        let contract = if matches!(lang, "c" | "zig") { "json 0.2.0" } else { "0.3.0" };
        assert_eq!(json["contract"], contract, "{lang}");
        if let Some(object) = json.as_object_mut() {
            object.remove("from");
            object.remove("path");
            object.remove("contract");
        }
        described.push((lang, json));
    }
    for (lang, json) in &described[1..] {
        assert_eq!(json, &described[0].1, "{lang}: describe differs from rust");
    }
}

/// The enums `plugins/examples/js/dochost-pdk.js` spells out (jco passes WIT
/// enums as their kebab-case names) must list the cases of the WIT enums,
/// in order. (The Python kit uses the enums componentize-py generates.)
#[test]
fn js_kit_enums_match_the_wit() {
    let wit = std::fs::read_to_string(repo_root().join("wit").join("plugin.wit")).unwrap();
    let js = std::fs::read_to_string(repo_root().join("plugins/examples/js/dochost-pdk.js")).unwrap();
    for (wit_name, js_name) in [
        ("node-kind", "NodeKind"),
        ("link-kind", "LinkKind"),
        ("severity", "Severity"),
        ("option-kind", "OptionKind"),
        ("target-kind", "TargetKind"),
    ] {
        let cases = wit_enum(&wit, wit_name);
        assert!(cases.len() >= 3, "enum {wit_name}: {cases:?}");
        assert_eq!(js_enum(&js, js_name), cases, "{js_name} in dochost-pdk.js against enum {wit_name} in wit/plugin.wit");
    }
}

/// The enums `plugins/examples/zig/dochost.zig` spells out must list the
/// cases of the WIT enums, in order (std.json reads them by name).
#[test]
fn zig_kit_enums_match_the_wit() {
    let wit = std::fs::read_to_string(repo_root().join("wit").join("plugin.wit")).unwrap();
    let zig = std::fs::read_to_string(repo_root().join("plugins/examples/zig/dochost.zig")).unwrap();
    for (wit_name, zig_name) in
        [("node-kind", "NodeKind"), ("link-kind", "LinkKind"), ("severity", "Severity"), ("option-kind", "OptionKind")]
    {
        let cases = wit_enum(&wit, wit_name);
        let start = zig
            .find(&format!("pub const {zig_name} = enum {{"))
            .unwrap_or_else(|| panic!("no `pub const {zig_name} = enum {{` in dochost.zig"));
        let body = &zig[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
        let zig_cases: Vec<String> = body
            .split(',')
            .map(|case| case.trim().trim_start_matches("@\"").trim_end_matches('"').to_string())
            .filter(|case| !case.is_empty())
            .collect();
        assert_eq!(zig_cases, cases, "{zig_name} in dochost.zig against enum {wit_name} in wit/plugin.wit");
    }
}

/// The cases of `enum NAME { ... }` in WIT source, `%` escapes removed.
fn wit_enum(wit: &str, name: &str) -> Vec<String> {
    // Without comments: doc comments hold commas and braces.
    let wit: String = wit.lines().map(|line| line.split("//").next().unwrap()).collect::<Vec<_>>().join("\n");
    let start = wit.find(&format!("enum {name} {{")).unwrap_or_else(|| panic!("no enum {name} in wit/plugin.wit"));
    let body = &wit[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.split(',')
        .map(|case| case.trim().trim_start_matches('%'))
        .filter(|case| !case.is_empty())
        .map(str::to_string)
        .collect()
}

/// The string values of `export const NAME = Object.freeze({ Key: "value", ... })`.
fn js_enum(js: &str, name: &str) -> Vec<String> {
    let start = js
        .find(&format!("export const {name} = Object.freeze({{"))
        .unwrap_or_else(|| panic!("no `export const {name} = Object.freeze({{` in dochost-pdk.js"));
    let body = &js[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.split(',')
        .filter_map(|entry| entry.split_once(':'))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .collect()
}
