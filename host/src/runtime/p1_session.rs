//! JSON protocol 0.2.0: one instance of a WASI preview 1 command module
//! answers many requests (`open`, then `scan`, `transform` and `finish` for
//! many documents), one JSON line in on stdin and one JSON line out on
//! stdout for each, with the tree index answered in-band: while it works on
//! a request the module may print a query line (`{"query": "headings",
//! "path": "a.md"}`) and read the host's answer on the next line of stdin.
//!
//! `_start` runs once, on a thread of its own, blocked reading stdin between
//! requests. The host feeds stdin from a channel and reads stdout line by
//! line from another. The deadline (`--timeout`) runs from the moment each
//! request is sent, through an epoch callback, so time spent waiting for the
//! next document never counts. Closing stdin ends the module.
//!
//! An instance that broke the protocol, exited or crashed is dropped; the
//! next call starts a fresh one and opens it with the same options.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasmtime::{InstancePre, Store, UpdateDeadline};
use wasmtime_wasi::cli::{IsTerminal, StdinStream, StdoutStream};
use wasmtime_wasi::p2::{InputStream, OutputStream, Pollable, StreamError};
use wasmtime_wasi::I32Exit;

use super::capture::{forward, Capture};
use super::engine::Runtime;
use super::error::PluginError;
use super::limits::EPOCH_TICK;
use super::p1::{self, excerpt, tail, JsonDocument, JsonFact, JsonOutput, JsonRunOutput, Reply, State};
use super::plugin::{DocumentRef, Fact, PluginOutput, RunOutput, Session};
use crate::doc::{TargetKind, TreeIndex};

/// How long past its deadline the host waits for a module that neither
/// answers nor runs (blocked reading stdin for more than one line).
const GRACE: Duration = Duration::from_secs(1);
/// Lines the module may print ahead of the host reading them.
const LINES_IN_FLIGHT: usize = 4;

/// What the host sends in a session, one per line.
#[derive(Serialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
enum SessionRequest<'a> {
    /// `{"request": "open", "config": [["k", "v"], …]}`: answer
    /// `{"ok": null}` or `{"error": "message"}`.
    Open { config: &'a [(String, String)] },
    /// `{"request": "scan", "document": …}`: answer `{"ok": [fact, …]}`.
    Scan { document: JsonDocument<'a> },
    /// `{"request": "transform", "document": …}`: answer `{"ok": output}`.
    Transform { document: JsonDocument<'a> },
    /// `{"request": "finish"}`: answer `{"ok": run-output}`.
    Finish,
}

impl SessionRequest<'_> {
    fn name(&self) -> &'static str {
        match self {
            SessionRequest::Open { .. } => "open",
            SessionRequest::Scan { .. } => "scan",
            SessionRequest::Transform { .. } => "transform",
            SessionRequest::Finish => "finish",
        }
    }
}

/// A question about the tree the module asks while it answers a request:
/// the functions of the WIT `index` interface, one object each.
#[derive(Deserialize, Debug, PartialEq)]
#[serde(tag = "query", rename_all = "kebab-case", deny_unknown_fields)]
enum Query {
    Documents,
    Headings { path: String },
    Targets { path: String },
    FrontMatter { path: String },
    Facts { key: String },
    Files,
    Roots,
}

/// WIT `index.heading-entry`.
#[derive(Serialize)]
struct HeadingJson<'a> {
    text: &'a str,
    level: u8,
    id: Option<&'a str>,
    span: p1::Span,
}

/// WIT `index.target-entry`.
#[derive(Serialize)]
struct TargetJson<'a> {
    kind: &'static str,
    url: &'a str,
    span: p1::Span,
}

/// WIT `index.fact-entry`.
#[derive(Serialize)]
struct FactEntryJson<'a> {
    path: &'a str,
    value: &'a str,
}

/// The answer to a query, as the WIT function returns it.
fn answer(query: &Query, index: &TreeIndex) -> serde_json::Value {
    let span = |r: &std::ops::Range<usize>| p1::Span { start: r.start as u32, end: r.end as u32 };
    let value = match query {
        Query::Documents => serde_json::to_value(index.paths().collect::<Vec<_>>()),
        Query::Headings { path } => serde_json::to_value(index.document(path).map(|d| {
            d.headings
                .iter()
                .map(|h| HeadingJson { text: &h.text, level: h.level, id: h.id.as_deref(), span: span(&h.span) })
                .collect::<Vec<_>>()
        })),
        Query::Targets { path } => serde_json::to_value(index.document(path).map(|d| {
            d.targets
                .iter()
                .map(|t| TargetJson {
                    kind: match t.kind {
                        TargetKind::Link => "link",
                        TargetKind::Image => "image",
                        TargetKind::LinkDefinition => "link-definition",
                    },
                    url: &t.url,
                    span: span(&t.span),
                })
                .collect::<Vec<_>>()
        })),
        Query::FrontMatter { path } => serde_json::to_value(index.document(path).and_then(|d| d.front_matter.as_deref())),
        Query::Facts { key } => serde_json::to_value(
            index.facts(key).into_iter().map(|(path, value)| FactEntryJson { path, value }).collect::<Vec<_>>(),
        ),
        Query::Files => serde_json::to_value(&index.tree().files),
        Query::Roots => serde_json::to_value(&index.tree().roots),
    };
    value.expect("index answers always serialise")
}

/// A line the module printed: a query, or the answer to the request.
enum Line<T> {
    Query(Query),
    Answer(T),
}

fn parse_line<T: DeserializeOwned>(line: &[u8], request: &str) -> Result<Line<T>, PluginError> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
        PluginError::Protocol(format!(
            "the line it printed for `{request}` is not JSON ({e}); it printed: {} (answers are one line of \
             JSON each)",
            excerpt(line)
        ))
    })?;
    if value.get("query").is_some() {
        return serde_json::from_value(value).map(Line::Query).map_err(|e| {
            PluginError::Protocol(format!("its query is not one the index answers ({e}); it printed: {}", excerpt(line)))
        });
    }
    serde_json::from_value(value).map(Line::Answer).map_err(|e| {
        PluginError::Protocol(format!("its answer to `{request}` is not valid ({e}); it printed: {}", excerpt(line)))
    })
}

/// A session of a protocol 0.2.0 module: its options and the instance
/// serving them (started again after an instance is lost).
pub(super) struct JsonSession {
    pre: InstancePre<State>,
    runtime: Runtime,
    name: String,
    config: Vec<(String, String)>,
    instance: Option<Instance>,
}

impl JsonSession {
    /// Start an instance and open it with `config`; a module that rejects
    /// its options fails the run.
    pub(super) fn open(
        pre: &InstancePre<State>,
        runtime: &Runtime,
        name: &str,
        config: &[(String, String)],
    ) -> Result<Self, PluginError> {
        let mut session = JsonSession {
            pre: pre.clone(),
            runtime: runtime.clone(),
            name: name.to_string(),
            config: config.to_vec(),
            instance: None,
        };
        session.start()?;
        Ok(session)
    }

    fn start(&mut self) -> Result<(), PluginError> {
        let mut instance = Instance::start(&self.pre, &self.runtime, &self.name)?;
        let request = SessionRequest::Open { config: &self.config };
        let prefix = format!("{}: open", self.name);
        match instance.exchange::<Reply<()>>(&self.runtime, &prefix, &request, &TreeIndex::default())? {
            Reply::Ok(()) => {
                self.instance = Some(instance);
                Ok(())
            }
            Reply::Error(message) => Err(PluginError::Rejected(message)),
        }
    }

    /// One request and its answer. Any failure but the module's own
    /// `{"error": …}` costs the instance.
    fn call<T: DeserializeOwned>(
        &mut self,
        about: &str,
        request: &SessionRequest<'_>,
        index: &TreeIndex,
    ) -> Result<T, PluginError> {
        if self.instance.is_none() {
            self.start()?;
        }
        let prefix = format!("{}: {about}", self.name);
        let instance = self.instance.as_mut().expect("started above");
        let result = instance.exchange::<Reply<T>>(&self.runtime, &prefix, request, index);
        match result {
            Ok(Reply::Ok(value)) => Ok(value),
            Ok(Reply::Error(message)) => Err(PluginError::Failed(message)),
            Err(error) => {
                self.instance = None;
                Err(error)
            }
        }
    }
}

impl Session for JsonSession {
    fn scan(&mut self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<Vec<Fact>, PluginError> {
        let request = SessionRequest::Scan { document: JsonDocument::of(doc) };
        let facts: Vec<JsonFact> = self.call(doc.path, &request, index)?;
        Ok(facts.into_iter().map(|f| (f.key, f.value)).collect())
    }

    fn transform(&mut self, doc: DocumentRef<'_>, index: &Arc<TreeIndex>) -> Result<PluginOutput, PluginError> {
        let request = SessionRequest::Transform { document: JsonDocument::of(doc) };
        let output: JsonOutput = self.call(doc.path, &request, index)?;
        Ok(output.into())
    }

    fn finish(&mut self, index: &Arc<TreeIndex>) -> Result<RunOutput, PluginError> {
        let output: JsonRunOutput = self.call("finish", &SessionRequest::Finish, index)?;
        Ok(output.into())
    }
}

/// What the module's thread tells the host.
enum Event {
    /// A line printed on stdout, without its `\n`.
    Line(Vec<u8>),
    /// A line grew past the cap; the module is being stopped.
    TooLong(usize),
    /// `_start` returned, exited or trapped.
    Ended(wasmtime::Result<()>),
}

/// A running instance: stdin to write requests to, stdout lines to read.
struct Instance {
    stdin: Option<Sender<Vec<u8>>>,
    events: Receiver<Event>,
    stderr: Capture,
    deadline: Arc<Deadline>,
}

impl Instance {
    fn start(pre: &InstancePre<State>, runtime: &Runtime, name: &str) -> Result<Self, PluginError> {
        let (stdin_tx, stdin_rx) = mpsc::channel();
        let (events_tx, events) = mpsc::sync_channel(LINES_IN_FLIGHT);
        let stderr = Capture::default();
        let stdout = LineSink::new(events_tx.clone(), runtime.limits.max_memory);
        let wasi = runtime
            .grants
            .context_p1_streams(RequestSource::new(stdin_rx), stdout, stderr.clone())
            .map_err(|e| PluginError::Trap(format!("{e:#}")))?;
        let deadline = Arc::new(Deadline::new(runtime.limits.timeout));
        let (pre, engine, limits, ticking) = (pre.clone(), runtime.engine.clone(), runtime.limits.clone(), deadline.clone());
        std::thread::Builder::new()
            .name(format!("dochost-json-{name}"))
            .spawn(move || {
                let mut store = Store::new(&engine, State { wasi, limits: limits.store_limits() });
                store.limiter(|state| &mut state.limits);
                store.set_epoch_deadline(1);
                store.epoch_deadline_callback(move |_| Ok(ticking.check()));
                let result = pre
                    .instantiate(&mut store)
                    .and_then(|instance| instance.get_typed_func::<(), ()>(&mut store, "_start"))
                    .and_then(|start| start.call(&mut store, ()));
                drop(store);
                let _ = events_tx.send(Event::Ended(result));
            })
            .map_err(|e| PluginError::Trap(format!("cannot start a thread for the module: {e}")))?;
        Ok(Instance { stdin: Some(stdin_tx), events, stderr, deadline })
    }

    /// Send `request`, answer the module's queries from `index`, and decode
    /// its answer; forward what it printed on stderr behind `prefix`.
    fn exchange<T: DeserializeOwned>(
        &mut self,
        runtime: &Runtime,
        prefix: &str,
        request: &SessionRequest<'_>,
        index: &TreeIndex,
    ) -> Result<T, PluginError> {
        let result = self.exchange_lines(runtime, request, index);
        // A module that exited non-zero has its stderr in the error.
        if !matches!(result, Err(PluginError::Exited { .. })) {
            forward(prefix, &self.stderr.take());
        }
        result
    }

    fn exchange_lines<T: DeserializeOwned>(
        &mut self,
        runtime: &Runtime,
        request: &SessionRequest<'_>,
        index: &TreeIndex,
    ) -> Result<T, PluginError> {
        let name = request.name();
        // Whatever the module printed since its last answer was not asked for.
        match self.events.try_recv() {
            Ok(Event::Line(line)) => {
                return Err(PluginError::Protocol(format!(
                    "it printed a line no request asked for: {} (each request gets exactly one line)",
                    excerpt(&line)
                )))
            }
            Ok(event) => return Err(self.ended(runtime, event, name)),
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => return Err(quit_early(name)),
        }
        let mut line = serde_json::to_vec(request)
            .map_err(|e| PluginError::Trap(format!("cannot encode the request: {e}")))?;
        line.push(b'\n');
        let until = self.deadline.start(runtime.limits.timeout);
        self.send(line);
        loop {
            let wait = until.saturating_duration_since(Instant::now()) + GRACE;
            let event = match self.events.recv_timeout(wait) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Err(PluginError::Timeout(runtime.limits.timeout)),
                Err(RecvTimeoutError::Disconnected) => return Err(quit_early(name)),
            };
            let Event::Line(line) = event else { return Err(self.ended(runtime, event, name)) };
            match parse_line::<T>(&line, name)? {
                Line::Answer(answer) => return Ok(answer),
                Line::Query(query) => {
                    let mut reply = serde_json::to_vec(&answer(&query, index)).expect("JSON always encodes");
                    reply.push(b'\n');
                    self.send(reply);
                }
            }
        }
    }

    /// Write to the module's stdin; a module that is gone is noticed when
    /// its `Ended` is read.
    fn send(&self, bytes: Vec<u8>) {
        if let Some(stdin) = &self.stdin {
            let _ = stdin.send(bytes);
        }
    }

    /// Why the module stopped, as an error for the request `name` it left
    /// open.
    fn ended(&self, runtime: &Runtime, event: Event, name: &str) -> PluginError {
        let limits = &runtime.limits;
        match event {
            Event::Line(_) => unreachable!("lines are handled by the caller"),
            Event::TooLong(cap) => {
                PluginError::TooMuchOutput(format!("it printed a line of more than {} MiB on stdout", cap >> 20))
            }
            Event::Ended(Ok(())) => quit_early(name),
            Event::Ended(Err(err)) => match err.downcast_ref::<I32Exit>() {
                Some(I32Exit(0)) => quit_early(name),
                Some(&I32Exit(code)) => PluginError::Exited { code, stderr: tail(&self.stderr.take()) },
                None => PluginError::from_wasmtime(err, limits.timeout, limits.max_memory),
            },
        }
    }
}

/// A module that exited with status 0 while a request was open.
fn quit_early(request: &str) -> PluginError {
    PluginError::Protocol(format!(
        "it exited (status 0) before answering `{request}`; a module of JSON protocol 0.2.0 answers every \
         request and exits only when its stdin ends"
    ))
}

impl Drop for Instance {
    /// Close stdin, so a waiting module exits, and stop one that is running.
    fn drop(&mut self) {
        self.deadline.closed.store(true, Ordering::Relaxed);
        self.stdin = None;
    }
}

/// When the current request's time is up; checked on every epoch tick
/// while the module runs.
struct Deadline {
    until: Mutex<Instant>,
    closed: AtomicBool,
}

impl Deadline {
    /// The module's start-up counts as a request.
    fn new(timeout: Duration) -> Self {
        Deadline { until: Mutex::new(Instant::now() + timeout), closed: AtomicBool::new(false) }
    }

    /// A request is sent now: it has `timeout`.
    fn start(&self, timeout: Duration) -> Instant {
        let until = Instant::now() + timeout;
        *self.until.lock().unwrap_or_else(|e| e.into_inner()) = until;
        until
    }

    fn check(&self) -> UpdateDeadline {
        if self.closed.load(Ordering::Relaxed) {
            return UpdateDeadline::Interrupt;
        }
        let until = *self.until.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if now >= until {
            return UpdateDeadline::Interrupt;
        }
        let ticks = (until - now).as_millis() / EPOCH_TICK.as_millis();
        UpdateDeadline::Continue((ticks as u64).max(1))
    }
}

/// The module's stdout: complete lines go to the host as they are printed.
#[derive(Clone)]
struct LineSink {
    events: SyncSender<Event>,
    partial: Arc<Mutex<Vec<u8>>>,
    cap: usize,
}

impl LineSink {
    fn new(events: SyncSender<Event>, cap: usize) -> Self {
        LineSink { events, partial: Arc::default(), cap }
    }

    fn push(&self, bytes: &[u8]) -> Result<(), StreamError> {
        let mut partial = self.partial.lock().unwrap_or_else(|e| e.into_inner());
        let mut rest = bytes;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            partial.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut *partial);
            rest = &rest[end + 1..];
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if self.events.send(Event::Line(line)).is_err() {
                return Err(StreamError::Closed);
            }
        }
        partial.extend_from_slice(rest);
        if partial.len() > self.cap {
            let _ = self.events.send(Event::TooLong(self.cap));
            return Err(StreamError::trap("the module printed a line longer than the memory cap"));
        }
        Ok(())
    }
}

#[wasmtime_wasi::async_trait]
impl OutputStream for LineSink {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        self.push(&bytes)
    }
    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, StreamError> {
        Ok(1 << 20)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for LineSink {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for LineSink {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(self.push(buf).map(|()| buf.len()).map_err(std::io::Error::other))
    }
    fn poll_flush(self: std::pin::Pin<&mut Self>, _cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl IsTerminal for LineSink {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for LineSink {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

/// The module's stdin: what the host sends, blocking the module's thread
/// while there is nothing to read; end of file once the host closes it.
#[derive(Clone)]
struct RequestSource {
    inner: Arc<Mutex<Pending>>,
}

struct Pending {
    requests: Receiver<Vec<u8>>,
    buffer: Bytes,
    closed: bool,
}

impl RequestSource {
    fn new(requests: Receiver<Vec<u8>>) -> Self {
        RequestSource { inner: Arc::new(Mutex::new(Pending { requests, buffer: Bytes::new(), closed: false })) }
    }

    /// Up to `size` bytes; empty when nothing is there yet (`block`: wait).
    fn take(&self, size: usize, block: bool) -> Result<Bytes, StreamError> {
        let mut pending = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if pending.buffer.is_empty() && !pending.closed {
            let next = if block {
                pending.requests.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                pending.requests.try_recv()
            };
            match next {
                Ok(bytes) => pending.buffer = Bytes::from(bytes),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => pending.closed = true,
            }
        }
        if pending.buffer.is_empty() {
            return if pending.closed { Err(StreamError::Closed) } else { Ok(Bytes::new()) };
        }
        let n = size.min(pending.buffer.len());
        Ok(pending.buffer.split_to(n))
    }
}

#[wasmtime_wasi::async_trait]
impl InputStream for RequestSource {
    fn read(&mut self, size: usize) -> Result<Bytes, StreamError> {
        self.take(size, false)
    }
    async fn blocking_read(&mut self, size: usize) -> Result<Bytes, StreamError> {
        self.take(size.max(1), true)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for RequestSource {
    /// Wait for the host's next line (the module's thread has nothing else
    /// to do), then report readiness.
    async fn ready(&mut self) {
        let mut pending = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if pending.buffer.is_empty() && !pending.closed {
            match pending.requests.recv() {
                Ok(bytes) => pending.buffer = Bytes::from(bytes),
                Err(_) => pending.closed = true,
            }
        }
    }
}

impl tokio::io::AsyncRead for RequestSource {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        // Only WASI 0.3 reads stdin this way; block like the p2 stream does.
        match self.take(buf.remaining(), true) {
            Ok(bytes) => buf.put_slice(&bytes),
            Err(StreamError::Closed) => {}
            Err(e) => return std::task::Poll::Ready(Err(std::io::Error::other(e))),
        }
        std::task::Poll::Ready(Ok(()))
    }
}

impl IsTerminal for RequestSource {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdinStream for RequestSource {
    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncRead + Send + Sync> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{self, DocumentSummary, Tree};
    use serde_json::json;

    #[test]
    fn session_requests_are_one_tagged_object_each() {
        let config = vec![("k".to_string(), "v".to_string())];
        let open = serde_json::to_value(SessionRequest::Open { config: &config }).unwrap();
        assert_eq!(open, json!({"request": "open", "config": [["k", "v"]]}));
        assert_eq!(serde_json::to_value(SessionRequest::Finish).unwrap(), json!({"request": "finish"}));
        let table = doc::parse("x\n");
        let doc = DocumentRef { path: "a.md", source: "x\n", table: &table };
        let scan = serde_json::to_value(SessionRequest::Scan { document: JsonDocument::of(doc) }).unwrap();
        assert_eq!(scan["request"], "scan");
        assert_eq!(scan["document"]["path"], "a.md");
        assert!(scan.get("config").is_none(), "options go with `open` only");
        // One line each: no newline inside a request, whatever the source.
        let table = doc::parse("a\nb\n");
        let doc = DocumentRef { path: "b.md", source: "a\nb\n", table: &table };
        let line = serde_json::to_string(&SessionRequest::Transform { document: JsonDocument::of(doc) }).unwrap();
        assert!(!line.contains('\n'), "{line}");
    }

    #[test]
    fn queries_are_answered_as_the_wit_functions_return() {
        let source = "---\nt: 1\n---\n# Intro {#start}\n\n[x](b.md) ![i](i.png)\n";
        let mut summary = DocumentSummary::of("a.md", &doc::parse(source));
        summary.facts.push(("seen".into(), "1".into()));
        let tree = Tree { roots: vec!["docs".into()], files: vec!["docs/a.md".into(), "docs/i.png".into()] };
        let index = TreeIndex::new(vec![summary], Arc::new(tree));
        let ask = |text: &str| match parse_line::<()>(text.as_bytes(), "transform").unwrap() {
            Line::Query(query) => answer(&query, &index),
            Line::Answer(()) => panic!("{text} is a query"),
        };
        assert_eq!(ask(r#"{"query": "documents"}"#), json!(["a.md"]));
        assert_eq!(
            ask(r#"{"query": "headings", "path": "a.md"}"#),
            json!([{"text": "Intro", "level": 1, "id": "start", "span": {"start": 13, "end": 30}}])
        );
        assert_eq!(ask(r#"{"query": "headings", "path": "nope.md"}"#), json!(null));
        let targets = ask(r#"{"query": "targets", "path": "a.md"}"#);
        assert_eq!(targets[0]["kind"], "link");
        assert_eq!(targets[1], json!({"kind": "image", "url": "i.png", "span": {"start": 41, "end": 52}}));
        assert_eq!(ask(r#"{"query": "front-matter", "path": "a.md"}"#), json!("t: 1\n"));
        assert_eq!(ask(r#"{"query": "facts", "key": "seen"}"#), json!([{"path": "a.md", "value": "1"}]));
        assert_eq!(ask(r#"{"query": "files"}"#), json!(["docs/a.md", "docs/i.png"]));
        assert_eq!(ask(r#"{"query": "roots"}"#), json!(["docs"]));
    }

    #[test]
    fn bad_lines_are_protocol_errors_that_say_what_was_printed() {
        let err = |text: &str| match parse_line::<Reply<()>>(text.as_bytes(), "open") {
            Err(PluginError::Protocol(message)) => message,
            Err(other) => panic!("{text}: {other}"),
            Ok(_) => panic!("{text} was accepted"),
        };
        assert!(err("{").starts_with("the line it printed for `open` is not JSON (EOF while parsing"), "{}", err("{"));
        assert!(err(r#"{"query": "headings"}"#).starts_with("its query is not one the index answers (missing field `path`)"));
        assert!(err(r#"{"query": "everything"}"#).contains("unknown variant `everything`"));
        assert!(err(r#"{"fine": null}"#).starts_with("its answer to `open` is not valid (unknown variant `fine`"));
        assert!(matches!(parse_line::<Reply<()>>(br#"{"ok": null}"#, "open"), Ok(Line::Answer(Reply::Ok(())))));
    }

    #[test]
    fn stdout_is_cut_into_lines_and_blank_lines_are_skipped() {
        let (tx, rx) = mpsc::sync_channel(16);
        let sink = LineSink::new(tx, 64);
        sink.push(b"{\"ok\":").unwrap();
        sink.push(b" null}\n\n{\"query\"").unwrap();
        sink.push(b": \"roots\"}\n").unwrap();
        let lines: Vec<Vec<u8>> = rx
            .try_iter()
            .map(|e| match e {
                Event::Line(l) => l,
                _ => panic!("not a line"),
            })
            .collect();
        assert_eq!(lines, [b"{\"ok\": null}".to_vec(), b"{\"query\": \"roots\"}".to_vec()]);
        assert!(sink.push(&[b'x'; 65]).is_err(), "a line past the cap stops the module");
        assert!(matches!(rx.try_recv(), Ok(Event::TooLong(64))));
    }

    #[test]
    fn stdin_gives_what_the_host_sent_then_end_of_file() {
        let (tx, rx) = mpsc::channel();
        let source = RequestSource::new(rx);
        assert_eq!(source.take(10, false).unwrap(), Bytes::new(), "nothing yet, without blocking");
        tx.send(b"abc\n".to_vec()).unwrap();
        assert_eq!(source.take(2, true).unwrap(), Bytes::from_static(b"ab"));
        assert_eq!(source.take(10, false).unwrap(), Bytes::from_static(b"c\n"));
        drop(tx);
        assert!(matches!(source.take(10, true), Err(StreamError::Closed)));
    }

    /// An instance without a module: the test plays the module's part on
    /// the other ends of the channels.
    fn fake() -> (Instance, Receiver<Vec<u8>>, SyncSender<Event>) {
        let (stdin, requests) = mpsc::channel();
        let (lines, events) = mpsc::sync_channel(LINES_IN_FLIGHT);
        let deadline = Arc::new(Deadline::new(Duration::from_secs(10)));
        (Instance { stdin: Some(stdin), events, stderr: Capture::default(), deadline }, requests, lines)
    }

    fn runtime() -> Runtime {
        Runtime::new(Default::default(), Default::default()).unwrap()
    }

    #[test]
    fn queries_are_answered_on_stdin_until_the_answer_comes() {
        let (mut instance, requests, lines) = fake();
        let index = TreeIndex::new(vec![DocumentSummary { path: "a.md".into(), ..Default::default() }], Arc::default());
        // The module: read the request, ask a query, read its answer, answer.
        let module = std::thread::spawn(move || {
            let request = requests.recv().unwrap();
            lines.send(Event::Line(br#"{"query": "documents"}"#.to_vec())).unwrap();
            let reply = requests.recv().unwrap();
            lines.send(Event::Line(br#"{"ok": null}"#.to_vec())).unwrap();
            [request, reply].map(|b| String::from_utf8(b).unwrap())
        });
        let answer: Reply<()> = instance.exchange_lines(&runtime(), &SessionRequest::Finish, &index).unwrap();
        assert_eq!(answer, Reply::Ok(()));
        assert_eq!(module.join().unwrap(), ["{\"request\":\"finish\"}\n", "[\"a.md\"]\n"]);
    }

    #[test]
    fn a_line_printed_between_requests_fails_the_next_one() {
        let (mut instance, requests, lines) = fake();
        lines.send(Event::Line(br#"{"ok": {}}"#.to_vec())).unwrap();
        let err = instance.exchange_lines::<Reply<()>>(&runtime(), &SessionRequest::Finish, &TreeIndex::default());
        let Err(PluginError::Protocol(message)) = err else { panic!("{err:?}") };
        assert_eq!(message, "it printed a line no request asked for: \"{\\\"ok\\\": {}}\" (each request gets exactly one line)");
        assert!(requests.try_recv().is_err(), "the request was not sent");
    }

    #[test]
    fn a_module_that_ends_mid_request_is_named_for_how_it_ended() {
        let (mut instance, _requests, lines) = fake();
        lines.send(Event::Ended(Err(wasmtime::Error::new(I32Exit(4))))).unwrap();
        OutputStream::write(&mut instance.stderr.clone(), Bytes::from_static(b"why\n")).unwrap();
        let err = instance.exchange_lines::<Reply<()>>(&runtime(), &SessionRequest::Finish, &TreeIndex::default());
        assert!(matches!(&err, Err(PluginError::Exited { code: 4, stderr }) if stderr == "why"), "{err:?}");

        let (mut instance, _requests, lines) = fake();
        lines.send(Event::Ended(Ok(()))).unwrap();
        let err = instance.exchange_lines::<Reply<()>>(&runtime(), &SessionRequest::Finish, &TreeIndex::default());
        assert!(matches!(&err, Err(PluginError::Protocol(m)) if m.starts_with("it exited (status 0) before answering `finish`")));
    }

    /// The JSON block after `<!-- example: NAME -->` in docs/json-protocol.md.
    fn doc_example(name: &str) -> serde_json::Value {
        let text = include_str!("../../../docs/json-protocol.md");
        let marker = format!("<!-- example: {name} -->\n");
        let start = text.find(&marker).unwrap_or_else(|| panic!("no example {name}")) + marker.len();
        let start = start + text[start..].find("```json\n").unwrap() + "```json\n".len();
        let end = start + text[start..].find("```").unwrap();
        let block: String = text[start..end].lines().map(str::trim_start).collect::<Vec<_>>().join("\n");
        serde_json::from_str(&block).unwrap_or_else(|e| panic!("example {name}: {e}"))
    }

    #[test]
    fn the_documented_session_examples_are_what_the_host_sends_and_reads() {
        let config = vec![("style".to_string(), "title".to_string()), ("strict".to_string(), "false".to_string())];
        assert_eq!(serde_json::to_value(SessionRequest::Open { config: &config }).unwrap(), doc_example("open-request"));
        assert_eq!(serde_json::to_value(SessionRequest::Finish).unwrap(), doc_example("finish-request"));
        let finished: Reply<JsonRunOutput> = serde_json::from_value(doc_example("finish-answer")).unwrap();
        let Reply::Ok(finished) = finished else { panic!("not ok") };
        let finished = RunOutput::from(finished);
        assert_eq!(finished.diagnostics[0].path.as_deref(), Some("docs/old.md"));
        assert_eq!(finished.artifacts[0].1, "Intro\nSetup\n");

        let source = "# Setup\n\n## On Linux {#linux}\n";
        let index = TreeIndex::new(vec![DocumentSummary::of("docs/setup.md", &doc::parse(source))], Arc::default());
        let query = doc_example("query-headings").to_string();
        let Line::Query(query) = parse_line::<()>(query.as_bytes(), "transform").unwrap() else { panic!("not a query") };
        assert_eq!(answer(&query, &index), doc_example("query-headings-answer"));
    }

    #[test]
    fn the_deadline_runs_from_each_request() {
        let deadline = Deadline::new(Duration::from_millis(0));
        assert!(matches!(deadline.check(), UpdateDeadline::Interrupt), "start-up past its time");
        deadline.start(Duration::from_secs(5));
        match deadline.check() {
            UpdateDeadline::Continue(ticks) => assert!((400..=500).contains(&ticks), "{ticks}"),
            _ => panic!("a fresh request has time"),
        }
        deadline.closed.store(true, Ordering::Relaxed);
        assert!(matches!(deadline.check(), UpdateDeadline::Interrupt), "a closed instance stops");
    }
}
