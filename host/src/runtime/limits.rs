//! Per-call resource limits.

use std::time::Duration;

use wasmtime::{Store, StoreLimits, StoreLimitsBuilder};

/// How often the engine's epoch advances: the granularity of `--timeout`.
pub(super) const EPOCH_TICK: Duration = Duration::from_millis(10);

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

impl Limits {
    /// The memory cap for one store. A failed grow traps, so that every
    /// guest language reports it the same way (see `PluginError`).
    pub(super) fn store_limits(&self) -> StoreLimits {
        StoreLimitsBuilder::new().memory_size(self.max_memory).trap_on_grow_failure(true).build()
    }

    /// Arm the deadline of a fresh store: it traps `timeout` from now.
    pub(super) fn arm_deadline<T>(&self, store: &mut Store<T>) {
        let ticks = self.timeout.as_millis().div_ceil(EPOCH_TICK.as_millis()).max(1) as u64;
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
    }
}
