//! Why a plugin call failed, in words a user can act on.

use std::fmt;
use std::time::Duration;

/// A failed plugin call.
#[derive(Debug)]
pub enum PluginError {
    /// The call ran past its deadline.
    Timeout(Duration),
    /// The plugin tried to grow its memory past the cap.
    OutOfMemory(usize),
    /// The plugin trapped (a panic, an abort, an invalid operation).
    Trap(String),
    /// The plugin returned an error.
    Failed(String),
    /// The plugin refused to open a session with the options it was given.
    Rejected(String),
    /// The plugin returned more than the limits allow.
    TooMuchOutput(String),
    /// A WASI preview 1 plugin exited with a non-zero status; `stderr` is
    /// what it printed there.
    Exited { code: i32, stderr: String },
    /// A WASI preview 1 plugin's answer does not follow the JSON protocol.
    Protocol(String),
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PluginError::Timeout(d) => write!(
                f,
                "timed out after {} (raise the limit with --timeout)",
                humanize_duration(*d)
            ),
            PluginError::OutOfMemory(cap) => write!(
                f,
                "exceeded the memory cap of {} MiB (raise it with --max-memory)",
                cap >> 20
            ),
            PluginError::Trap(msg) => write!(f, "crashed: {msg}"),
            PluginError::Failed(msg) => write!(f, "returned an error: {msg}"),
            PluginError::Rejected(msg) => write!(f, "rejected its options: {msg}"),
            PluginError::TooMuchOutput(msg) => write!(f, "returned too much: {msg}"),
            PluginError::Exited { code, stderr } => {
                write!(f, "exited with code {code}")?;
                match stderr.trim() {
                    "" => write!(f, " and printed nothing on stderr"),
                    line if !line.contains('\n') => write!(f, "; its stderr: {line}"),
                    text => {
                        write!(f, "; its stderr:")?;
                        text.lines().try_for_each(|line| write!(f, "\n  {line}"))
                    }
                }
            }
            PluginError::Protocol(msg) => write!(f, "broke the JSON protocol: {msg} (see docs/json-protocol.md)"),
        }
    }
}

impl std::error::Error for PluginError {}

fn humanize_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

impl PluginError {
    /// Whether the instance that raised this error may be in a broken state
    /// and must not be called again.
    pub fn poisons_instance(&self) -> bool {
        matches!(self, PluginError::Timeout(_) | PluginError::OutOfMemory(_) | PluginError::Trap(_))
    }

    /// Classify an error raised by Wasmtime during a call.
    pub(super) fn from_wasmtime(err: wasmtime::Error, timeout: Duration, max_memory: usize) -> Self {
        if let Some(wasmtime::Trap::Interrupt) = err.downcast_ref::<wasmtime::Trap>() {
            return PluginError::Timeout(timeout);
        }
        // StoreLimits with trap_on_grow_failure reports every failed grow
        // this way, whatever the guest language.
        if err.chain().any(|e| e.to_string().starts_with("forcing trap when growing memory")) {
            return PluginError::OutOfMemory(max_memory);
        }
        let trap = err.downcast_ref::<wasmtime::Trap>().map(|t| t.to_string());
        let first = trap.unwrap_or_else(|| err.to_string());
        let backtrace = err
            .downcast_ref::<wasmtime::WasmBacktrace>()
            .map(|bt| format!("\n{bt}"))
            .unwrap_or_default();
        PluginError::Trap(format!("{first}{backtrace}"))
    }
}
