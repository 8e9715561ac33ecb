//! `dochost test`: run a plugin over fixture pairs and show what differs.
//!
//! A fixture is `NAME.md` with the output expected in `NAME.expected.md`,
//! optional options in `NAME.options` (`KEY=VALUE` lines, added after the
//! command line's `--set`) and optional expected diagnostics in
//! `NAME.diagnostics.txt` (`LINE:COL severity[code]: message` lines).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::{exit, plugins, write, TestArgs};
use crate::doc::Tree;
use crate::pipeline::{Pipeline, PlacedDiagnostic};

pub fn test(args: TestArgs) -> Result<u8> {
    let fixtures = find(&args.dir)?;
    if fixtures.is_empty() {
        bail!("{}: no fixtures (NAME.md with NAME.expected.md) found", args.dir.display());
    }
    let (loaded, grants) = plugins::load_all(std::iter::once(&args.plugin), &args.plugin_args)?;
    let (mut passed, mut failed) = (0, 0);
    for input in fixtures {
        let name = input.file_name().unwrap_or_default().to_string_lossy().trim_end_matches(".md").to_string();
        let sibling = |suffix: &str| input.with_file_name(format!("{name}{suffix}"));
        let source = std::fs::read_to_string(&input).with_context(|| format!("cannot read {}", input.display()))?;
        let expected = std::fs::read_to_string(sibling(".expected.md"))
            .with_context(|| format!("{}: missing {name}.expected.md", input.display()))?;
        let mut sets = args.plugin_args.set.clone();
        if let Ok(options) = std::fs::read_to_string(sibling(".options")) {
            for line in options.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                let Some((k, v)) = line.split_once('=') else {
                    bail!("{name}.options: expected KEY=VALUE, got `{line}`");
                };
                sets.push(format!("{}={}", k.trim(), v.trim()));
            }
        }
        let stages = plugins::open(&loaded, &sets, &grants).with_context(|| format!("fixture {name}"))?;
        let display = input.display().to_string();
        let mut problems = Vec::new();
        let tree = Tree { roots: vec![display.clone()], files: vec![display.clone()] };
        let mut pipeline = Pipeline::new(&stages, Arc::new(tree), crate::doc::Dialect::default());
        // Fixtures check documents; the run-level output is not compared.
        let result = pipeline.process(&[(display.as_str(), source.as_str())], &|_| {}).into_iter().next().expect("one document in, one out");
        match result {
            Err(failure) => problems.push(format!("failed: {failure}")),
            Ok(processed) => {
                if processed.output != expected {
                    problems.push(write::unified_diff(&format!("{name}.expected.md"), &expected, &processed.output));
                }
                if let Ok(want) = std::fs::read_to_string(sibling(".diagnostics.txt")) {
                    let got: Vec<String> = processed.diagnostics.iter().map(diagnostic_line).collect();
                    let want: Vec<&str> = want.lines().filter(|l| !l.trim().is_empty()).collect();
                    if got != want {
                        problems.push(format!(
                            "diagnostics differ:\n  expected:\n{}\n  got:\n{}",
                            indent(&want.join("\n")),
                            indent(&got.join("\n"))
                        ));
                    }
                }
            }
        }
        if problems.is_empty() {
            passed += 1;
            println!("ok   {name}");
        } else {
            failed += 1;
            println!("FAIL {name}");
            for problem in problems {
                println!("{}", problem.trim_end());
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 { exit::CHANGED } else { exit::OK })
}

fn diagnostic_line(d: &PlacedDiagnostic) -> String {
    format!("{}:{} {}[{}]: {}", d.line, d.column, d.diagnostic.severity, d.diagnostic.code, d.diagnostic.message)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

/// `NAME.md` files of `dir` that have a `NAME.expected.md`, sorted.
fn find(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read fixture directory {}", dir.display()))?;
    let mut inputs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".md") && !name.ends_with(".expected.md")
        })
        .filter(|p| p.with_file_name(format!("{}.expected.md", p.file_stem().unwrap_or_default().to_string_lossy())).exists())
        .collect();
    inputs.sort();
    Ok(inputs)
}
