//! A plugin's stdout and stderr, captured per call and forwarded to ours
//! line by line behind the plugin's name, so that a session reused across
//! documents never accumulates output.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};

/// How much a plugin may write to stdout and stderr during one call.
pub(super) const CAPTURE_PER_CALL: usize = 1 << 20;

/// An output stream whose contents are taken after every call.
#[derive(Clone, Default)]
pub(super) struct Capture {
    buffer: Arc<Mutex<BytesMut>>,
}

impl Capture {
    /// Everything written since the last `take`.
    pub fn take(&self) -> BytesMut {
        std::mem::take(&mut *self.buffer.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn room(&self) -> usize {
        CAPTURE_PER_CALL.saturating_sub(self.buffer.lock().unwrap_or_else(|e| e.into_inner()).len())
    }

    fn push(&self, bytes: &[u8]) {
        self.buffer.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
    }
}

#[wasmtime_wasi::async_trait]
impl OutputStream for Capture {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        if bytes.len() > self.room() {
            return Err(StreamError::Trap(wasmtime::format_err!(
                "the plugin wrote more than {} MiB to stdout or stderr in one call",
                CAPTURE_PER_CALL >> 20
            )));
        }
        self.push(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, StreamError> {
        match self.room() {
            0 => Err(StreamError::Closed),
            room => Ok(room),
        }
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for Capture {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for Capture {
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = buf.len().min(self.room());
        self.push(&buf[..n]);
        Poll::Ready(Ok(n))
    }
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for Capture {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for Capture {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

/// Print a plugin's output on our stderr, one line at a time behind `prefix`.
pub(super) fn forward(prefix: &str, bytes: &[u8]) {
    use std::io::Write;
    if bytes.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    let mut err = std::io::stderr().lock();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(err, "{prefix}: {line}");
    }
}
