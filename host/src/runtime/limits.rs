//! Per-call resource limits.

use std::time::Duration;

/// What one plugin call may use.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock deadline for one call, enforced by epoch interruption.
    pub timeout: Duration,
    /// Cap on the plugin's linear memory, in bytes.
    pub max_memory: usize,
    /// Cap on the number of edits one call may return.
    pub max_edits: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { timeout: Duration::from_secs(10), max_memory: 512 << 20, max_edits: 1_000_000 }
    }
}
