//! A realistic run: the products named in the damaged sample report, bumped
//! over the repaired report and over the Chinese TiDB docs of the corpus.
//! Needs DOCHOST_SAMPLES and DOCHOST_CORPUS (skips with a notice without).

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use dochost::doc::{parse, NodeKind};
use support::{corpus, dochost, fixture, run, stderr};

/// Everything `versions` must not touch without a pattern asking: code
/// spans, code blocks and every URL.
fn code_and_urls(markdown: &str) -> Vec<String> {
    let table = parse(markdown);
    table
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::Code | NodeKind::CodeBlock => table.string(n.text).map(str::to_string),
            NodeKind::Link | NodeKind::Image | NodeKind::LinkDefinition => table.string(n.url).map(str::to_string),
            _ => None,
        })
        .collect()
}

fn assert_code_and_urls_unchanged(before_dir: &Path, after_dir: &Path) -> usize {
    let mut files = 0;
    for entry in walk(before_dir) {
        let relative = entry.strip_prefix(before_dir).unwrap();
        let before = std::fs::read_to_string(&entry).unwrap();
        let after = std::fs::read_to_string(after_dir.join(relative)).unwrap();
        assert_eq!(code_and_urls(&before), code_and_urls(&after), "code or a URL changed in {}", relative.display());
        files += 1;
    }
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[test]
fn sample_report_is_repaired_and_bumped_in_one_pipeline() {
    let Some(samples) = std::env::var_os("DOCHOST_SAMPLES") else {
        eprintln!("notice: DOCHOST_SAMPLES is not set; skipping the realistic run");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(Path::new(&samples).join("version-report.mojibake.md"), input.join("report.md")).unwrap();
    let manifest = fixture("realistic/versions.toml");
    let manifest = manifest.to_str().unwrap();
    // The repaired report alone is the baseline for "nothing else changed".
    let repaired = work.path().join("repaired");
    let out = run(dochost().args(["run", "mojibake", "-q", "--out-dir"]).arg(&repaired).arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bumped = work.path().join("bumped");
    let report = work.path().join("changes.json");
    let out = run(dochost()
        .args(["run", "mojibake", "--then", "versions", "-q", "--allow-read", manifest])
        .args(["--set", &format!("versions.manifest={manifest}"), "--out-dir"])
        .arg(&bumped)
        .arg("--report")
        .arg(&report)
        .arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_code_and_urls_unchanged(&repaired, &bumped);

    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let versions: BTreeMap<String, u64> = report["summary"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(reason, _)| reason.contains(" → "))
        .map(|(reason, n)| (reason.clone(), n.as_u64().unwrap()))
        .collect();
    // Hand-checked against the report: every current claim ("updated to
    // Istio 1.21", the "after" column of the summary table) is bumped; the
    // document's own "v1.0 → v1.1", K3s (not in the manifest) and
    // "Linux 6.7+" are not.
    let expected: BTreeMap<String, u64> = [
        ("Istio 1.21 → 1.22", 3),
        ("Kubernetes 1.30 → 1.31", 5),
        ("Linkerd 2.16 → 2.17", 3),
        ("OPA 0.62 → 0.63", 2),
        ("WasmEdge 0.14 → 0.15", 5),
        ("gVisor 2025.10 → 2025.11", 3),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(versions, expected);
    let text = std::fs::read_to_string(bumped.join("report.md")).unwrap();
    assert!(text.contains("Kubernetes 1.31, K3s 1.30, Nomad, OpenShift"), "K3s is not Kubernetes");
    assert!(text.contains("| Kubernetes  | 未指定版本 | 1.31                | ✅   |"), "bumped by the table row's product");
    assert!(text.contains("**版本更新**：v1.0 → v1.1"), "the document's own version is no product");
}

#[test]
fn corpus_run_changes_no_code_block_and_no_url() {
    let Some(corpus) = corpus() else { return };
    let input = corpus.join("pingcap-docs-cn");
    let out_dir = tempfile::tempdir().unwrap();
    let manifest = fixture("realistic/versions.toml");
    let manifest = manifest.to_str().unwrap();
    let out = run(dochost()
        .args(["run", "versions", "-q", "--hidden", "--allow-read", manifest, "--set", &format!("manifest={manifest}"), "--out-dir"])
        .arg(out_dir.path())
        .arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = assert_code_and_urls_unchanged(&input, out_dir.path());
    assert!(files > 1000, "the whole TiDB tree ran ({files} files)");
}
