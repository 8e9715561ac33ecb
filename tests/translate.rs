//! The translate plugin, end to end: templates extracted from a tree,
//! catalogs applied with every untouched byte kept, translations that would
//! break the document refused, catalogs updated when the source changes;
//! and on the corpus (`DOCHOST_CORPUS`), untranslated and identical
//! round trips byte for byte, and a pseudo-translation that keeps every
//! file's structure.
//!
//! Fixtures: `tests/fixtures/translate/<case>/` holds `source.md`, a
//! catalog, the `expected.md` output and, for extraction, `expected.pot`.

mod shared_corpus;
mod support;

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use shared_corpus::{markdown_files, spec_examples};
use support::{corpus, dochost, run, stderr, stdout, tree};

fn case(name: &str) -> PathBuf {
    support::fixture("translate").join(name)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `dochost run translate` over `input` with `catalog` applied; (stdout, stderr).
fn apply(input: &Path, catalog: &Path, extra: &[&str]) -> (String, String) {
    let out = run(dochost()
        .current_dir(input.parent().unwrap())
        .args(["run", "translate", "--allow-read"])
        .arg(catalog)
        .arg("--set")
        .arg(format!("translate.catalog={}", catalog.display()))
        .args(extra)
        .arg(input.file_name().unwrap()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

#[test]
fn english_to_chinese_keeps_markup_and_every_untranslated_byte() {
    let (output, errors) = apply(&case("en-zh").join("source.md"), &case("en-zh").join("zh.po"), &[]);
    assert_eq!(output, read(&case("en-zh").join("expected.md")));
    // Headings without an explicit id change their anchor: said, per heading.
    assert_eq!(errors.matches("warning[anchor-changes]").count(), 2, "{errors}");
    assert!(errors.contains("source.md:10:1: warning[anchor-changes]"), "{errors}");
    assert!(
        errors.contains("21 of 23 messages translated; 1 fuzzy and 1 untranslated kept in the source language; 0 refused"),
        "{errors}"
    );
}

#[test]
fn translations_that_would_break_the_document_are_refused_and_named() {
    let (output, errors) = apply(&case("zh-en").join("source.md"), &case("zh-en").join("en.po"), &[]);
    assert_eq!(output, read(&case("zh-en").join("expected.md")));
    for expected in [
        "source.md:11:1: warning[translation-refused]: line 11: the translation of \"运行<1/>查看节点。\" is not applied: code <1/> appears twice",
        "line 15: the translation of \"集群有 3 个节点，版本 1.28。\" is not applied: the number 3 is missing",
        // `**“TiDB”**之前` does not pair in CommonMark: the bold would be lost.
        "line 17: the translation of \"安装 <1>TiDB</1> 之前请阅读<2>文档</2>。\" is not applied: the bold or emphasis <1>…</1> would not pair",
        "line 19: the translation of \"待办事项\" is not applied: code <3/> is not in the source",
        "line 24: the translation of \"其他说明。\" is not applied: code <1> is not in the source",
    ] {
        assert!(errors.contains(expected), "missing {expected:?} in:\n{errors}");
    }
    assert!(errors.contains("6 of 11 messages translated; 0 fuzzy and 0 untranslated kept in the source language; 5 refused"));
}

#[test]
fn one_template_for_the_tree_with_references_notes_and_contexts() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .current_dir(case("en-zh"))
        .args(["run", "translate", "--check", "--artifacts"])
        .arg(dir.path())
        .arg("source.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir.path().join("messages.pot")), read(&case("en-zh").join("expected.pot")));
}

#[test]
fn messages_shared_by_documents_are_one_entry() {
    let docs = tree(&[
        ("a.md", "Install the tool.\n\nA cat\n".as_bytes()),
        ("b/c.md", "# Title\n\nInstall the tool.\n\n![A cat](cat.png)\n".as_bytes()),
    ]);
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost().args(["run", "translate", "--check", "--artifacts"]).arg(artifacts.path()).arg(docs.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pot = read(&artifacts.path().join("messages.pot"));
    assert_eq!(pot.matches("msgid \"Install the tool.\"").count(), 1, "{pot}");
    let root = docs.path().display().to_string();
    assert!(pot.contains(&format!("#: {root}/a.md:1 {root}/b/c.md:3\n")), "{pot}");
    // The same words as prose and as alt text are two entries, kept apart by msgctxt.
    assert!(pot.contains(&format!("#: {root}/a.md:3\nmsgid \"A cat\"\n")), "{pot}");
    assert!(pot.contains(&format!("#: {root}/b/c.md:5\nmsgctxt \"image alt text\"\nmsgid \"A cat\"\n")), "{pot}");
}

#[test]
fn a_changed_source_sentence_becomes_fuzzy_with_its_previous_text_and_is_not_applied() {
    let docs = tempfile::tempdir().unwrap();
    let source = read(&case("en-zh").join("source.md")).replace("Run the **upgrade** now", "Run the **upgrade** today");
    std::fs::write(docs.path().join("source.md"), &source).unwrap();
    let previous = case("en-zh").join("zh.po");
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .current_dir(docs.path())
        .args(["run", "translate", "--check", "--allow-read"])
        .arg(&previous)
        .arg("--set")
        .arg(format!("translate.previous={}", previous.display()))
        .arg("--artifacts")
        .arg(artifacts.path())
        .arg("source.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let updated = read(&artifacts.path().join("updated.po"));
    let entry = updated
        .split("\n\n")
        .find(|e| e.contains("msgid \"Run the <1>upgrade</1> today"))
        .unwrap_or_else(|| panic!("no entry for the changed sentence in:\n{updated}"));
    assert!(entry.contains("#, fuzzy\n"), "{entry}");
    assert!(entry.contains("#| msgid \"Run the <1>upgrade</1> now, <2>not</2> later"), "{entry}");
    assert!(entry.contains("#. similarity to the previous source: 9"), "{entry}");
    assert!(entry.contains("msgstr \"现在就<1>升级</1>"), "{entry}");
    assert!(updated.contains("msgid \"Upgrade guide\"\nmsgstr \"升级指南\""), "unchanged messages keep theirs");
    assert!(stderr(&out).contains("updated.po: 19 of 22 messages keep their translation, 2 are fuzzy"), "{}", stderr(&out));

    // The old catalog applied to the new source leaves the changed sentence
    // in the source language.
    let (output, errors) = apply(&docs.path().join("source.md"), &previous, &[]);
    assert!(output.contains("Run the **upgrade** today, *not* later"), "{output}");
    assert!(output.contains("# 升级 Kubernetes {#upgrade}"), "{output}");
    assert!(errors.contains("20 of 23 messages translated; 1 fuzzy and 2 untranslated"), "{errors}");
}

#[test]
fn a_catalog_that_cannot_be_read_stops_the_run_naming_file_and_line() {
    let docs = tree(&[("a.md", b"Hello.\n"), ("bad.po", b"msgid \"Hello.\"\nmsgstr \"a\\q\"\n")]);
    let catalog = docs.path().join("bad.po");
    let out = run(dochost()
        .args(["run", "translate", "--allow-read"])
        .arg(&catalog)
        .arg("--set")
        .arg(format!("translate.catalog={}", catalog.display()))
        .arg(docs.path().join("a.md")));
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains(&format!("catalog {}, line 2: unknown escape `\\q`", catalog.display())), "{err}");

    // Not granted: the host says how to grant it, before any document.
    let out = run(dochost().args(["run", "translate", "--set"]).arg(format!("translate.catalog={}", catalog.display())).arg(docs.path().join("a.md")));
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("--allow-read"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------
// The corpus and the CommonMark spec examples.

/// A catalog of the template's messages, each translated by `translate`.
fn catalog_from(template: &str, translate: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut lines = template.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if let Some(id) = line.strip_prefix("msgid \"").and_then(|l| l.strip_suffix('"')) {
            if !id.is_empty() && lines.peek() == Some(&"msgstr \"\"") {
                lines.next();
                out.push_str(&format!("msgstr \"{}\"\n", translate(id)));
            }
        }
    }
    out
}

/// Extracts a tree's template, applies `catalog(template)` into a new tree;
/// returns (output dir, stderr of the apply run).
fn round_trip(input: &Path, catalog: impl Fn(&str) -> String) -> (tempfile::TempDir, String) {
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost().args(["run", "translate", "--hidden", "--quiet", "--check", "--artifacts"]).arg(artifacts.path()).arg(input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let template = read(&artifacts.path().join("messages.pot"));
    let po = artifacts.path().join("catalog.po");
    std::fs::write(&po, catalog(&template)).unwrap();
    let output = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .args(["run", "translate", "--hidden", "--allow-read"])
        .arg(&po)
        .arg("--set")
        .arg(format!("translate.catalog={}", po.display()))
        .args(["--set", "translate.template=", "--out-dir"])
        .arg(output.path())
        .arg(input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (output, stderr(&out))
}

/// Files whose output differs from their input.
fn changed_files(input: &Path, output: &Path) -> Vec<String> {
    markdown_files(input)
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(input).unwrap();
            let after = std::fs::read(output.join(relative)).unwrap_or_default();
            (std::fs::read(&file).unwrap() != after).then(|| relative.display().to_string())
        })
        .collect()
}

fn count(errors: &str, what: &str) -> usize {
    errors.lines().filter(|l| l.contains(what)).count()
}

/// With an empty catalog, and with every message "translated" to itself
/// (which rebuilds every message from its codes and pieces), every file
/// comes out byte-identical and no message is refused.
fn untranslated_round_trips(input: &Path) {
    let (output, _) = round_trip(input, |template| template.to_string());
    let changed = changed_files(input, output.path());
    assert!(changed.is_empty(), "an empty catalog changed {} files, e.g. {:?}", changed.len(), &changed[..changed.len().min(5)]);

    let (output, errors) = round_trip(input, |template| catalog_from(template, str::to_string));
    let changed = changed_files(input, output.path());
    let files = markdown_files(input).len();
    eprintln!("msgstr = msgid: {}/{files} files byte-identical", files - changed.len());
    assert!(changed.is_empty(), "msgstr = msgid changed {} files, e.g. {:?}", changed.len(), &changed[..changed.len().min(5)]);
    assert_eq!(count(&errors, "translation-refused"), 0, "{}", first_lines(&errors, "translation-refused"));
}

fn first_lines(errors: &str, what: &str) -> String {
    errors.lines().filter(|l| l.contains(what)).take(5).collect::<Vec<_>>().join("\n")
}

#[test]
fn corpus_untranslated_round_trip_is_byte_identical() {
    let Some(corpus) = corpus() else { return };
    untranslated_round_trips(&corpus);
}

#[test]
fn spec_examples_untranslated_round_trip_is_byte_identical() {
    let Some(corpus) = corpus() else { return };
    let examples = spec_examples(&corpus);
    untranslated_round_trips(examples.path());
}

/// Pseudo-translation: letters accented, each message wrapped in markers
/// and given text that needs escaping, codes, numbers and URLs kept. Works
/// on the catalog's escaped form: a backslash escape is copied as it is.
fn pseudo(id: &str) -> String {
    let mut out = String::from("# ⟦");
    let mut chars = id.chars();
    while let Some(c) = chars.next() {
        let rest = chars.as_str();
        if c == 'h' && (rest.starts_with("ttp://") || rest.starts_with("ttps://")) {
            out.push(c);
            while let Some(u) = chars.next() {
                out.push(u);
                if chars.as_str().starts_with(|n: char| n.is_whitespace() || n == '<' || n == '\\') {
                    break;
                }
            }
            continue;
        }
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            'a' => out.push('á'),
            'e' => out.push('é'),
            'o' => out.push('ø'),
            'u' => out.push('ü'),
            'A' => out.push('Å'),
            'E' => out.push('É'),
            c => out.push(c),
        }
    }
    out.push_str(" *[x]* | <i> &amp; _y_ $z$ `w` ⟧");
    out
}

/// What a file is made of, text aside: its blocks, code, URLs.
#[derive(Debug, PartialEq)]
struct Structure {
    blocks: Vec<String>,
    code: Vec<String>,
    urls: Vec<String>,
}

fn structure(markdown: &str) -> Structure {
    // dochost's own reading, so the test compares what plugins are shown.
    let options = dochost::doc::markdown_options();
    let mut s = Structure { blocks: Vec::new(), code: Vec::new(), urls: Vec::new() };
    let mut in_code_block = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                s.blocks.push(format!("{kind:?}"));
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(text) if in_code_block => s.code.push(text.to_string()),
            Event::Start(
                tag @ (Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::MetadataBlock(_)),
            ) => s.blocks.push(format!("{tag:?}")),
            Event::Rule => s.blocks.push("Rule".into()),
            Event::Code(code) => s.code.push(code.to_string()),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => s.urls.push(dest_url.to_string()),
            _ => {}
        }
    }
    s
}

/// Runs the pseudo-translation; returns (messages, refused).
fn pseudo_translation_keeps_structure(input: &Path) -> (usize, usize) {
    let (output, errors) = round_trip(input, |template| catalog_from(template, pseudo));
    let files = markdown_files(input);
    let differ: Vec<String> = files
        .iter()
        .map(|file| file.strip_prefix(input).unwrap())
        .filter(|relative| structure(&read(&input.join(relative))) != structure(&read(&output.path().join(relative))))
        .map(|relative| relative.display().to_string())
        .collect();
    let refused = count(&errors, "translation-refused");
    let coverage = errors.lines().find(|l| l.contains("info[translation-coverage]")).expect("a coverage line");
    let messages: usize = coverage.split(" of ").nth(1).and_then(|r| r.split(' ').next()).unwrap().parse().unwrap();
    eprintln!(
        "pseudo-translation: structure kept in {}/{} files; {refused} of {messages} messages refused",
        files.len() - differ.len(),
        files.len()
    );
    if let Some(first) = differ.first() {
        let (before, after) = (structure(&read(&input.join(first))), structure(&read(&output.path().join(first))));
        let show = |a: &[String], b: &[String]| {
            let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            format!("{:?} became {:?}", a.get(at), b.get(at))
        };
        panic!(
            "structure changed in {} files, e.g. {:?}; in {first}: blocks: {}; code: {}; urls: {}",
            differ.len(),
            &differ[..differ.len().min(5)],
            show(&before.blocks, &after.blocks),
            show(&before.code, &after.code),
            show(&before.urls, &after.urls)
        );
    }
    (messages, refused)
}

#[test]
fn corpus_pseudo_translation_keeps_every_files_structure() {
    let Some(corpus) = corpus() else { return };
    // A refused message stays in the source language, so structure holds
    // regardless; what is refused is what the checks could not prove.
    let (messages, refused) = pseudo_translation_keeps_structure(&corpus);
    assert!(refused * 1000 < messages, "{refused} of {messages} messages refused");
}

#[test]
fn spec_examples_pseudo_translation_keeps_structure() {
    let Some(corpus) = corpus() else { return };
    let examples = spec_examples(&corpus);
    pseudo_translation_keeps_structure(examples.path());
}

// ---------------------------------------------------------------------------
// Machine translation, against a local server speaking LibreTranslate's and
// the OpenAI chat API's shapes, with deterministic answers.

/// How the fake engine answers one message (LibreTranslate's HTML form).
fn engine_answer(q: &str) -> String {
    if q.contains("Drop") {
        // Loses the standalone code.
        format!("【{}】", q.replace("<x id=\"1\"/>", ""))
    } else if q.contains("Extra") {
        format!("【{q}<x id=\"9\"/>】")
    } else if q.contains("Empty") {
        String::new()
    } else if q.contains("Move") {
        // Moves the paired code to the end, as a reordering language would.
        let inner = q.split("<g id=\"1\">").nth(1).and_then(|r| r.split("</g>").next()).unwrap_or_default();
        let rest = q.replace(&format!("<g id=\"1\">{inner}</g>"), "");
        format!("【{rest}<g id=\"1\">{inner}</g>】")
    } else {
        format!("【{q}】")
    }
}

/// A server on 127.0.0.1; the first path segment picks its behaviour:
/// `/ok` answers (LibreTranslate at `/ok/translate`, OpenAI at
/// `/ok/v1/chat/completions`), `/fail` answers 500, `/junk` answers text
/// that is not JSON, `/slow` answers after 3 s. Returns the address and the
/// number of requests it has seen.
fn mt_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use support::http::Response;
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = seen.clone();
    let address = support::http::serve(move |request| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let path = request.path.as_str();
        if path.starts_with("/fail") {
            Response::new("500 Internal Server Error", "engine exploded")
        } else if path.starts_with("/junk") {
            Response::new("200 OK", "<html>not an API</html>")
        } else if path.starts_with("/slow") {
            std::thread::sleep(std::time::Duration::from_secs(3));
            Response::new("200 OK", "{}")
        } else if path.ends_with("/v1/chat/completions") {
            let message = body["messages"][1]["content"].as_str().unwrap_or_default();
            let content = format!("«{message}»");
            Response::new("200 OK", serde_json::json!({ "choices": [{ "message": { "content": content } }] }).to_string())
        } else {
            let texts: Vec<String> =
                body["q"].as_array().into_iter().flatten().map(|q| engine_answer(q.as_str().unwrap())).collect();
            Response::new("200 OK", serde_json::json!({ "translatedText": texts }).to_string())
        }
    });
    (address, seen)
}

const MT_DOC: &str = "# Guide {#guide}\n\nPlain sentence one.\n\nMove the <kbd>bold</kbd> word.\n\nDrop the `code` here.\n\nExtra words.\n\nEmpty answer.\n";

/// `dochost run translate` with machine translation from `url`; (exit code, stdout, stderr, machine.po).
fn machine(url: &str, address: &str, extra: &[&str]) -> (Option<i32>, String, String, String) {
    let docs = tree(&[("doc.md", MT_DOC.as_bytes())]);
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .current_dir(docs.path())
        .args(["run", "translate", "--allow-net", address, "--net-timeout", "1"])
        .args(["--set", "translate.mt=libretranslate", "--set"])
        .arg(format!("translate.mt-url={url}"))
        .args(["--set", "translate.target-language=zh", "--artifacts"])
        .arg(artifacts.path())
        .args(extra)
        .arg("doc.md"));
    let catalog = std::fs::read_to_string(artifacts.path().join("machine.po")).unwrap_or_default();
    (out.status.code(), stdout(&out), stderr(&out), catalog)
}

#[test]
fn machine_translations_are_checked_and_written_for_review() {
    let (address, _) = mt_server();
    let (code, output, errors, catalog) = machine(&format!("http://{address}/ok"), &address, &[]);
    assert_eq!(code, Some(0), "{errors}");
    assert_eq!(output, MT_DOC, "not applied unless asked");
    // Passed the checks: written as fuzzy entries for review.
    assert!(catalog.contains("#, fuzzy\nmsgid \"Plain sentence one.\"\nmsgstr \"【Plain sentence one.】\""), "{catalog}");
    assert!(catalog.contains("msgid \"Move the <1>bold</1> word.\"\nmsgstr \"【Move the  word.<1>bold</1>】\""), "{catalog}");
    // Failed them: reported with the engine's answer, not written.
    assert!(errors.contains("line 7: the translation of \"Drop the <1/> here.\" is not applied: the machine translation \"【Drop the  here.】\" fails a check: code <1/> is missing"), "{errors}");
    assert!(errors.contains("fails a check: code <9/> is not in the source"), "{errors}");
    assert!(errors.contains("line 11: the translation of \"Empty answer.\" is not applied: the machine translation \"\" fails a check: the engine's answer is empty"), "{errors}");
    assert!(!catalog.contains("Drop the"), "{catalog}");
}

#[test]
fn machine_translations_are_applied_when_asked() {
    let (address, _) = mt_server();
    let (code, output, errors, _) = machine(&format!("http://{address}/ok"), &address, &["--set", "translate.mt-apply=true"]);
    assert_eq!(code, Some(0), "{errors}");
    assert!(output.contains("# 【Guide】 {#guide}\n"), "{output}");
    assert!(output.contains("\n【Move the  word.<kbd>bold</kbd>】\n"), "{output}");
    assert!(output.contains("\nDrop the `code` here.\n"), "a failed check leaves the source: {output}");
    assert!(errors.contains("3 of 6 messages translated (3 by machine)"), "{errors}");
}

#[test]
fn the_openai_chat_shape_is_spoken_too() {
    let (address, _) = mt_server();
    let docs = tree(&[("doc.md", b"Hello *world*.\n")]);
    let out = run(dochost()
        .current_dir(docs.path())
        .args(["run", "translate", "--allow-net", &address])
        .args(["--set", "translate.mt=openai", "--set"])
        .arg(format!("translate.mt-url=http://{address}/ok"))
        .args(["--set", "translate.target-language=Chinese", "--set", "translate.mt-model=test", "--set", "translate.mt-apply=true", "doc.md"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "«Hello *world*.»\n");
}

#[test]
fn a_server_that_fails_or_answers_nonsense_is_a_clear_error() {
    let (address, _) = mt_server();
    let (code, _, errors, _) = machine(&format!("http://{address}/fail"), &address, &[]);
    assert_eq!(code, Some(2));
    assert!(errors.contains(&format!("libretranslate server http://{address}/fail/translate answered 500: engine exploded")), "{errors}");

    let (_, _, errors, _) = machine(&format!("http://{address}/junk"), &address, &[]);
    assert!(errors.contains("answered something that is not JSON"), "{errors}");

    let (_, _, errors, _) = machine(&format!("http://{address}/slow"), &address, &[]);
    assert!(errors.contains("cannot be reached") && errors.contains("no answer in time"), "{errors}");

    // Nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let (code, _, errors, _) = machine(&format!("http://{closed}"), &closed, &[]);
    assert_eq!(code, Some(2));
    assert!(errors.contains(&format!("libretranslate server http://{closed}/translate cannot be reached")), "{errors}");
}

#[test]
fn requests_are_batched_and_capped() {
    let (address, seen) = mt_server();
    let (code, _, errors, catalog) = machine(&format!("http://{address}/ok"), &address, &["--jobs", "1", "--set", "translate.mt-batch=2", "--set", "translate.mt-limit=2"]);
    assert_eq!(code, Some(0), "{errors}");
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2, "two requests of two messages each");
    assert_eq!(catalog.matches("#, fuzzy").count(), 3, "{catalog}");
}

#[test]
fn a_translation_memory_is_written_by_one_run_and_reused_by_the_next() {
    let catalog = case("en-zh").join("zh.po");
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .current_dir(case("en-zh"))
        .args(["run", "translate", "--allow-read"])
        .arg(&catalog)
        .arg("--set")
        .arg(format!("translate.catalog={}", catalog.display()))
        .args(["--set", "translate.template=", "--artifacts"])
        .arg(artifacts.path())
        .arg("source.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let memory = artifacts.path().join("memory.jsonl");
    let pairs = read(&memory);
    // Applied translations only: the fuzzy "Meaning" and the untranslated title are not in it.
    assert!(pairs.contains("{\"context\":null,\"source\":\"Install the tool\",\"target\":\"安装工具\"}\n"), "{pairs}");
    assert!(!pairs.contains("Meaning") && !pairs.contains("Guide title"), "{pairs}");
    assert_eq!(pairs.lines().count(), 20, "{pairs}");

    // Another tree, no catalog: what the memory knows is translated.
    let docs = tree(&[("other.md", "## Install the tool\n\nSomething new.\n".as_bytes())]);
    let out = run(dochost()
        .current_dir(docs.path())
        .args(["run", "translate", "--allow-read"])
        .arg(&memory)
        .arg("--set")
        .arg(format!("translate.memory={}", memory.display()))
        .arg("other.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "## 安装工具\n\nSomething new.\n");
    assert!(stderr(&out).contains("1 of 2 messages translated (1 from memory); 0 fuzzy and 1 untranslated"), "{}", stderr(&out));
}

#[test]
fn glossary_terms_are_kept_as_codes_and_required_ones_checked() {
    let docs = tree(&[
        ("doc.md", "Deploy Kubernetes on a cluster.\n\nThe Kubernetes\ncluster is ready.\n".as_bytes()),
        ("glossary.csv", "source,target,flag\nKubernetes,,dnt\ncluster,集群,\n".as_bytes()),
    ]);
    let glossary = docs.path().join("glossary.csv");
    let grant = |cmd: &mut std::process::Command| {
        cmd.current_dir(docs.path())
            .args(["run", "translate", "--allow-read"])
            .arg(&glossary)
            .arg("--set")
            .arg(format!("translate.glossary={}", glossary.display()));
    };
    let artifacts = tempfile::tempdir().unwrap();
    let mut extract = dochost();
    grant(&mut extract);
    let out = run(extract.args(["--check", "--artifacts"]).arg(artifacts.path()).arg("doc.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pot = read(&artifacts.path().join("messages.pot"));
    assert!(pot.contains("#. codes: <1/> is Kubernetes (glossary: do not translate)\n#: doc.md:1\nmsgid \"Deploy <1/> on a cluster.\""), "{pot}");
    assert!(pot.contains("msgid \"The <1/> cluster is ready.\""), "a soft break is no obstacle: {pot}");

    let catalog = docs.path().join("zh.po");
    std::fs::write(&catalog, "msgid \"Deploy <1/> on a cluster.\"\nmsgstr \"在群集上部署 <1/>。\"\n\nmsgid \"The <1/> cluster is ready.\"\nmsgstr \"<1/> 集群已就绪。\"\n").unwrap();
    let mut apply = dochost();
    grant(&mut apply);
    let out = run(apply.arg("--allow-read").arg(&catalog).arg("--set").arg(format!("translate.catalog={}", catalog.display())).arg("doc.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "在群集上部署 Kubernetes。\n\nKubernetes 集群已就绪。\n");
    let errors = stderr(&out);
    assert!(errors.contains("doc.md:1:1: warning[glossary-term]: line 1: the glossary translates “cluster” as “集群”, which the translation does not use"), "{errors}");
    assert_eq!(errors.matches("glossary-term").count(), 1, "{errors}");
}

#[test]
fn xliff_is_written_beside_the_template_and_applied_like_po() {
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost()
        .current_dir(case("en-zh"))
        .args(["run", "translate", "--check", "--set", "translate.xliff=messages.xlf", "--set", "translate.target-language=zh", "--artifacts"])
        .arg(artifacts.path())
        .arg("source.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xliff = read(&artifacts.path().join("messages.xlf"));
    assert!(xliff.contains("srcLang=\"en\" trgLang=\"zh\""), "{xliff}");
    assert!(xliff.contains("<source>Run the <pc id=\"1\">upgrade</pc> now, <pc id=\"2\">not</pc> later: it takes ~3 hours for 3 nodes.</source>"), "{xliff}");
    assert!(xliff.contains("<source>Footnotes work too.<ph id=\"1\"/></source>"), "{xliff}");
    assert_eq!(xliff.matches("<unit ").count(), read(&case("en-zh").join("expected.pot")).matches("\nmsgid ").count());

    // zh.xlf holds the translations of zh.po, "Meaning" as state="initial".
    let (output, errors) = apply(&case("en-zh").join("source.md"), &case("en-zh").join("zh.xlf"), &[]);
    assert_eq!(output, read(&case("en-zh").join("expected.md")));
    assert!(errors.contains("21 of 23 messages translated; 1 fuzzy and 1 untranslated"), "{errors}");
}

/// Apertium APy with its Debian English-Spanish pair (installed by
/// `.ci/setup` where apt is available), on a free port of 127.0.0.1.
struct Apertium {
    child: std::process::Child,
    address: String,
}

impl Drop for Apertium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn apertium() -> Option<Apertium> {
    let modes = Path::new("/usr/share/apertium/modes");
    let found = std::process::Command::new("apertium-apy").arg("--help").output().is_ok_and(|o| o.status.success());
    if !found || !modes.join("eng-spa.mode").exists() {
        eprintln!("notice: apertium-apy or its eng-spa pair is not installed (bash .ci/setup installs them where apt is available); skipping the Apertium test");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new("apertium-apy")
        .args(["-p", &port.to_string()])
        .arg(modes)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("cannot start apertium-apy");
    let server = Apertium { child, address: format!("127.0.0.1:{port}") };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(&server.address).is_err() {
        assert!(std::time::Instant::now() < deadline, "apertium-apy did not start listening in 60 s");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Some(server)
}

#[test]
fn apertium_translates_english_to_spanish_end_to_end() {
    let Some(server) = apertium() else { return };
    let docs = tree(&[("doc.md", "# The black cat {#cat}\n\nThe cat is *black* and the dog is white. See `cat --help`.\n".as_bytes())]);
    let out = run(dochost()
        .current_dir(docs.path())
        .args(["run", "translate", "--allow-net", &server.address, "--net-timeout", "60"])
        .args(["--set", "translate.mt=apertium", "--set"])
        .arg(format!("translate.mt-url=http://{}", server.address))
        .args(["--set", "translate.source-language=eng", "--set", "translate.target-language=spa", "--set", "translate.mt-apply=true"])
        .arg("doc.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let output = stdout(&out);
    eprintln!("Apertium wrote:\n{output}");
    let lines: Vec<&str> = output.lines().collect();
    assert!(lines[0].starts_with("# ") && lines[0].ends_with(" {#cat}") && lines[0].contains("gato"), "{output}");
    // Emphasis and code span kept where Apertium put them, the code untouched.
    assert!(lines[2].contains("gato") && lines[2].contains("`cat --help`"), "{output}");
    assert_eq!(lines[2].matches('*').count(), 2, "{output}");
    assert!(stderr(&out).contains("2 of 2 messages translated (2 by machine)"), "{}", stderr(&out));
}

#[test]
fn math_beside_a_backtick_is_left_out_because_dialects_disagree_on_it() {
    // pulldown-cmark reads `$HOME … `$` as math; GitHub's renderer reads a
    // code span `$PATH`. Offering the text between could break the code.
    let docs = tree(&[("doc.md", "Add *$HOME/.cargo/bin*. Ensure it is in your `$PATH` now.\n\nEnergy is $E = mc^2$ here.\n".as_bytes())]);
    let artifacts = tempfile::tempdir().unwrap();
    let out = run(dochost().current_dir(docs.path()).args(["run", "translate", "--check", "--artifacts"]).arg(artifacts.path()).arg("doc.md"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pot = read(&artifacts.path().join("messages.pot"));
    assert!(!pot.contains("Ensure"), "{pot}");
    assert!(pot.contains("msgid \"Energy is <1/> here.\""), "plain math is a code: {pot}");
    assert!(stderr(&out).contains("doc.md:1:1: info[not-offered]: a message is left out of the catalog: it holds `$` math next to a backtick"), "{}", stderr(&out));
}
