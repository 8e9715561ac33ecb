//! Documents as they come: pipelines, edits at the edges, CRLF, BOM, empty
//! files, front matter. Every byte no edit touches must survive.

mod support;

use support::{dochost, fixture, plugin, run, stderr, stdout};

fn scripted_on(fixture_name: &str, edits: &str) -> (String, String) {
    let out = run(dochost()
        .arg("run")
        .arg(plugin("scripted"))
        .args(["--set", &format!("edits={edits}")])
        .arg(fixture(fixture_name)));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (stdout(&out), std::fs::read_to_string(fixture(fixture_name)).unwrap())
}

#[test]
fn pipeline_of_two_plugins_sees_each_others_output() {
    // The first plugin rewrites the heading; the second (smart quotes) must
    // see the new text, re-parsed, and curl its quotes.
    let out = run(dochost()
        .arg("run")
        .arg(plugin("scripted"))
        .args(["--then", "smart-quotes", "--set", "scripted.edits=set-text,text,0,\"New\" title"])
        .arg(fixture("quotes.md")));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = std::fs::read_to_string(fixture("quotes.expected.md")).unwrap().replace("“Smart” quotes", "“New” title");
    assert_eq!(stdout(&out), expected);
}

#[test]
fn edits_at_the_very_start_and_end_of_a_file() {
    let (out, input) = scripted_on("no-final-newline.md", "splice,0,0,<!-- top -->\\n\ninsert-after,document,0,\\n<!-- end -->");
    assert_eq!(out, format!("<!-- top -->\n{input}\n<!-- end -->"));
    assert!(!input.ends_with('\n'), "fixture has no final newline");
}

#[test]
fn crlf_files_keep_their_line_endings() {
    let (out, input) = scripted_on("crlf.md", "set-text,text,2,Changed text");
    assert!(input.contains("\r\n"));
    assert_eq!(out, input.replace("Second paragraph.", "Changed text"));
    assert_eq!(out.matches("\r\n").count(), input.matches("\r\n").count());
}

#[test]
fn crlf_code_blocks_are_rewritten_with_their_fences() {
    let (out, input) = scripted_on("crlf.md", "set-text,code-block,0,let x = 2;\\n");
    assert_eq!(out, input.replace("let x = 1;", "let x = 2;"), "new lines take the file's CRLF");
}

#[test]
fn a_byte_order_mark_is_kept_and_hidden_from_plugins() {
    let (out, input) = scripted_on("bom.md", "splice,0,0,Start ");
    assert!(input.starts_with('\u{feff}'));
    assert_eq!(out, input.replacen('\u{feff}', "\u{feff}Start ", 1));
}

#[test]
fn empty_files_stay_empty_and_accept_insertions() {
    let (out, input) = scripted_on("empty.md", "");
    assert_eq!((out.as_str(), input.as_str()), ("", ""));
    let (out, _) = scripted_on("empty.md", "insert-before,document,0,# New\\n");
    assert_eq!(out, "# New\n");
}

#[test]
fn front_matter_text_is_rewritten_between_its_delimiters() {
    let (out, input) = scripted_on("front-matter.md", "set-text,front-matter,0,title: New\\ntags: [a]\\n");
    assert_eq!(out, input.replace("title: Old\n", "title: New\ntags: [a]\n"));
    let out = run(dochost().arg("ast").arg(fixture("front-matter.md")));
    assert!(stdout(&out).contains("[1] front-matter 1:1 0..18 text=\"title: Old\\n\" info=\"yaml\""), "{}", stdout(&out));
}

#[test]
fn toml_front_matter_is_seen_as_toml() {
    let out = run(dochost().arg("ast").arg(fixture("toml-front-matter.md")));
    assert!(stdout(&out).contains("front-matter 1:1 0..22 text=\"title = \\\"Blog\\\"\\n\" info=\"toml\""), "{}", stdout(&out));
}

#[test]
fn set_text_escapes_markdown_it_would_otherwise_create() {
    let (out, _) = scripted_on("escaping.md", "set-text,text,0,# not a heading *or* [link](x) | pipe and \nset-text,code,0,a ` tick");
    assert_eq!(out, "\\# not a heading \\*or\\* \\[link\\](x) | pipe and ``a ` tick``\n\n| a | b |\n|---|---|\n| cell | x |\n");
    let (out, _) = scripted_on("escaping.md", "set-text,text,*,a|b");
    assert!(out.contains("| a\\|b | a\\|b |"), "pipes escaped in table cells: {out}");
}

#[test]
fn urls_titles_and_info_strings_change_in_place() {
    let (out, input) = scripted_on(
        "links.md",
        "set-url,link,0,https://example.com/new\nset-title,link,0,New title\nset-url,link-definition,0,/moved\nset-info,code-block,0,python",
    );
    let expected = input
        .replace("(https://example.com/old)", "(https://example.com/new \"New title\")")
        .replace("[ref]: /old-ref", "[ref]: /moved")
        .replace("```py\n", "```python\n");
    assert_eq!(out, expected);
}
