//! A progress bar on stderr for runs longer than a moment, on a terminal
//! only: logs and pipes get none.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its bar appears: short runs never flash one.
const DELAY: Duration = Duration::from_millis(300);

/// Documents done, across the stages of a pipeline.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// Whether the bar may be drawn at all.
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `total` steps (documents × stages), drawn only when
    /// `enabled` and once the run has taken [`DELAY`].
    pub fn new(total: usize, enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{msg:>16} [{bar:32}] {pos}/{len} {elapsed}")
            .expect("a valid template")
            .progress_chars("=> ");
        bar.set_style(style);
        Progress { bar, started: Instant::now(), enabled, shown: AtomicBool::new(false) }
    }

    /// One document done by `stage`.
    pub fn step(&self, stage: &str) {
        self.bar.inc(1);
        if self.enabled && self.started.elapsed() > DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if self.shown.load(Ordering::Relaxed) && self.bar.message() != stage {
            self.bar.set_message(stage.to_string());
        }
    }

    /// Take the bar off the screen before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
