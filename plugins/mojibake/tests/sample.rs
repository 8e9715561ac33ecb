//! Repairs the real damaged report from the shared samples folder, when
//! `DOCHOST_SAMPLES` points at it.

use dochost_plugin_mojibake::repair::{mojibake_markers, repair};

#[test]
fn version_report_comes_out_as_chinese() {
    let Ok(dir) = std::env::var("DOCHOST_SAMPLES") else {
        eprintln!("DOCHOST_SAMPLES is unset: skipping the version-report sample");
        return;
    };
    let path = std::path::Path::new(&dir).join("version-report.mojibake.md");
    let source = std::fs::read_to_string(&path).expect("read the sample");
    assert!(!mojibake_markers(&source).is_empty(), "the sample should start out damaged");
    let out = repair(&source);
    let left = mojibake_markers(&out.text);
    let han = out.text.chars().filter(|&c| dochost_plugin_mojibake::freq::is_han(c)).count();
    eprintln!("{} runs repaired, {} left, {han} ideographs, {} markers left", out.fixes.len(), out.unrepaired.len(), left.len());
    if let Ok(dump) = std::env::var("DOCHOST_SAMPLE_OUT") {
        std::fs::write(dump, &out.text).expect("write the repaired sample");
    }
    assert!(han > 1000, "expected a Chinese report, got {han} ideographs");
    assert!(left.is_empty(), "code-page characters still next to ideographs: {left:?}");
}
