//! Repairs texts for the benchmark: reads JSON Lines `{"id": …, "text": …}`
//! on stdin and writes `{"id": …, "text": <repaired>}` per line, using the
//! same [`repair`] function the plugin calls.

use dochost_plugin_mojibake::repair::repair;
use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.expect("read stdin");
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = serde_json::from_str(&line).expect("a JSON object per line");
        let text = record["text"].as_str().expect("a `text` string");
        let fixed = repair(text);
        let answer = serde_json::json!({ "id": record["id"], "text": fixed.text });
        writeln!(out, "{answer}").expect("write stdout");
    }
}
