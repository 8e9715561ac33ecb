//! Work on a list in parallel, results in input order, memory bounded.
//!
//! Workers claim items in order and never run more than `ahead` items past
//! the last one consumed, so at most `ahead` results are held at once
//! however long the list; the caller consumes each result in input order on
//! its own thread while the workers go on. No batch barriers: a core that
//! finishes early takes the next item instead of waiting for the slowest
//! item of a batch.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::thread;

use anyhow::{Context, Result};

/// How the workers run.
pub struct Workers {
    /// Worker threads.
    pub threads: usize,
    /// Items started but not yet consumed, at most.
    pub ahead: usize,
    /// Each worker's stack size in bytes.
    pub stack_size: usize,
}

/// Which items have been handed out and consumed.
struct Claims {
    next: usize,
    consumed: usize,
    /// The consumer failed: start nothing more.
    abandoned: bool,
}

impl Workers {
    /// `work` on every item of `items` on the worker threads, and `consume`
    /// each result in input order on this thread. Before an item is started
    /// `stop()` is asked: once it says yes nothing more starts, and every
    /// item already started is finished and consumed. If `consume` fails,
    /// nothing more starts, the remaining results are dropped and the error
    /// is returned.
    pub fn for_each_ordered<T: Sync, R: Send>(
        &self,
        items: &[T],
        stop: &(dyn Fn() -> bool + Sync),
        work: &(dyn Fn(&T) -> R + Sync),
        mut consume: impl FnMut(&T, R) -> Result<()>,
    ) -> Result<()> {
        let claims = Mutex::new(Claims { next: 0, consumed: 0, abandoned: false });
        let advanced = Condvar::new();
        let ahead = self.ahead.max(1);
        // The next item this worker may start, waiting while it would be
        // too far ahead of the consumer.
        let claim = || {
            let mut c = claims.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if c.abandoned || c.next >= items.len() || stop() {
                    return None;
                }
                if c.next < c.consumed + ahead {
                    c.next += 1;
                    return Some(c.next - 1);
                }
                c = advanced.wait(c).unwrap_or_else(|e| e.into_inner());
            }
        };
        thread::scope(|scope| {
            let (sender, results) = mpsc::channel::<(usize, R)>();
            let mut outcome = Ok(());
            for n in 0..self.threads.max(1) {
                let sender = sender.clone();
                let (claim, claims, advanced) = (&claim, &claims, &advanced);
                let spawned = thread::Builder::new()
                    .name(format!("dochost-worker-{n}"))
                    .stack_size(self.stack_size)
                    .spawn_scoped(scope, move || {
                        // A panicking worker stops the others, which would
                        // otherwise wait for its item forever; the scope
                        // then passes the panic on.
                        let _stop_all_on_panic = OnPanic(|| {
                            claims.lock().unwrap_or_else(|e| e.into_inner()).abandoned = true;
                            advanced.notify_all();
                        });
                        while let Some(i) = claim() {
                            if sender.send((i, work(&items[i]))).is_err() {
                                break;
                            }
                        }
                    });
                if let Err(error) = spawned {
                    // The workers already started stop at their next claim.
                    claims.lock().unwrap_or_else(|e| e.into_inner()).abandoned = true;
                    outcome = Err(error).context("cannot start worker threads");
                    break;
                }
            }
            drop(sender);
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            // Ends when every worker has stopped: all it started is here.
            for (i, result) in results {
                waiting.insert(i, result);
                while let Some(result) = waiting.remove(&next) {
                    if outcome.is_ok() {
                        outcome = consume(&items[next], result);
                    }
                    next += 1;
                    let mut c = claims.lock().unwrap_or_else(|e| e.into_inner());
                    c.consumed = next;
                    c.abandoned |= outcome.is_err();
                    advanced.notify_all();
                }
            }
            outcome
        })
    }
}

/// Runs its closure when dropped during a panic.
struct OnPanic<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnPanic<F> {
    fn drop(&mut self) {
        if thread::panicking() {
            (self.0)();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn workers(threads: usize, ahead: usize) -> Workers {
        Workers { threads, ahead, stack_size: 1 << 20 }
    }

    #[test]
    fn results_arrive_in_input_order_whatever_the_finishing_order() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        workers(4, 16)
            .for_each_ordered(
                &items,
                &|| false,
                // Early items take longest, so later ones finish first.
                &|&i| {
                    thread::sleep(std::time::Duration::from_micros((200 - i) * 20));
                    i * 2
                },
                |&item, doubled| {
                    assert_eq!(doubled, item * 2);
                    seen.push(item);
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(seen, items);
    }

    #[test]
    fn never_more_than_ahead_items_are_outstanding() {
        let started = AtomicUsize::new(0);
        let items: Vec<usize> = (0..500).collect();
        let mut consumed = 0;
        workers(3, 8)
            .for_each_ordered(
                &items,
                &|| false,
                &|_| started.fetch_add(1, Ordering::SeqCst) + 1,
                |_, _| {
                    consumed += 1;
                    // Everything started is consumed, or within `ahead` of it.
                    assert!(started.load(Ordering::SeqCst) <= consumed - 1 + 8);
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(consumed, 500);
    }

    #[test]
    fn after_stop_everything_started_is_consumed_and_nothing_more_starts() {
        let started = AtomicUsize::new(0);
        let items: Vec<usize> = (0..1000).collect();
        let mut consumed = Vec::new();
        workers(2, 4)
            .for_each_ordered(
                &items,
                &|| started.load(Ordering::SeqCst) >= 10,
                &|&i| {
                    started.fetch_add(1, Ordering::SeqCst);
                    i
                },
                |&item, _| {
                    consumed.push(item);
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(consumed.len(), started.load(Ordering::SeqCst));
        assert_eq!(consumed, (0..consumed.len()).collect::<Vec<_>>(), "no gaps");
        assert!(consumed.len() < 20);
    }

    #[test]
    fn a_panicking_worker_ends_the_run_with_its_panic_instead_of_a_hang() {
        let items: Vec<usize> = (0..1000).collect();
        let run = std::panic::catch_unwind(|| {
            workers(2, 4).for_each_ordered(&items, &|| false, &|&i| assert_ne!(i, 3, "a bug"), |_, ()| Ok(()))
        });
        assert!(run.is_err(), "the panic is passed on");
    }

    #[test]
    fn a_failed_consume_stops_the_run_and_is_returned() {
        let started = AtomicUsize::new(0);
        let items: Vec<usize> = (0..1000).collect();
        let error = workers(2, 4)
            .for_each_ordered(
                &items,
                &|| false,
                &|&i| {
                    started.fetch_add(1, Ordering::SeqCst);
                    i
                },
                |&item, _| if item == 5 { anyhow::bail!("disk full") } else { Ok(()) },
            )
            .unwrap_err();
        assert_eq!(error.to_string(), "disk full");
        assert!(started.load(Ordering::SeqCst) <= 6 + 4, "started {}", started.load(Ordering::SeqCst));
    }
}
