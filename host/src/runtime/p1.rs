//! Plugins that are WASI preview 1 command modules (core WebAssembly), for
//! languages without component tooling: C, Zig, AssemblyScript, Rust's
//! `wasm32-wasip1`.
//!
//! The JSON mirrors the WIT types of `wit/plugin.wit` field for field
//! (kebab-case names, enums as strings, `option<T>` as the value or `null`,
//! variants as `{"case": payload}`, tuples as arrays);
//! `docs/json-protocol.md` is the reference. It has two versions, which a
//! module names in its answer to `describe` (`"protocol": "0.2.0"`; none
//! is 0.1.0):
//!
//! - 0.1.0, the one pandoc JSON filters use: each call runs `_start` in a
//!   fresh instance with one JSON request on stdin, and reads one JSON
//!   answer from stdout (here);
//! - 0.2.0, contract 0.2 over JSON lines: one instance per session answers
//!   `open`, `scan`, `transform` and `finish` for many documents, and asks
//!   the tree index in-band (`p1_session`).
//!
//! `describe` is sent the 0.1.0 way to every module: one line, then end of
//! file, which a module of either version answers.
//!
//! The sandbox is the components': the same grants, no environment or
//! arguments, stderr forwarded behind the plugin's name, the same memory
//! cap and deadline. Exiting with status 0 is success; any other status fails
//! the call with the plugin's stderr.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use wasmtime::{InstancePre, Linker, Module, Store, StoreLimits};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::I32Exit;

use std::sync::{Arc, OnceLock};

use super::capture::forward;
use super::engine::Runtime;
use super::error::PluginError;
use super::p1_session::JsonSession;
use super::plugin::{
    Binary, DocumentRef, OptionKind, PluginInfo, PluginOption, PluginOutput, RunDiagnostic, RunOutput, Session,
};
use crate::doc::{self, LinkKind, Node, NodeTable, TreeIndex};

/// How much of a failed plugin's stderr goes into the error message.
const STDERR_IN_ERROR: usize = 4000;
/// How much of an answer that is not JSON the error message shows.
const ANSWER_EXCERPT: usize = 120;

/// Per-instance state: the WASI preview 1 context and the memory cap.
pub(super) struct State {
    pub(super) wasi: WasiP1Ctx,
    pub(super) limits: StoreLimits,
}

/// The versions of the JSON protocol this host speaks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Protocol {
    /// One request per run of the module (contract 0.1.0 over JSON).
    V0_1,
    /// Sessions, one JSON line per request (contract 0.2.0 over JSON).
    V0_2,
}

impl Protocol {
    /// What `inspect` shows as the contract.
    fn contract(self) -> &'static str {
        match self {
            Protocol::V0_1 => "json",
            Protocol::V0_2 => "json 0.2.0",
        }
    }
}

/// A core module linked against WASI preview 1, ready to be run once per
/// call.
#[derive(Clone)]
pub(super) struct P1Plugin {
    pre: InstancePre<State>,
    /// The version the module named in `describe`.
    protocol: Arc<OnceLock<Protocol>>,
}

impl P1Plugin {
    pub(super) fn new(runtime: &Runtime, origin: &str, module: &Module) -> Result<Self> {
        let is_command = module
            .get_export("_start")
            .and_then(|export| export.func().cloned())
            .is_some_and(|ty| ty.params().len() == 0 && ty.results().len() == 0);
        if !is_command {
            anyhow::bail!(
                "{origin} is a core WebAssembly module but not a WASI preview 1 command (it does not export \
                 `_start`); a plugin is either a component built for wasm32-wasip2 or a command module built \
                 for wasm32-wasip1 that speaks the JSON protocol of docs/json-protocol.md"
            );
        }
        let mut linker = Linker::<State>::new(&runtime.engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |state| &mut state.wasi)?;
        let pre = linker.instantiate_pre(module).map_err(|e| {
            anyhow::anyhow!(
                "{origin} is not a dochost plugin: a core module must be a WASI preview 1 command that \
                 imports nothing beyond `wasi_snapshot_preview1`: {e:#}"
            )
        })?;
        Ok(P1Plugin { pre, protocol: Arc::default() })
    }

    fn transform(
        &self,
        runtime: &Runtime,
        prefix: &str,
        doc: DocumentRef<'_>,
        config: &[(String, String)],
    ) -> Result<PluginOutput, PluginError> {
        let request = Request::Transform { document: JsonDocument::of(doc), config };
        let stdout = self.run(runtime, prefix, &request)?;
        match parse_answer::<Answer>(&stdout)? {
            Answer::Ok(output) => Ok(output.into()),
            Answer::Error(message) => Err(PluginError::Failed(message)),
        }
    }

    /// Run `_start` once in a fresh store with `request` on stdin; return
    /// what it printed on stdout.
    fn run(&self, runtime: &Runtime, prefix: &str, request: &Request<'_>) -> Result<Vec<u8>, PluginError> {
        let limits = &runtime.limits;
        let mut stdin = serde_json::to_vec(request)
            .map_err(|e| PluginError::Trap(format!("cannot encode the request: {e}")))?;
        // One line, so that a module of protocol 0.2.0 reads `describe` too.
        stdin.push(b'\n');
        // The answer cannot sensibly be larger than the plugin's memory.
        let (wasi, stdout, stderr) = runtime
            .grants
            .context_p1(stdin, limits.max_memory)
            .map_err(|e| PluginError::Trap(format!("{e:#}")))?;
        let mut store = Store::new(&runtime.engine, State { wasi, limits: limits.store_limits() });
        store.limiter(|state| &mut state.limits);
        limits.arm_deadline(&mut store);
        let result = self
            .pre
            .instantiate(&mut store)
            .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
            .and_then(|start| start.call(&mut store, ()));
        drop(store);
        let stderr = stderr.contents();
        if let Err(err) = result {
            match err.downcast_ref::<I32Exit>() {
                Some(I32Exit(0)) => {}
                Some(&I32Exit(code)) => return Err(PluginError::Exited { code, stderr: tail(&stderr) }),
                None => {
                    forward(prefix, &stderr);
                    if err.chain().any(|e| e.to_string().contains("write beyond capacity of MemoryOutputPipe")) {
                        return Err(PluginError::TooMuchOutput(format!(
                            "it wrote more than {} MiB to stdout or 1 MiB to stderr",
                            limits.max_memory >> 20
                        )));
                    }
                    return Err(PluginError::from_wasmtime(err, limits.timeout, limits.max_memory));
                }
            }
        }
        forward(prefix, &stderr);
        Ok(stdout.contents().to_vec())
    }
}

impl Binary for P1Plugin {
    fn describe(&self, runtime: &Runtime, origin: &str) -> Result<PluginInfo, PluginError> {
        let stdout = self.run(runtime, &format!("{origin}: describe"), &Request::Describe)?;
        let info: JsonPluginInfo = parse_answer(&stdout)?;
        let (info, protocol) = info.checked()?;
        let _ = self.protocol.set(protocol);
        Ok(info)
    }

    fn open(&self, runtime: &Runtime, name: &str, config: &[(String, String)]) -> Result<Box<dyn Session>, PluginError> {
        if self.protocol.get() == Some(&Protocol::V0_2) {
            return Ok(Box::new(JsonSession::open(&self.pre, runtime, name, config)?));
        }
        Ok(Box::new(SessionP1 {
            plugin: self.clone(),
            runtime: runtime.clone(),
            name: name.to_string(),
            config: config.to_vec(),
        }))
    }
}

/// A protocol 0.1.0 module's "session": its options, and one run of the
/// module per document.
struct SessionP1 {
    plugin: P1Plugin,
    runtime: Runtime,
    name: String,
    config: Vec<(String, String)>,
}

impl Session for SessionP1 {
    fn transform(&mut self, doc: DocumentRef<'_>, _index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError> {
        let prefix = format!("{}: {}", self.name, doc.path);
        self.plugin.transform(&self.runtime, &prefix, doc, &self.config)
    }
}

/// The end of a failed plugin's stderr, where the reason usually is.
pub(super) fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim_end();
    if text.len() <= STDERR_IN_ERROR {
        return text.to_string();
    }
    let mut start = text.len() - STDERR_IN_ERROR;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &text[start..])
}

/// The document as the JSON protocol sends it (WIT `document`): what
/// `dochost ast --json` prints.
pub fn json_document(doc: DocumentRef<'_>) -> serde_json::Value {
    serde_json::to_value(JsonDocument::of(doc)).expect("a document always serialises")
}

/// The start of what a plugin printed, quoted, for an error message.
pub(super) fn excerpt(printed: &[u8]) -> String {
    let text = String::from_utf8_lossy(printed);
    let mut excerpt: String = text.chars().take(ANSWER_EXCERPT).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    format!("{excerpt:?}")
}

/// Decode the one JSON value a plugin printed, or say what is wrong with it.
fn parse_answer<T: for<'de> Deserialize<'de>>(stdout: &[u8]) -> Result<T, PluginError> {
    if stdout.iter().all(u8::is_ascii_whitespace) {
        return Err(PluginError::Protocol("it printed nothing on stdout, where its JSON answer belongs".into()));
    }
    serde_json::from_slice(stdout).map_err(|e| {
        let what = if e.is_data() { "is not a valid answer" } else { "is not JSON" };
        PluginError::Protocol(format!("what it printed on stdout {what} ({e}); it printed: {}", excerpt(stdout)))
    })
}

// ---------------------------------------------------------------------------
// The JSON protocol. Requests borrow the host's document; answers are
// decoded into mirrors of the WIT types and converted like a component's.

/// What the host asks, on the plugin's stdin.
#[derive(Serialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
enum Request<'a> {
    /// `{"request": "describe"}`: answer with a `plugin-info`.
    Describe,
    /// `{"request": "transform", "document": …, "config": [["k", "v"], …]}`:
    /// answer with `{"ok": output}` or `{"error": "message"}`.
    Transform { document: JsonDocument<'a>, config: &'a [(String, String)] },
}

/// WIT `document`.
#[derive(Serialize)]
pub(super) struct JsonDocument<'a> {
    path: &'a str,
    source: &'a str,
    nodes: Vec<JsonNode<'a>>,
}

impl<'a> JsonDocument<'a> {
    pub(super) fn of(doc: DocumentRef<'a>) -> Self {
        JsonDocument { path: doc.path, source: doc.source, nodes: JsonNode::all(doc.table) }
    }
}

/// WIT `node`: every field present, `null` where the option is `none`.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct JsonNode<'a> {
    kind: &'static str,
    parent: Option<u32>,
    children: &'a [u32],
    span: Span,
    text: Option<&'a str>,
    level: Option<u8>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    info: Option<&'a str>,
    checked: Option<bool>,
    /// Serialised as the WIT enum case name (`autolink`, …) by `LinkKind`.
    link_kind: Option<LinkKind>,
    label: Option<&'a str>,
    start: Option<u64>,
    attributes: Vec<(&'a str, Option<&'a str>)>,
}

impl<'a> JsonNode<'a> {
    /// Every node of `table`, in order.
    fn all(table: &'a NodeTable) -> Vec<Self> {
        table.nodes.iter().map(|node| JsonNode::of(table, node)).collect()
    }

    fn of(table: &'a NodeTable, node: &'a Node) -> Self {
        // Destructured in full, so that a new field cannot be forgotten here.
        let Node {
            kind,
            parent,
            children: _,
            span,
            text,
            level,
            url,
            title,
            info,
            checked,
            link_kind,
            label,
            start,
            attributes: _,
            content: _,
        } = node;
        JsonNode {
            kind: kind.name(),
            parent: *parent,
            children: table.children(node),
            span: Span { start: span.start as u32, end: span.end as u32 },
            text: table.string(*text),
            level: *level,
            url: table.string(*url),
            title: table.string(*title),
            info: table.string(*info),
            checked: *checked,
            link_kind: *link_kind,
            label: table.string(*label),
            start: *start,
            attributes: table.attributes(node).collect(),
        }
    }
}

/// WIT `span`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
}

/// A WIT `result<T, string>`: `{"ok": T}` or `{"error": "message"}`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Reply<T> {
    Ok(T),
    Error(String),
}

/// The answer to `transform`: WIT `result<output, string>`.
type Answer = Reply<JsonOutput>;

// In answers, list fields may be left out when empty and option fields when
// `none`; unknown fields are an error, so that a misspelt name is caught.

/// WIT `output`.
#[derive(Serialize, Deserialize, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(super) struct JsonOutput {
    #[serde(default)]
    edits: Vec<JsonEdit>,
    #[serde(default)]
    diagnostics: Vec<JsonDiagnostic>,
    #[serde(default)]
    artifacts: Vec<JsonArtifact>,
    #[serde(default)]
    facts: Vec<JsonFact>,
}

/// WIT `fact`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub(super) struct JsonFact {
    pub(super) key: String,
    pub(super) value: String,
}

/// WIT `run-diagnostic`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct JsonRunDiagnostic {
    severity: JsonSeverity,
    code: String,
    message: String,
    #[serde(default)]
    path: Option<String>,
}

/// WIT `run-output`: the answer to `finish`.
#[derive(Serialize, Deserialize, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub(super) struct JsonRunOutput {
    #[serde(default)]
    diagnostics: Vec<JsonRunDiagnostic>,
    #[serde(default)]
    artifacts: Vec<JsonArtifact>,
}

/// WIT `edit`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct JsonEdit {
    op: JsonEditOp,
    #[serde(default)]
    reason: Option<String>,
}

/// WIT `edit-op`: `{"set-text": {"node": 3, "value": "x"}}`, `{"remove": 4}`,
/// `{"splice": {"span": {"start": 0, "end": 1}, "value": ""}}`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum JsonEditOp {
    SetText(NodeValue),
    Replace(NodeValue),
    InsertBefore(NodeValue),
    InsertAfter(NodeValue),
    Remove(u32),
    SetUrl(NodeValue),
    SetTitle(NodeValue),
    SetInfo(NodeValue),
    Splice(SpanValue),
}

/// WIT `node-value`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct NodeValue {
    node: u32,
    value: String,
}

/// WIT `span-value`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct SpanValue {
    span: Span,
    value: String,
}

/// WIT `severity`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum JsonSeverity {
    Error,
    Warning,
    Info,
}

/// WIT `diagnostic`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct JsonDiagnostic {
    severity: JsonSeverity,
    code: String,
    message: String,
    #[serde(default)]
    node: Option<u32>,
    #[serde(default)]
    span: Option<Span>,
}

/// WIT `artifact`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct JsonArtifact {
    name: String,
    content: String,
}

/// WIT `plugin-info`, and the protocol version: the answer to `describe`.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct JsonPluginInfo {
    /// `"0.2.0"` for sessions; absent for 0.1.0.
    #[serde(default)]
    protocol: Option<String>,
    name: String,
    version: String,
    description: String,
    #[serde(default)]
    options: Vec<JsonOptionSpec>,
    #[serde(default)]
    tree_wide: bool,
}

/// WIT `option-spec`; `kind` is `text` and `required` false when left out.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct JsonOptionSpec {
    name: String,
    description: String,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    kind: Option<JsonOptionKind>,
    #[serde(default)]
    required: bool,
}

/// WIT `option-kind`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum JsonOptionKind {
    Text,
    Flag,
    Integer,
    Path,
}

impl From<JsonOptionKind> for OptionKind {
    fn from(k: JsonOptionKind) -> Self {
        match k {
            JsonOptionKind::Text => OptionKind::Text,
            JsonOptionKind::Flag => OptionKind::Flag,
            JsonOptionKind::Integer => OptionKind::Integer,
            JsonOptionKind::Path => OptionKind::Path,
        }
    }
}

// Answers become the host's types, as a component's do.

impl From<Span> for std::ops::Range<usize> {
    fn from(s: Span) -> Self {
        s.start as usize..s.end as usize
    }
}

impl From<JsonOutput> for PluginOutput {
    fn from(out: JsonOutput) -> Self {
        PluginOutput {
            edits: out.edits.into_iter().map(doc::Edit::from).collect(),
            diagnostics: out.diagnostics.into_iter().map(doc::Diagnostic::from).collect(),
            artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
            facts: out.facts.into_iter().map(|f| (f.key, f.value)).collect(),
        }
    }
}

impl From<JsonRunOutput> for RunOutput {
    fn from(out: JsonRunOutput) -> Self {
        RunOutput {
            diagnostics: out
                .diagnostics
                .into_iter()
                .map(|d| RunDiagnostic { severity: d.severity.into(), code: d.code, message: d.message, path: d.path })
                .collect(),
            artifacts: out.artifacts.into_iter().map(|a| (a.name, a.content)).collect(),
        }
    }
}

impl From<JsonSeverity> for doc::Severity {
    fn from(s: JsonSeverity) -> Self {
        match s {
            JsonSeverity::Error => doc::Severity::Error,
            JsonSeverity::Warning => doc::Severity::Warning,
            JsonSeverity::Info => doc::Severity::Info,
        }
    }
}

impl From<JsonEdit> for doc::Edit {
    fn from(e: JsonEdit) -> Self {
        use doc::EditOp as H;
        let op = match e.op {
            JsonEditOp::SetText(v) => H::SetText(v.node, v.value),
            JsonEditOp::Replace(v) => H::Replace(v.node, v.value),
            JsonEditOp::InsertBefore(v) => H::InsertBefore(v.node, v.value),
            JsonEditOp::InsertAfter(v) => H::InsertAfter(v.node, v.value),
            JsonEditOp::Remove(n) => H::Remove(n),
            JsonEditOp::SetUrl(v) => H::SetUrl(v.node, v.value),
            JsonEditOp::SetTitle(v) => H::SetTitle(v.node, v.value),
            JsonEditOp::SetInfo(v) => H::SetInfo(v.node, v.value),
            JsonEditOp::Splice(v) => H::Splice(v.span.into(), v.value),
        };
        doc::Edit { op, reason: e.reason }
    }
}

impl From<JsonDiagnostic> for doc::Diagnostic {
    fn from(d: JsonDiagnostic) -> Self {
        doc::Diagnostic {
            severity: d.severity.into(),
            code: d.code,
            message: d.message,
            node: d.node,
            span: d.span.map(Into::into),
        }
    }
}

impl JsonPluginInfo {
    /// The host's `PluginInfo` and the protocol the module speaks, or why
    /// the answer cannot be one.
    fn checked(self) -> Result<(PluginInfo, Protocol), PluginError> {
        let protocol = match self.protocol.as_deref() {
            None | Some("0.1.0") => Protocol::V0_1,
            Some("0.2.0") => Protocol::V0_2,
            Some(other) => {
                return Err(PluginError::Protocol(format!(
                    "it speaks JSON protocol {other:?}; this dochost speaks \"0.1.0\" and \"0.2.0\" (upgrade \
                     dochost, or build the plugin for an earlier protocol)"
                )))
            }
        };
        if self.tree_wide && protocol == Protocol::V0_1 {
            return Err(PluginError::Protocol(
                "it asks for `tree-wide` without `\"protocol\": \"0.2.0\"`; only sessions can scan the tree".into(),
            ));
        }
        let options = self
            .options
            .into_iter()
            .map(|o| match (protocol, o.kind, o.required) {
                (Protocol::V0_1, None, false) => Ok(PluginOption::untyped(o.name, o.description, o.default)),
                (Protocol::V0_1, ..) => Err(PluginError::Protocol(format!(
                    "option `{}` has a `kind` or `required`, which need `\"protocol\": \"0.2.0\"`",
                    o.name
                ))),
                (Protocol::V0_2, kind, required) => Ok(PluginOption {
                    name: o.name,
                    description: o.description,
                    default: o.default,
                    kind: kind.map_or(OptionKind::Text, OptionKind::from),
                    required,
                }),
            })
            .collect::<Result<_, _>>()?;
        let info = PluginInfo {
            name: self.name,
            version: self.version,
            description: self.description,
            options,
            tree_wide: self.tree_wide,
            contract: protocol.contract(),
        };
        Ok((info, protocol))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::doc::{EditOp, NodeKind};

    #[test]
    fn edit_ops_are_externally_tagged_kebab_case() {
        let cases = [
            (json!({"set-text": {"node": 3, "value": "x"}}), EditOp::SetText(3, "x".into())),
            (json!({"insert-after": {"node": 1, "value": "\n"}}), EditOp::InsertAfter(1, "\n".into())),
            (json!({"remove": 4}), EditOp::Remove(4)),
            (json!({"splice": {"span": {"start": 0, "end": 1}, "value": ""}}), EditOp::Splice(0..1, String::new())),
        ];
        for (value, expected) in cases {
            let edit: JsonEdit = serde_json::from_value(json!({"op": value.clone(), "reason": "r"})).unwrap();
            // Round trip: what a plugin would print is what was read.
            assert_eq!(serde_json::to_value(&edit.op).unwrap(), value);
            let out = PluginOutput::from(JsonOutput { edits: vec![edit], ..Default::default() });
            assert_eq!(out.edits, vec![doc::Edit { op: expected, reason: Some("r".into()) }]);
        }
    }

    #[test]
    fn answers_are_ok_or_error_and_omitted_lists_and_options_are_empty() {
        let answer: Answer = serde_json::from_str(
            r#"{"ok": {"diagnostics": [{"severity": "warning", "code": "c", "message": "m", "span": {"start": 1, "end": 2}}]}}"#,
        )
        .unwrap();
        let Answer::Ok(output) = answer else { panic!("not ok") };
        let out = PluginOutput::from(output);
        assert!(out.edits.is_empty() && out.artifacts.is_empty());
        assert_eq!(out.diagnostics[0].severity, doc::Severity::Warning);
        assert_eq!(out.diagnostics[0].node, None);
        assert_eq!(out.diagnostics[0].span, Some(1..2));
        let answer: Answer = serde_json::from_str(r#"{"error": "no"}"#).unwrap();
        assert_eq!(answer, Answer::Error("no".into()));
    }

    #[test]
    fn misspelt_fields_and_unknown_ops_are_rejected() {
        let bad = [
            r#"{"ok": {"edits": [{"op": {"set_text": {"node": 1, "value": "x"}}}]}}"#,
            r#"{"ok": {"edits": [{"op": {"remove": 1}, "reasn": "x"}]}}"#,
            r#"{"fine": {}}"#,
        ];
        for text in bad {
            let err = parse_answer::<Answer>(text.as_bytes()).unwrap_err();
            assert!(matches!(err, PluginError::Protocol(_)), "{text}: {err}");
        }
    }

    #[test]
    fn nodes_use_the_wit_field_names_and_null_for_none() {
        let table = doc::parse("[a][b]\n\n[b]: /u \"t\"\n");
        let link = table.nodes.iter().find(|n| n.kind == NodeKind::Link).unwrap();
        let value = serde_json::to_value(JsonNode::of(&table, link)).unwrap();
        assert_eq!(value["kind"], "link");
        assert_eq!(value["link-kind"], "reference");
        assert_eq!(value["label"], "b");
        assert_eq!(value["url"], "/u");
        assert_eq!(value["span"], json!({"start": 0, "end": 6}));
        assert_eq!(value["level"], serde_json::Value::Null);
        assert_eq!(value["attributes"], json!([]));
        assert_eq!(value.as_object().unwrap().len(), 14, "every WIT field, and only those: {value}");
        assert!(value.get("link_kind").is_none());

        let table = doc::parse("# Title {#id .c k=v}\n");
        let heading = serde_json::to_value(JsonNode::of(&table, &table.nodes[1])).unwrap();
        assert_eq!(heading["kind"], "heading");
        assert_eq!(heading["level"], 1);
        assert_eq!(heading["attributes"], json!([["id", "id"], ["class", "c"], ["k", "v"]]));
    }

    #[test]
    fn requests_are_tagged_with_request() {
        assert_eq!(serde_json::to_value(Request::Describe).unwrap(), json!({"request": "describe"}));
        let table = doc::parse("x\n");
        let config = vec![("k".to_string(), "v".to_string())];
        let request = Request::Transform {
            document: JsonDocument { path: "a.md", source: "x\n", nodes: JsonNode::all(&table) },
            config: &config,
        };
        let value = serde_json::to_value(request).unwrap();
        assert_eq!(value["request"], "transform");
        assert_eq!(value["config"], json!([["k", "v"]]));
        assert_eq!(value["document"]["path"], "a.md");
        assert_eq!(value["document"]["nodes"][0]["kind"], "document");
    }

    #[test]
    fn describe_names_the_protocol_and_0_2_declares_kinds() {
        let info = |value: serde_json::Value| serde_json::from_value::<JsonPluginInfo>(value).unwrap().checked();
        let (v1, protocol) = info(json!({"name": "a", "version": "1", "description": "d",
            "options": [{"name": "x", "description": "", "default": null}]}))
        .unwrap();
        assert_eq!((protocol, v1.contract, v1.options[0].kind, v1.tree_wide), (Protocol::V0_1, "json", OptionKind::Text, false));

        let (v2, protocol) = info(json!({"protocol": "0.2.0", "name": "a", "version": "1", "description": "d",
            "tree-wide": true,
            "options": [{"name": "n", "description": "", "kind": "integer", "required": true}, {"name": "t", "description": ""}]}))
        .unwrap();
        assert_eq!((protocol, v2.contract, v2.tree_wide), (Protocol::V0_2, "json 0.2.0", true));
        assert_eq!((v2.options[0].kind, v2.options[0].required), (OptionKind::Integer, true));
        assert_eq!((v2.options[1].kind, v2.options[1].required), (OptionKind::Text, false));

        let err = |value| info(value).unwrap_err().to_string();
        assert!(err(json!({"protocol": "9.0.0", "name": "a", "version": "1", "description": "d"}))
            .contains("it speaks JSON protocol \"9.0.0\"; this dochost speaks \"0.1.0\" and \"0.2.0\""));
        assert!(err(json!({"name": "a", "version": "1", "description": "d", "tree-wide": true}))
            .contains("`tree-wide` without `\"protocol\": \"0.2.0\"`"));
        assert!(err(json!({"name": "a", "version": "1", "description": "d",
            "options": [{"name": "n", "description": "", "kind": "flag"}]}))
        .contains("option `n` has a `kind` or `required`"));
    }

    #[test]
    fn run_output_and_facts_are_read_like_a_components() {
        let Answer::Ok(output) = serde_json::from_value(json!({"ok": {"facts": [{"key": "k", "value": "v"}]}})).unwrap() else {
            panic!("not ok")
        };
        assert_eq!(PluginOutput::from(output).facts, [("k".to_string(), "v".to_string())]);
        let run: Reply<JsonRunOutput> = serde_json::from_value(json!({"ok": {
            "diagnostics": [{"severity": "warning", "code": "c", "message": "m", "path": "a.md"}, {"severity": "info", "code": "d", "message": "n"}],
            "artifacts": [{"name": "r.txt", "content": "x"}]}}))
        .unwrap();
        let Reply::Ok(run) = run else { panic!("not ok") };
        let run = RunOutput::from(run);
        assert_eq!(run.diagnostics[0].path.as_deref(), Some("a.md"));
        assert_eq!(run.diagnostics[1].severity, doc::Severity::Info);
        assert_eq!(run.artifacts, [("r.txt".to_string(), "x".to_string())]);
    }

    /// The JSON block after `<!-- example: NAME -->` in docs/json-protocol.md.
    fn doc_example(name: &str) -> serde_json::Value {
        let text = include_str!("../../../docs/json-protocol.md");
        let marker = format!("<!-- example: {name} -->\n```json\n");
        let start = text.find(&marker).unwrap_or_else(|| panic!("no example {name}")) + marker.len();
        let end = start + text[start..].find("\n```").unwrap();
        serde_json::from_str(&text[start..end]).unwrap_or_else(|e| panic!("example {name}: {e}"))
    }

    #[test]
    fn the_documented_examples_are_what_the_host_sends_and_reads() {
        assert_eq!(serde_json::to_value(Request::Describe).unwrap(), doc_example("describe-request"));

        let sent = doc_example("transform-request");
        let source = sent["document"]["source"].as_str().unwrap();
        let table = doc::parse(source);
        let config = vec![("style".to_string(), "title".to_string())];
        let request = Request::Transform {
            document: JsonDocument {
                path: "docs/hello.md",
                source,
                nodes: JsonNode::all(&table),
            },
            config: &config,
        };
        assert_eq!(serde_json::to_value(request).unwrap(), sent);

        let info: JsonPluginInfo = serde_json::from_value(doc_example("describe-answer")).unwrap();
        let (info, protocol) = info.checked().unwrap();
        assert_eq!((info.name.as_str(), protocol, info.contract), ("title-case", Protocol::V0_1, "json"));
        assert_eq!(info.options[0].default.as_deref(), Some("title"));

        let info: JsonPluginInfo = serde_json::from_value(doc_example("describe-answer-0.2")).unwrap();
        let (info, protocol) = info.checked().unwrap();
        assert_eq!((protocol, info.tree_wide, info.options[1].kind, info.options[2].kind), (Protocol::V0_2, true, OptionKind::Flag, OptionKind::Path));

        let Answer::Ok(output) = serde_json::from_value(doc_example("transform-answer")).unwrap() else {
            panic!("not ok")
        };
        let out = PluginOutput::from(output);
        assert_eq!((out.edits.len(), out.diagnostics.len(), out.artifacts.len()), (3, 1, 1));
        let (text, _) = doc::apply(source, &table, &out.edits).unwrap();
        assert_eq!(text, "---\ntitle: Hello\n---\n# Hello [Docs](https://x.org/docs \"Docs\")\n");

        let answer: Answer = serde_json::from_value(doc_example("transform-error")).unwrap();
        assert!(matches!(answer, Answer::Error(m) if m.starts_with("cannot parse")));

        let ops: Vec<JsonEditOp> = serde_json::from_value(doc_example("edit-ops")).unwrap();
        let names: std::collections::BTreeSet<String> = ops
            .iter()
            .map(|op| serde_json::to_value(op).unwrap().as_object().unwrap().keys().next().unwrap().clone())
            .collect();
        assert_eq!(names.len(), 9, "every edit-op case is documented: {names:?}");
    }
}
