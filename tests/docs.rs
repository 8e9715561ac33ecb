//! The documentation's samples are real: a block marked
//! `<!-- sample: PATH -->` appears verbatim in PATH (a file that is built and
//! tested), and a block marked `<!-- output: dochost ARGS -->` is what that
//! command prints.

mod support;

use support::{dochost, repo_root, run, stderr, stdout};

/// (marker, block) for every marked fenced block of a Markdown file.
fn marked_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(marker) = line.strip_prefix("<!-- ").and_then(|l| l.strip_suffix(" -->")) else { continue };
        if !marker.starts_with("sample: ") && !marker.starts_with("output: ") {
            continue;
        }
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "a marker must sit right above a fenced block: {line}");
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        blocks.push((marker.to_string(), body.join("\n") + "\n"));
    }
    blocks
}

#[test]
fn guide_samples_are_real_code_and_real_output() {
    let root = repo_root();
    let mut checked = 0;
    for doc in ["docs/guide.md", "README.md"] {
        let markdown = std::fs::read_to_string(root.join(doc)).unwrap();
        for (marker, block) in marked_blocks(&markdown) {
            if let Some(path) = marker.strip_prefix("sample: ") {
                let file = std::fs::read_to_string(root.join(path)).unwrap();
                assert!(file.contains(&block), "{doc}: the sample from {path} is not in that file:\n{block}");
            } else {
                let command = marker.strip_prefix("output: dochost ").expect("output markers run dochost");
                let out = run(dochost().current_dir(&root).args(command.split(' ')));
                assert!(out.status.success(), "{doc}: `dochost {command}` failed: {}", stderr(&out));
                assert_eq!(stdout(&out), block, "{doc}: the output of `dochost {command}` changed");
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} samples checked");
}
