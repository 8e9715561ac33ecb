//! GitHub's renderer for the tests: `cmark-gfm` (the Debian package of
//! GitHub's fork of cmark), with the extensions github.com enables.
//!
//! Where it is missing and apt-get is available (as root), the first test
//! that needs it installs it; where it cannot be had, tests that need it
//! print a notice and skip.

#![allow(dead_code)] // each test binary uses a different part

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The extensions github.com renders Markdown with.
const EXTENSIONS: &[&str] = &["table", "strikethrough", "autolink", "tagfilter", "tasklist", "footnotes"];

fn on_path() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| PathBuf::from(dir).join("cmark-gfm"))
        .find(|p| p.is_file())
}

fn install() -> Result<(), String> {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt = Command::new("apt-get").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !apt || !root {
        return Err(format!("apt-get is {}available{}", if apt { "" } else { "not " }, if root { "" } else { " but this is not root" }));
    }
    let get = |args: &[&str]| {
        Command::new("apt-get")
            .args(["-o", "DPkg::Lock::Timeout=300", "-y", "-q"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())
    };
    let first = get(&["install", "cmark-gfm"])?;
    if first.status.success() {
        return Ok(());
    }
    // The package lists may be missing (a fresh container): update once.
    get(&["update"])?;
    let second = get(&["install", "cmark-gfm"])?;
    if second.status.success() {
        Ok(())
    } else {
        Err(format!("apt-get install cmark-gfm failed: {}", String::from_utf8_lossy(&second.stderr).trim()))
    }
}

/// The `cmark-gfm` binary, installed if it can be. `None` (after a notice on
/// stderr) where it cannot.
pub fn cmark_gfm() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if let Some(path) = on_path() {
                return Some(path);
            }
            match install() {
                Ok(()) => on_path(),
                Err(why) => {
                    eprintln!(
                        "notice: cmark-gfm (GitHub's renderer) is not installed and cannot be installed here ({why}); \
                         skipping the GitHub rendering checks (`bash .ci/setup` installs it on Debian and Ubuntu)"
                    );
                    None
                }
            }
        })
        .clone()
}

/// The HTML GitHub's renderer makes of `markdown` (raw HTML kept, so that
/// changes to it show).
pub fn render(cmark: &PathBuf, markdown: &str) -> String {
    let mut cmd = Command::new(cmark);
    cmd.arg("--unsafe");
    for ext in EXTENSIONS {
        cmd.args(["-e", ext]);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("cannot run cmark-gfm");
    let mut stdin = child.stdin.take().expect("piped");
    let input = markdown.to_string();
    // Write from another thread so a large output cannot block the pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("cmark-gfm did not finish");
    writer.join().expect("writer thread").expect("cannot write to cmark-gfm");
    assert!(out.status.success(), "cmark-gfm failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The HTML pulldown-cmark makes of `markdown`, in dochost's dialect.
pub fn render_pulldown(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, dochost::doc::markdown_options());
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}
