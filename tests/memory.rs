//! Memory does not grow with the tree: documents go through in windows and
//! are written as they finish. Measured with GNU time's peak RSS of the
//! whole process, on generated trees of 1,500 and 15,000 documents.

mod support;

use std::path::Path;
use std::process::Command;

use support::plugin;

/// Peak RSS in KiB of a no-op `--check` run over `dir`, or `None` without
/// GNU time.
fn peak_rss(dir: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("notice: /usr/bin/time (GNU time) is missing; skipping the memory test");
        return None;
    }
    let out = Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_dochost"))
        .env("DOCHOST_CACHE_DIR", support::repo_root().join("target").join("test-plugin-cache"))
        .arg("run")
        .arg(plugin("noop"))
        .args(["--check", "-q"])
        .arg(dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    Some(err.lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or_else(|| panic!("no RSS in: {err}")))
}

/// `count` documents of about 6 KB each.
fn tree(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let page: String = (0..40).map(|i| format!("## Section {i}\n\nSome *text* with a [link](other.md#s{i}) and `code`, \"quoted\".\n\n- one\n- two\n\n")).collect();
    for i in 0..count {
        let sub = dir.path().join(format!("d{}", i % 50));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("page-{i}.md")), format!("# Page {i}\n\n{page}")).unwrap();
    }
    dir
}

#[test]
fn peak_memory_stays_flat_as_the_tree_grows_tenfold() {
    let small = tree(1_500);
    let large = tree(15_000);
    let (Some(small_rss), Some(large_rss)) = (peak_rss(small.path()), peak_rss(large.path())) else { return };
    eprintln!("peak RSS: {small_rss} KiB for 1,500 documents, {large_rss} KiB for 15,000");
    assert!(
        (large_rss as f64) < 1.5 * small_rss as f64,
        "peak RSS grew from {small_rss} KiB to {large_rss} KiB for a tree ten times larger"
    );
}
