//! A plugin written the way a Go, C or Zig author would write one: a WASI
//! preview 1 command that reads one JSON request on stdin and prints one
//! JSON answer on stdout (docs/json-protocol.md). No dochost crate, only
//! serde.
//!
//! It does what `plugins/testing/scripted` does (edits from its `edits`
//! option, one per line: `OP,KIND,NTH,VALUE`, `OP,id,ID,VALUE` or
//! `splice,START,END,VALUE`, `\n` in VALUE for a line break), so the tests can
//! compare the two kinds of plugin, and misbehaves on request with
//! `mode=loop|exit|garbage|error|read|env|stderr|alloc` (with `when=TEXT`: only on
//! documents containing TEXT).

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
enum Request {
    Describe,
    Transform { document: Document, config: Vec<(String, String)> },
}

#[derive(Deserialize)]
struct Document {
    #[allow(dead_code)]
    path: String,
    source: String,
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Node {
    kind: String,
    // Read, though unused, to check the host sends every WIT field.
    #[allow(dead_code)]
    parent: Option<u32>,
    #[allow(dead_code)]
    span: Span,
    #[allow(dead_code)]
    link_kind: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct Edit {
    op: Value,
    reason: Option<String>,
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("cannot read stdin");
    let request: Request = serde_json::from_str(&input).expect("the request is not valid JSON");
    let answer = match request {
        Request::Describe => json!({
            "name": "p1-json",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Applies edits from its options, over JSON",
            "options": [
                {"name": "edits", "description": "one edit per line: OP,KIND,NTH,VALUE or splice,START,END,VALUE", "default": null},
                {"name": "mode", "description": "loop, exit, garbage, error, read, env, stderr, alloc", "default": null},
                {"name": "path", "description": "file to read in mode=read", "default": null},
                {"name": "when", "description": "only misbehave on documents whose source contains this", "default": null},
            ],
        }),
        Request::Transform { document, config } => {
            let get = |key: &str| config.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let mode = match get("when") {
                Some(marker) if !document.source.contains(marker) => "",
                _ => get("mode").unwrap_or(""),
            };
            match misbehave(mode, get("path"), &document) {
                Some(answer) => answer,
                None => match transform(&document, get("edits").unwrap_or("")) {
                    Ok(edits) => json!({"ok": {"edits": edits, "diagnostics": [], "artifacts": []}}),
                    Err(message) => json!({"error": message}),
                },
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &answer).expect("cannot write stdout");
    stdout.flush().expect("cannot flush stdout");
}

/// `None`: behave.
fn misbehave(mode: &str, path: Option<&str>, doc: &Document) -> Option<Value> {
    let observed = |message: String| {
        json!({"ok": {"diagnostics": [{"severity": "info", "code": "observed", "message": message, "node": null, "span": null}]}})
    };
    match mode {
        "" => None,
        "loop" => {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
        "alloc" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1u8; 16 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        "exit" => {
            eprintln!("giving up on a document of {} bytes", doc.source.len());
            std::process::exit(3);
        }
        "garbage" => {
            println!("this is not JSON, {} nodes", doc.nodes.len());
            std::process::exit(0);
        }
        "error" => Some(json!({"error": "deliberate error"})),
        "read" => {
            let path = path.unwrap_or("");
            Some(match std::fs::read_to_string(path) {
                Ok(text) => observed(format!("read {} bytes", text.len())),
                Err(e) => json!({"error": format!("cannot read {path}: {e}")}),
            })
        }
        "env" => {
            let vars: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
            let args: Vec<String> = std::env::args().collect();
            Some(observed(format!("vars={vars:?} args={args:?}")))
        }
        "stderr" => {
            eprintln!("a line on stderr");
            Some(json!({"ok": {}}))
        }
        other => Some(json!({"error": format!("unknown mode `{other}`")})),
    }
}

/// What `scripted` does, edit for edit and reason for reason.
fn transform(doc: &Document, script: &str) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    for line in script.lines().filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.splitn(4, ',').collect();
        let [op, a, b, value] = parts[..] else {
            return Err(format!("bad edit line `{line}`"));
        };
        let value = value.replace("\\n", "\n");
        let reason = Some(format!("scripted {line}"));
        if op == "splice" {
            let num = |s: &str| s.parse::<u32>().map_err(|e| format!("{line}: {e}"));
            let span = Span { start: num(a)?, end: num(b)? };
            edits.push(Edit { op: json!({"splice": {"span": span, "value": value}}), reason });
            continue;
        }
        let ids: Vec<u32> = if a == "id" {
            vec![b.parse().map_err(|e| format!("{line}: {e}"))?]
        } else {
            if !KINDS.contains(&a) {
                return Err(format!("unknown kind `{a}`"));
            }
            let all: Vec<u32> = (0..doc.nodes.len() as u32).filter(|&id| doc.nodes[id as usize].kind == a).collect();
            if b == "*" {
                all
            } else {
                let nth: usize = b.parse().map_err(|e| format!("{line}: {e}"))?;
                vec![*all.get(nth).ok_or(format!("no {a} #{nth}"))?]
            }
        };
        for id in ids {
            let op = match op {
                "remove" => json!({"remove": id}),
                "set-text" | "replace" | "insert-before" | "insert-after" | "set-url" | "set-title" | "set-info" => {
                    json!({op: {"node": id, "value": value}})
                }
                other => return Err(format!("unknown op `{other}`")),
            };
            edits.push(Edit { op, reason: reason.clone() });
        }
    }
    Ok(edits)
}

/// The kinds `scripted` accepts by name.
const KINDS: &[&str] = &[
    "document",
    "front-matter",
    "paragraph",
    "heading",
    "code-block",
    "html-block",
    "list-item",
    "table-cell",
    "link-definition",
    "text",
    "code",
    "inline-html",
    "emphasis",
    "link",
    "image",
];
