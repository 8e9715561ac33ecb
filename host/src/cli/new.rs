//! `dochost new NAME --lang rust|python|js|c|zig [--dir DIR]`: create a
//! plugin project that builds with one command and runs with `dochost run`.
//!
//! The templates live in `host/templates/`; the WIT contract, the helper
//! modules of every language and the npm lock file are embedded from where
//! the rest of the project keeps them, so a new project never carries a
//! stale copy. Rust, Python and JavaScript projects build components; C and
//! Zig projects build WASI preview 1 commands speaking the JSON protocol.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The contract every template builds against.
const WIT: &str = include_str!("../../../wit/plugin.wit");
/// The helper modules of the example plugins.
const PYTHON_PDK: &str = include_str!("../../../plugins/examples/python/dochost_pdk.py");
const JS_PDK: &str = include_str!("../../../plugins/examples/js/dochost-pdk.js");
const JS_HTTP: &str = include_str!("../../../plugins/examples/js/dochost-http.js");
const C_HEADER: &str = include_str!("../../../plugins/examples/c/dochost.h");
const C_HELPER: &str = include_str!("../../../plugins/examples/c/dochost.c");
const ZIG_HELPER: &str = include_str!("../../../plugins/examples/zig/dochost.zig");
/// The world `plugin-with-http` and the WASI packages it needs, copied into
/// Python and JavaScript projects so that `WORLD=plugin-with-http ./build.sh`
/// builds a plugin that makes HTTP requests.
const HTTP_WORLD: &[(&str, &str)] = &[
    ("wit/plugin-with-http.wit", include_str!("../../../wit/plugin-with-http.wit")),
    ("wit/deps/README.md", include_str!("../../../wit/deps/README.md")),
    ("wit/deps/cli.wit", include_str!("../../../wit/deps/cli.wit")),
    ("wit/deps/clocks.wit", include_str!("../../../wit/deps/clocks.wit")),
    ("wit/deps/filesystem.wit", include_str!("../../../wit/deps/filesystem.wit")),
    ("wit/deps/http.wit", include_str!("../../../wit/deps/http.wit")),
    ("wit/deps/io.wit", include_str!("../../../wit/deps/io.wit")),
    ("wit/deps/random.wit", include_str!("../../../wit/deps/random.wit")),
    ("wit/deps/sockets.wit", include_str!("../../../wit/deps/sockets.wit")),
];
/// The npm toolchain of the example plugins (jco, componentize-js, rolldown,
/// the preview2-shim pin), reused so `npm ci` installs the same versions.
const JS_PACKAGE: &str = include_str!("../../../plugins/examples/js/package.json");
const JS_LOCK: &str = include_str!("../../../plugins/examples/js/package-lock.json");
const JS_PACKAGE_NAME: &str = "\"name\": \"dochost-example-plugins-js\"";

/// How each language builds and where its component lands.
pub struct Lang {
    pub name: &'static str,
    /// The one command that builds the project, run in its directory.
    pub build: &'static str,
    /// The component it produces, relative to the project (`{{crate_name}}`
    /// and `{{name}}` replaced).
    pub output: &'static str,
    files: &'static [(&'static str, &'static str)],
}

pub const LANGS: &[Lang] = &[
    Lang {
        name: "rust",
        build: "cargo build --target wasm32-wasip2 --release",
        output: "target/wasm32-wasip2/release/{{crate_name}}.wasm",
        files: &[
            ("Cargo.toml", include_str!("../../templates/rust/Cargo.toml")),
            ("src/lib.rs", include_str!("../../templates/rust/src/lib.rs")),
            ("README.md", include_str!("../../templates/rust/README.md")),
            ("example.md", include_str!("../../templates/rust/example.md")),
            (".gitignore", include_str!("../../templates/rust/gitignore")),
            ("wit/plugin.wit", WIT),
        ],
    },
    Lang {
        name: "python",
        build: "./build.sh",
        output: "{{name}}.wasm",
        files: &[
            ("app.py", include_str!("../../templates/python/app.py")),
            ("dochost_pdk.py", PYTHON_PDK),
            ("build.sh", include_str!("../../templates/python/build.sh")),
            ("README.md", include_str!("../../templates/python/README.md")),
            ("example.md", include_str!("../../templates/python/example.md")),
            (".gitignore", include_str!("../../templates/python/gitignore")),
            ("wit/plugin.wit", WIT),
        ],
    },
    Lang {
        name: "js",
        build: "./build.sh",
        output: "{{name}}.wasm",
        files: &[
            ("plugin.js", include_str!("../../templates/js/plugin.js")),
            ("dochost-pdk.js", JS_PDK),
            ("dochost-http.js", JS_HTTP),
            ("build.sh", include_str!("../../templates/js/build.sh")),
            ("README.md", include_str!("../../templates/js/README.md")),
            ("example.md", include_str!("../../templates/js/example.md")),
            (".gitignore", include_str!("../../templates/js/gitignore")),
            ("wit/plugin.wit", WIT),
            // package.json and package-lock.json are derived from the
            // example plugins' in `files_for`.
        ],
    },
    Lang {
        name: "c",
        build: "./build.sh",
        output: "{{name}}.wasm",
        files: &[
            ("plugin.c", include_str!("../../templates/c/plugin.c")),
            ("dochost.h", C_HEADER),
            ("dochost.c", C_HELPER),
            ("build.sh", include_str!("../../templates/c/build.sh")),
            ("README.md", include_str!("../../templates/c/README.md")),
            ("example.md", include_str!("../../templates/c/example.md")),
            (".gitignore", include_str!("../../templates/c/gitignore")),
        ],
    },
    Lang {
        name: "zig",
        build: "./build.sh",
        output: "{{name}}.wasm",
        files: &[
            ("plugin.zig", include_str!("../../templates/zig/plugin.zig")),
            ("dochost.zig", ZIG_HELPER),
            ("build.sh", include_str!("../../templates/zig/build.sh")),
            ("README.md", include_str!("../../templates/zig/README.md")),
            ("example.md", include_str!("../../templates/zig/example.md")),
            (".gitignore", include_str!("../../templates/zig/gitignore")),
        ],
    },
];

/// The language called `lang` (`rust`, `python`, `js`, `c` or `zig`;
/// `javascript` and `py` are accepted too).
pub fn lang(lang: &str) -> Result<&'static Lang> {
    let wanted = match lang.to_ascii_lowercase().as_str() {
        "rs" | "rust" => "rust",
        "py" | "python" => "python",
        "js" | "javascript" | "node" => "js",
        "c" => "c",
        "zig" => "zig",
        other => bail!("unknown language `{other}`: use rust, python, js, c or zig"),
    };
    Ok(LANGS.iter().find(|l| l.name == wanted).expect("every language has a template"))
}

/// Create the project `dir/name/` for `lang` and print how to build and run
/// it.
pub fn new_plugin(name: &str, lang: &str, dir: &Path) -> Result<()> {
    let project = create(name, lang, dir)?;
    let lang = self::lang(lang)?;
    let shown = project.display();
    println!("created {shown} ({} plugin `{name}`)", lang.name);
    println!();
    println!("  cd {shown}");
    match lang.name {
        "python" => println!("  pip install componentize-py==0.25.1   # once"),
        "js" => println!("  npm ci                                 # once"),
        "c" => println!("  apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32   # once (Debian 12)"),
        "zig" => println!("  pip install ziglang==0.14.1            # once, unless zig 0.14.1 is on PATH"),
        _ => println!("  rustup target add wasm32-wasip2        # once"),
    }
    println!("  {}", lang.build);
    println!("  dochost run {} example.md --diff", fill(lang.output, name));
    Ok(())
}

/// Write the project; returns its directory. Refuses to touch an existing
/// directory.
pub fn create(name: &str, lang: &str, dir: &Path) -> Result<PathBuf> {
    check_name(name)?;
    let lang = self::lang(lang)?;
    let project = dir.join(name);
    if project.exists() {
        bail!("{} already exists; choose another name or --dir", project.display());
    }
    for (path, content) in files_for(lang, name)? {
        let target = project.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, content).with_context(|| format!("cannot write {}", target.display()))?;
        if path.ends_with(".sh") {
            make_executable(&target)?;
        }
    }
    Ok(project)
}

/// Every file of the project, placeholders filled.
fn files_for(lang: &Lang, name: &str) -> Result<Vec<(String, String)>> {
    let mut files: Vec<(String, String)> = lang
        .files
        .iter()
        .map(|(path, content)| {
            // The embedded WIT and helper modules are copied as they are.
            let content = if content.contains("{{") && !path.starts_with("wit/") && !path.starts_with("dochost") {
                fill(content, name)
            } else {
                content.to_string()
            };
            (path.to_string(), content)
        })
        .collect();
    if lang.name == "python" || lang.name == "js" {
        files.extend(HTTP_WORLD.iter().map(|(path, content)| (path.to_string(), content.to_string())));
    }
    if lang.name == "js" {
        files.push(("package.json".into(), js_package(name)?));
        files.push(("package-lock.json".into(), js_lock(name)?));
    }
    Ok(files)
}

fn fill(template: &str, name: &str) -> String {
    template.replace("{{name}}", name).replace("{{crate_name}}", &name.replace('-', "_"))
}

/// The example plugins' package.json, renamed, with a build script.
fn js_package(name: &str) -> Result<String> {
    let mut package = replace_name(JS_PACKAGE, name, 1)?;
    package = package.replacen(
        "\"type\": \"module\",\n",
        "\"type\": \"module\",\n  \"scripts\": {\n    \"build\": \"bash build.sh\"\n  },\n",
        1,
    );
    if !package.contains("\"build\": \"bash build.sh\"") {
        bail!("internal error: the JS package.json template has no `\"type\": \"module\"` line");
    }
    let description = package
        .lines()
        .find(|l| l.trim_start().starts_with("\"description\""))
        .map(str::to_string);
    if let Some(line) = description {
        package = package.replacen(&line, "  \"description\": \"A dochost plugin\",", 1);
    }
    Ok(package)
}

/// The example plugins' lock file, renamed (the root package's name appears
/// twice: at the top and as the `""` package).
fn js_lock(name: &str) -> Result<String> {
    replace_name(JS_LOCK, name, 2)
}

fn replace_name(json: &str, name: &str, times: usize) -> Result<String> {
    if json.matches(JS_PACKAGE_NAME).count() != times {
        bail!("internal error: expected {times} × {JS_PACKAGE_NAME} in the embedded npm files");
    }
    Ok(json.replace(JS_PACKAGE_NAME, &format!("\"name\": \"{name}\"")))
}

/// A name that works as a directory, a Cargo package, an npm package and a
/// file name: lowercase ASCII letters, digits and `-`, starting with a letter.
fn check_name(name: &str) -> Result<()> {
    let ok = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if !ok {
        bail!(
            "invalid plugin name `{name}`: use lowercase letters, digits and `-`, starting with a \
             letter (e.g. `heading-case`)"
        );
    }
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_mode(perms.mode() | 0o111);
    std::fs::set_permissions(path, perms).with_context(|| format!("cannot make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_placeholder() {
        for lang in LANGS {
            let dir = tempfile::tempdir().unwrap();
            let project = create("my-plugin", lang.name, dir.path()).unwrap();
            // Helpers and the WIT are copied as they are (`{{` is Zig's
            // format syntax); the templates must have been filled.
            for (path, _) in files_for(lang, "my-plugin").unwrap() {
                if path.starts_with("dochost") || path.starts_with("wit/") {
                    continue;
                }
                let content = std::fs::read_to_string(project.join(&path)).unwrap();
                assert!(!content.contains("{{"), "{}: {path} has a placeholder left", lang.name);
            }
            if lang.name == "c" || lang.name == "zig" {
                // A WASI preview 1 command: no WIT, the helper instead.
                assert!(!project.join("wit").exists(), "{}", lang.name);
                assert!(project.join(if lang.name == "c" { "dochost.c" } else { "dochost.zig" }).is_file());
            } else {
                assert_eq!(std::fs::read_to_string(project.join("wit/plugin.wit")).unwrap(), WIT);
            }
        }
    }

    #[test]
    fn python_and_js_projects_can_build_the_http_world() {
        for lang in ["python", "js"] {
            let dir = tempfile::tempdir().unwrap();
            let project = create("p", lang, dir.path()).unwrap();
            for (path, content) in HTTP_WORLD {
                assert_eq!(&std::fs::read_to_string(project.join(path)).unwrap(), content, "{lang}: {path}");
            }
            let build = std::fs::read_to_string(project.join("build.sh")).unwrap();
            assert!(build.contains("\"${WORLD:-plugin}\""), "{lang}: {build}");
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(!create("p", "rust", dir.path()).unwrap().join("wit/deps").exists());
    }

    #[test]
    fn names_are_filled_in() {
        let dir = tempfile::tempdir().unwrap();
        let project = create("my-plugin", "rust", dir.path()).unwrap();
        let cargo = std::fs::read_to_string(project.join("Cargo.toml")).unwrap();
        assert!(cargo.contains("name = \"my-plugin\""), "{cargo}");
        let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
        assert!(readme.contains("release/my_plugin.wasm"), "{readme}");
    }

    #[test]
    fn js_projects_get_the_pinned_toolchain() {
        let package = js_package("my-plugin").unwrap();
        let value: serde_json::Value = serde_json::from_str(&package).unwrap();
        assert_eq!(value["name"], "my-plugin");
        assert_eq!(value["scripts"]["build"], "bash build.sh");
        assert_eq!(value["overrides"]["@bytecodealliance/preview2-shim"], "0.26.0");
        let lock: serde_json::Value = serde_json::from_str(&js_lock("my-plugin").unwrap()).unwrap();
        assert_eq!(lock["name"], "my-plugin");
        assert_eq!(lock["packages"][""]["name"], "my-plugin");
        assert_eq!(lock["packages"][""]["devDependencies"], value["devDependencies"]);
    }

    #[test]
    fn scripts_are_executable() {
        let dir = tempfile::tempdir().unwrap();
        let project = create("p", "python", dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(project.join("build.sh")).unwrap().permissions().mode();
            assert_eq!(mode & 0o111, 0o111);
        }
    }

    #[test]
    fn an_existing_project_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        create("p", "js", dir.path()).unwrap();
        let err = create("p", "js", dir.path()).unwrap_err().to_string();
        assert!(err.ends_with("already exists; choose another name or --dir"), "{err}");
    }

    #[test]
    fn bad_names_and_languages_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["", "My", "1st", "a b", "../x", "a_b", "x-"] {
            assert!(create(name, "rust", dir.path()).is_err(), "{name:?} was accepted");
        }
        let err = create("ok", "cobol", dir.path()).unwrap_err().to_string();
        assert_eq!(err, "unknown language `cobol`: use rust, python, js, c or zig");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was written");
    }
}
