//! ftfy's published test cases (python-ftfy `tests/test-cases/*.json`,
//! Apache-2.0, kept with their licence in `tests/fixtures/mojibake_ftfy/`) as
//! a regression suite.
//!
//! Each original goes through [`repair`], the function the plugin runs on
//! every string of a document, and is compared with `fixed-encoding` (else
//! `fixed`): what ftfy's encoding fixes alone give. Negatives must come out
//! unchanged. The floors below are the counts reached so far: raise them when
//! a change passes more cases, never lower them.

use dochost_plugin_mojibake::repair::repair;
use serde_json::Value;
use std::path::PathBuf;

fn cases(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/mojibake_ftfy")
        .join(format!("{file}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text).expect("a JSON array of cases") {
        Value::Array(cases) => cases,
        _ => panic!("{}: not a JSON array", path.display()),
    }
}

/// Run one case file; return how many pass and print the others.
fn passing(file: &str) -> (usize, usize) {
    let cases = cases(file);
    let mut pass = 0;
    for case in &cases {
        let original = case["original"].as_str().expect("original");
        let want = case.get("fixed-encoding").unwrap_or(&case["fixed"]).as_str().expect("fixed");
        let got = repair(original).text;
        if got == want {
            pass += 1;
        } else {
            eprintln!("[{file}] {}\n  text {original:?}\n  want {want:?}\n  got  {got:?}", case["label"]);
        }
    }
    eprintln!("{file}: {pass}/{}", cases.len());
    (pass, cases.len())
}

/// Negatives must come out unchanged, ftfy's "sort of negative"
/// `Bremer/Mccoy – DrÃ¥ber` too: `Ã¥` is the plain UTF-8-as-cp1252 form of
/// `å`, but the correctly decoded `–` beside its word (UTF-8 read as cp1252
/// would show `â€“`) says the text there was decoded right, and a lone
/// two-byte sequence is repaired only where the text has another repair.
#[test]
fn ftfy_negatives_are_left_unchanged() {
    let (pass, total) = passing("negative");
    assert!(pass >= FLOOR_NEGATIVE, "{pass} < {FLOOR_NEGATIVE} of {total}: a false positive came back");
}

#[test]
fn ftfy_in_the_wild_cases_do_not_regress() {
    let (pass, _) = passing("in-the-wild");
    assert!(pass >= FLOOR_IN_THE_WILD, "{pass} < {FLOOR_IN_THE_WILD}");
}

#[test]
fn ftfy_synthetic_cases_do_not_regress() {
    let (pass, _) = passing("synthetic");
    assert!(pass >= FLOOR_SYNTHETIC, "{pass} < {FLOOR_SYNTHETIC}");
}

#[test]
fn ftfy_language_names_do_not_regress() {
    let (pass, _) = passing("language-names");
    assert!(pass >= FLOOR_LANGUAGE_NAMES, "{pass} < {FLOOR_LANGUAGE_NAMES}");
}

/// ftfy's own known failures: counted, not asserted (ftfy fails them too,
/// and one of them is a false positive ftfy accepts).
#[test]
fn ftfy_known_failures_are_counted() {
    passing("known-failures");
}

const FLOOR_NEGATIVE: usize = 31;
const FLOOR_IN_THE_WILD: usize = 70;
const FLOOR_SYNTHETIC: usize = 30;
const FLOOR_LANGUAGE_NAMES: usize = 20;
