//! JSON protocol 0.2.0 (docs/json-protocol.md) written out by hand, the way
//! a C or Zig author would: read a request per line on stdin, print one
//! answer per line on stdout, ask the index in-band. No dochost crate.
//!
//! It does what the component test plugins `counter` and `tree` do, so the
//! tests can compare the two kinds of plugin message for message:
//! `mode=counter` numbers the documents this instance transformed
//! (`document N of this session`) and `finish` lists them from the facts;
//! `mode=tree` reports, for each link to another document, that document's
//! title (a fact from `scan`) and heading count (from the index), and for
//! other links whether the tree holds the file. It misbehaves on request
//! on documents whose source contains the marker given as `trap-on`,
//! `exit-on`, `quit-on`, `pretty-on` or `loop-on`; `reject=true` makes
//! `open` fail.

use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
enum Request {
    Describe,
    Open { config: Vec<(String, String)> },
    Scan { document: Document },
    Transform { document: Document },
    Finish,
}

#[derive(Deserialize)]
struct Document {
    path: String,
    source: String,
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    kind: String,
    children: Vec<u32>,
    text: Option<String>,
    url: Option<String>,
}

#[derive(Default)]
struct Session {
    config: Vec<(String, String)>,
    seen: u64,
}

impl Session {
    fn get(&self, key: &str) -> &str {
        self.config.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
    }

    fn marked(&self, key: &str, doc: &Document) -> bool {
        let marker = self.get(key);
        !marker.is_empty() && doc.source.contains(marker)
    }
}

fn main() {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut session = Session::default();
    while let Some(line) = lines.next() {
        let line = line.expect("cannot read stdin");
        let request: Request = serde_json::from_str(&line).expect("a request is one line of JSON");
        let answer = match request {
            Request::Describe => describe(),
            Request::Open { config } => {
                session.config = config;
                if session.get("reject") == "true" {
                    json!({"error": "rejected on request"})
                } else {
                    json!({"ok": null})
                }
            }
            Request::Scan { document } => json!({"ok": [{"key": "title", "value": title(&document)}]}),
            Request::Transform { document } => transform(&mut session, &document, &mut lines),
            Request::Finish if session.get("mode") == "tree" => json!({"ok": {}}),
            Request::Finish => finish(&mut lines),
        };
        print_line(&answer);
    }
}

fn describe() -> Value {
    json!({
        "protocol": "0.2.0",
        "name": "p1-session",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Counts documents and reads the tree, over JSON lines",
        "tree-wide": true,
        "options": [
            {"name": "mode", "description": "counter or tree", "default": "counter", "kind": "text", "required": false},
            {"name": "start", "description": "the number of the first document", "default": "1", "kind": "integer", "required": false},
            {"name": "reject", "description": "fail open", "default": "false", "kind": "flag", "required": false},
            {"name": "trap-on", "description": "trap on documents containing this", "default": null, "kind": "text", "required": false},
            {"name": "exit-on", "description": "exit 3 on documents containing this", "default": null},
            {"name": "quit-on", "description": "exit 0 without answering on documents containing this", "default": null},
            {"name": "pretty-on", "description": "answer over several lines for documents containing this", "default": null},
            {"name": "loop-on", "description": "loop forever on documents containing this", "default": null},
        ],
    })
}

fn print_line(value: &Value) {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, value).expect("cannot write stdout");
    stdout.write_all(b"\n").and_then(|()| stdout.flush()).expect("cannot write stdout");
}

/// Ask the index: print the query, read the answer on the next line.
fn query(lines: &mut impl Iterator<Item = std::io::Result<String>>, query: Value) -> Value {
    print_line(&query);
    let line = lines.next().expect("the host answers every query").expect("cannot read stdin");
    serde_json::from_str(&line).expect("the host's answer is JSON")
}

/// The text of a document's first heading.
fn title(doc: &Document) -> String {
    let Some(heading) = doc.nodes.iter().position(|n| n.kind == "heading") else { return String::new() };
    let mut out = String::new();
    let mut stack = vec![heading as u32];
    while let Some(id) = stack.pop() {
        let node = &doc.nodes[id as usize];
        match node.kind.as_str() {
            "text" | "code" => out.push_str(node.text.as_deref().unwrap_or("")),
            "soft-break" | "hard-break" => out.push(' '),
            _ => stack.extend(node.children.iter().rev()),
        }
    }
    out
}

fn info(code: &str, message: String, node: Option<usize>) -> Value {
    json!({"severity": "info", "code": code, "message": message, "node": node, "span": null})
}

fn transform(session: &mut Session, doc: &Document, lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Value {
    if session.marked("trap-on", doc) {
        panic!("deliberate trap on {}", doc.path);
    }
    if session.marked("exit-on", doc) {
        eprintln!("giving up on {}", doc.path);
        std::process::exit(3);
    }
    if session.marked("quit-on", doc) {
        std::process::exit(0);
    }
    if session.marked("loop-on", doc) {
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
    if session.marked("pretty-on", doc) {
        println!("{}", serde_json::to_string_pretty(&json!({"ok": {}})).unwrap());
        return json!({"ok": {}});
    }
    if session.get("mode") == "tree" {
        return json!({"ok": {"diagnostics": tree(doc, lines)}});
    }
    let number = session.get("start").trim().parse::<u64>().expect("the host checked `start`") + session.seen;
    session.seen += 1;
    json!({"ok": {
        "diagnostics": [info("counter", format!("document {number} of this session"), None)],
        "facts": [{"key": "seen", "value": number.to_string()}],
    }})
}

/// What the component `tree` reports, read from the index in-band.
fn tree(doc: &Document, lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Vec<Value> {
    let dir = doc.path.rsplit_once('/').map_or("", |(d, _)| d);
    let titles = query(lines, json!({"query": "facts", "key": "title"}));
    let mut out = Vec::new();
    for (id, node) in doc.nodes.iter().enumerate().filter(|(_, n)| n.kind == "link") {
        let url = node.url.clone().unwrap_or_default();
        if url.contains("://") {
            continue;
        }
        let target = if dir.is_empty() { url.clone() } else { format!("{dir}/{url}") };
        if !url.ends_with(".md") {
            let files = query(lines, json!({"query": "files"}));
            let found = files.as_array().unwrap().iter().any(|f| f == &json!(target));
            let roots = query(lines, json!({"query": "roots"}));
            let roots: Vec<&str> = roots.as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            let message = format!("{url} in the tree under {}: {found}", roots.join(", "));
            out.push(info("file-target", message, Some(id)));
            continue;
        }
        let title = titles.as_array().unwrap().iter().find(|f| f["path"] == json!(target));
        let headings = query(lines, json!({"query": "headings", "path": target}));
        match (title, headings.as_array()) {
            (Some(title), Some(headings)) => out.push(info(
                "link-target",
                format!("{url} is titled `{}` and has {} headings", title["value"].as_str().unwrap(), headings.len()),
                Some(id),
            )),
            _ => out.push(json!({"severity": "warning", "code": "link-target",
                "message": format!("{url} is not a document of this run"), "node": id, "span": null})),
        }
    }
    out
}

fn finish(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> Value {
    let seen = query(lines, json!({"query": "facts", "key": "seen"}));
    let seen = seen.as_array().unwrap();
    let listing: String = seen.iter().map(|f| format!("{} {}\n", f["path"].as_str().unwrap(), f["value"].as_str().unwrap())).collect();
    json!({"ok": {
        "diagnostics": [{"severity": "info", "code": "counter-total", "message": format!("{} documents transformed", seen.len()), "path": null}],
        "artifacts": [{"name": "counter.txt", "content": listing}],
    }})
}
