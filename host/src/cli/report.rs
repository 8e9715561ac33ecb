//! Run reports (`--report changes.md` / `changes.json`): every change of a
//! run, grouped by reason, and every problem plugins reported (warnings and
//! errors: a broken link, a stale version left alone), for a pull request
//! or a tool.
//!
//! One edit may make several changes (two versions bumped in one sentence);
//! its reasons are then separated by `; ` and each is counted.
//!
//! A reason written `WHAT BEFORE → AFTER` (versions: `Kubernetes 1.28 →
//! 1.30`), `WHAT: BEFORE → AFTER` (doc-version: `last updated: 2025-11-04 →
//! 2025-11-05`) or `"BEFORE" → "AFTER"` (replace) is also an *update*: each
//! file's section opens with a table of them (what, before, after, by
//! which plugin), the before/after table of a maintenance report; the JSON
//! form lists them per file under `updates`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::doc::Severity;
use crate::pipeline::{ChangeRecord, PlacedDiagnostic};

/// The changes made to one file and the problems found in it.
#[derive(Debug, Serialize)]
pub struct FileChanges<'a> {
    pub file: String,
    pub changes: &'a [ChangeRecord],
    /// Warnings and errors, in the order plugins reported them.
    pub problems: Vec<&'a PlacedDiagnostic>,
}

/// How many problems of each severity the files hold.
fn problem_counts(files: &[FileChanges<'_>]) -> (usize, usize) {
    let all = files.iter().flat_map(|f| &f.problems);
    let errors = all.clone().filter(|d| d.diagnostic.severity == Severity::Error).count();
    (errors, all.count() - errors)
}

/// Write the report in the format the file's extension names.
pub fn write(path: &Path, files: &[FileChanges<'_>]) -> Result<()> {
    let content = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => json(files)?,
        Some("md" | "markdown") => markdown(files),
        _ => bail!("--report {}: use a .md or .json file name", path.display()),
    };
    super::write::atomic_write(path, content.as_bytes(), true)
}

/// One file of a JSON report, read back.
#[derive(Debug, Deserialize)]
struct ReadFile {
    file: String,
    changes: Vec<ChangeRecord>,
    #[serde(default)]
    problems: Vec<PlacedDiagnostic>,
}

/// `dochost report merge`: the JSON reports of several shards of one run as
/// one report (each `out` as `.md` or `.json`). A file found in two reports
/// means the shards overlapped: an error.
pub fn merge(reports: &[PathBuf], out: &[PathBuf]) -> Result<()> {
    if out.is_empty() {
        bail!("give --out FILE (.md or .json) for the merged report");
    }
    let mut read: Vec<ReadFile> = Vec::new();
    let mut from: HashMap<String, &Path> = HashMap::new();
    for report in reports {
        let text = std::fs::read_to_string(report).with_context(|| format!("{}: cannot read it", report.display()))?;
        #[derive(Deserialize)]
        struct Report {
            files: Vec<ReadFile>,
        }
        let parsed: Report = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a JSON report of `dochost run --report FILE.json`", report.display()))?;
        for file in parsed.files {
            if let Some(earlier) = from.insert(file.file.clone(), report) {
                bail!("{} is in both {} and {}: the shards overlap", file.file, earlier.display(), report.display());
            }
            read.push(file);
        }
    }
    let files: Vec<FileChanges<'_>> =
        read.iter().map(|f| FileChanges { file: f.file.clone(), changes: &f.changes, problems: f.problems.iter().collect() }).collect();
    for path in out {
        write(path, &files)?;
    }
    Ok(())
}

fn label(change: &ChangeRecord) -> String {
    change.reason.clone().unwrap_or_else(|| format!("{} (no reason given)", change.plugin))
}

/// Count each reason of each change.
fn summary(files: &[FileChanges<'_>]) -> BTreeMap<String, usize> {
    let mut summary: BTreeMap<String, usize> = BTreeMap::new();
    for change in files.iter().flat_map(|f| f.changes) {
        for reason in label(change).split("; ") {
            *summary.entry(reason.to_string()).or_default() += 1;
        }
    }
    summary
}

/// One row of a file's before/after table: a change whose reason says
/// what went from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Update {
    pub what: String,
    pub before: String,
    pub after: String,
    /// The plugin that made it.
    pub by: String,
    /// Where it was first made.
    pub line: usize,
}

/// `(what, before, after)` from one reason, when it is written as an
/// update (see the module's documentation).
fn parse_update(reason: &str) -> Option<(String, String, String)> {
    let (left, after) = reason.split_once(" → ")?;
    let (left, after) = (left.trim(), after.trim());
    if after.contains(" → ") || left.is_empty() || after.is_empty() {
        return None;
    }
    let quoted = |s: &str| s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).map(str::to_string);
    if let (Some(before), Some(after)) = (quoted(left), quoted(after)) {
        return Some(("text".to_string(), before, after));
    }
    let (what, before) = match left.split_once(": ") {
        Some(split) => split,
        None => left.rsplit_once(' ')?,
    };
    Some((what.trim().to_string(), before.trim().to_string(), after.to_string()))
}

/// The updates of a file's changes, each once, in the order first made.
pub fn updates(changes: &[ChangeRecord]) -> Vec<Update> {
    let mut out: Vec<Update> = Vec::new();
    for change in changes.iter().filter(|c| c.before != c.after) {
        for reason in change.reason.as_deref().unwrap_or_default().split("; ") {
            let Some((what, before, after)) = parse_update(reason) else { continue };
            let known = out.iter().any(|u| u.what == what && u.before == before && u.after == after && u.by == change.plugin);
            if !known {
                out.push(Update { what, before, after, by: change.plugin.clone(), line: change.line });
            }
        }
    }
    out
}

fn json(files: &[FileChanges<'_>]) -> Result<String> {
    let summary = summary(files);
    let total = summary.values().sum::<usize>();
    let (errors, warnings) = problem_counts(files);
    let mut listed = Vec::with_capacity(files.len());
    for file in files {
        let mut value = serde_json::to_value(file)?;
        value["updates"] = serde_json::to_value(updates(file.changes))?;
        listed.push(value);
    }
    let value = serde_json::json!({
        "total": total,
        "summary": summary,
        "problems": { "errors": errors, "warnings": warnings },
        "files": listed,
    });
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

/// Inline code for a table cell: any backtick run fits, pipes are escaped.
fn cell(text: &str) -> String {
    let Some(flat) = one_line(text) else { return "(empty)".to_string() };
    let fence = "`".repeat(flat.split(|c| c != '`').map(str::len).max().unwrap_or(0) + 1);
    format!("{fence} {flat} {fence}")
}

/// Plain text for a table cell.
fn plain(text: &str) -> String {
    one_line(text).unwrap_or_else(|| "(empty)".to_string())
}

/// `text` on one line with pipes escaped, for a table cell; `None` when
/// there is nothing to show.
fn one_line(text: &str) -> Option<String> {
    let flat = text.replace(['\r', '\n'], " ");
    (!flat.trim().is_empty()).then(|| flat.replace('|', "\\|"))
}

fn markdown(files: &[FileChanges<'_>]) -> String {
    let summary = summary(files);
    let total: usize = summary.values().sum();
    let changed_files = files.iter().filter(|f| !f.changes.is_empty()).count();
    let mut out = String::from("# Changes\n\n");
    let _ = writeln!(out, "{total} changes in {changed_files} files.\n");
    if total > 0 {
        out.push_str("| change | count |\n| --- | ---: |\n");
        for (reason, count) in &summary {
            let _ = writeln!(out, "| {} | {count} |", reason.replace('|', "\\|"));
        }
        for file in files.iter().filter(|f| !f.changes.is_empty()) {
            let _ = writeln!(out, "\n## {}\n", file.file);
            let updates = updates(file.changes);
            if !updates.is_empty() {
                out.push_str("| what | before | after | by |\n| --- | --- | --- | --- |\n");
                for u in &updates {
                    let _ = writeln!(out, "| {} | {} | {} | {} |", plain(&u.what), plain(&u.before), plain(&u.after), u.by);
                }
                out.push('\n');
            }
            out.push_str("| line | before | after | reason |\n| ---: | --- | --- | --- |\n");
            for c in file.changes {
                let _ = writeln!(out, "| {} | {} | {} | {} |", c.line, cell(&c.before), cell(&c.after), label(c).replace('|', "\\|"));
            }
        }
    }
    let (errors, warnings) = problem_counts(files);
    if errors + warnings == 0 {
        return out;
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "# Problems\n\n{errors} errors and {warnings} warnings.");
    for file in files.iter().filter(|f| !f.problems.is_empty()) {
        let _ = writeln!(out, "\n## {}\n", file.file);
        out.push_str("| line:col | severity | code | message | plugin |\n| ---: | --- | --- | --- | --- |\n");
        for d in &file.problems {
            let message = d.diagnostic.message.replace(['\r', '\n'], " ").replace('|', "\\|");
            let _ = writeln!(
                out,
                "| {}:{} | {} | {} | {message} | {} |",
                d.line, d.column, d.diagnostic.severity, d.diagnostic.code, d.plugin
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: &str, after: &str, reason: &str) -> ChangeRecord {
        ChangeRecord { plugin: "p".into(), line: 3, before: before.into(), after: after.into(), reason: Some(reason.into()) }
    }

    #[test]
    fn markdown_report_counts_by_reason_and_lists_changes() {
        let changes = [change("1.28", "1.30", "K 1.28 → 1.30"), change("a|b", "c", "K 1.28 → 1.30; I 1.2 → 1.3")];
        let report = markdown(&[FileChanges { file: "docs/a.md".into(), changes: &changes, problems: Vec::new() }]);
        assert!(report.contains("3 changes in 1 files."), "{report}");
        assert!(report.contains("| I 1.2 → 1.3 | 1 |\n| K 1.28 → 1.30 | 2 |"), "{report}");
        assert!(report.contains("| 3 | ` a\\|b ` | ` c ` | K 1.28 → 1.30; I 1.2 → 1.3 |"), "{report}");
        assert!(!report.contains("Problems"), "{report}");
    }

    #[test]
    fn reasons_that_say_what_went_from_what_to_what_are_updates() {
        let update = |r: &str| parse_update(r).map(|(w, b, a)| format!("{w}|{b}|{a}"));
        assert_eq!(update("Kubernetes 1.28 → 1.30").as_deref(), Some("Kubernetes|1.28|1.30"));
        assert_eq!(update("Kata Containers 2.5 → 3.0").as_deref(), Some("Kata Containers|2.5|3.0"));
        assert_eq!(update("last updated: November 4, 2025 → November 5, 2025").as_deref(), Some("last updated|November 4, 2025|November 5, 2025"));
        assert_eq!(update("\"2022 双 11\" → \"2024 双 11\"").as_deref(), Some("text|2022 双 11|2024 双 11"));
        assert_eq!(update("straight quotes curled"), None);
        assert_eq!(update("a → b → c"), None);
        assert_eq!(update("1.28 → 1.30"), None, "no what");
    }

    #[test]
    fn each_file_opens_with_its_before_after_table() {
        let mut bump = change("v1.0", "v1.1", "document version: v1.0 → v1.1; last updated: 2025-11-04 → 2025-11-05");
        bump.plugin = "doc-version".into();
        let changes = [
            change("Kubernetes 1.28", "Kubernetes 1.30", "Kubernetes 1.28 → 1.30"),
            change("K8s 1.28", "K8s 1.30", "Kubernetes 1.28 → 1.30"),
            change("a|b", "a|b", "x 1 → 2"),
            bump,
        ];
        let file = FileChanges { file: "a.md".into(), changes: &changes, problems: Vec::new() };
        let report = markdown(std::slice::from_ref(&file));
        let table = "## a.md\n\n| what | before | after | by |\n| --- | --- | --- | --- |\n| Kubernetes | 1.28 | 1.30 | p |\n\
                     | document version | v1.0 | v1.1 | doc-version |\n| last updated | 2025-11-04 | 2025-11-05 | doc-version |\n\n\
                     | line | before | after | reason |\n";
        assert!(report.contains(table), "{report}");
        let json: serde_json::Value = serde_json::from_str(&json(&[file]).unwrap()).unwrap();
        assert_eq!(json["files"][0]["updates"][0]["what"], "Kubernetes");
        assert_eq!(json["files"][0]["updates"].as_array().unwrap().len(), 3, "the unchanged text is no update");
    }

    #[test]
    fn problems_are_listed_after_the_changes() {
        let placed = |severity, code: &str, message: &str| PlacedDiagnostic {
            plugin: "links".into(),
            line: 4,
            column: 2,
            diagnostic: crate::doc::Diagnostic { severity, code: code.into(), message: message.into(), node: None, span: None },
        };
        let found = [placed(Severity::Error, "broken-link", "`a|b.md`: no such file"), placed(Severity::Warning, "redirect", "moved")];
        let report = markdown(&[FileChanges { file: "a.md".into(), changes: &[], problems: found.iter().collect() }]);
        assert!(report.contains("0 changes in 0 files.\n\n# Problems\n\n1 errors and 1 warnings.\n\n## a.md\n"), "{report}");
        assert!(report.contains("| 4:2 | error | broken-link | `a\\|b.md`: no such file | links |"), "{report}");
    }
}
