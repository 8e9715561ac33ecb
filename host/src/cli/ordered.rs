//! Work on a list in parallel, results in input order, memory bounded.
//!
//! Workers claim items in order and never run more than `ahead` items past
//! the last one consumed, so at most `ahead` results are held at once
//! however long the list; the caller consumes each result in input order on
//! its own thread while the workers go on. No batch barriers: a core that
//! finishes early takes the next item instead of waiting for the slowest
//! item of a batch. The consumer is woken for a run of [`BATCH`] results
//! (or sooner when a worker would wait for it, or at the end), not for each
//! one: waking it for every document cost a context switch per document and
//! took a core from the workers.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;

use anyhow::{Context, Result};

/// Results ready in input order that wake the consumer.
const BATCH: usize = 32;

/// How the workers run.
pub struct Workers {
    /// Worker threads.
    pub threads: usize,
    /// Items started but not yet consumed, at most.
    pub ahead: usize,
    /// Each worker's stack size in bytes.
    pub stack_size: usize,
}

/// What the workers and the consumer share.
struct Shared<R> {
    /// The next item to hand out.
    next: usize,
    /// Items consumed so far.
    consumed: usize,
    /// The item `results[0]` is the result of.
    front: usize,
    /// Results of the items handed out and not yet taken by the consumer;
    /// `None` while an item is being worked on.
    results: VecDeque<Option<R>>,
    /// The consumer failed or a worker panicked: start nothing more.
    abandoned: bool,
    /// Workers not yet stopped.
    running: usize,
    /// Workers waiting for the consumer to catch up.
    blocked: usize,
    /// The consumer is waiting for results.
    waiting: bool,
}

impl<R> Shared<R> {
    /// Whether the consumer has enough to do, or must not wait any longer.
    fn consumer_may_go(&self, batch: usize, all_claimed: bool) -> bool {
        let ready = self.results.iter().take(batch).take_while(|r| r.is_some()).count();
        ready >= batch || (ready > 0 && (self.blocked > 0 || all_claimed || self.abandoned)) || self.running == 0
    }
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
        let ahead = self.ahead.max(1);
        let batch = BATCH.min(ahead);
        let shared = Mutex::new(Shared {
            next: 0,
            consumed: 0,
            front: 0,
            results: VecDeque::new(),
            abandoned: false,
            running: 0,
            blocked: 0,
            waiting: false,
        });
        // Workers wait on `advanced` for the consumer, the consumer on `ready`.
        let (advanced, ready) = (Condvar::new(), Condvar::new());
        let lock = || shared.lock().unwrap_or_else(|e| e.into_inner());
        let wake_consumer = |s: &Shared<R>| {
            if s.waiting && s.consumer_may_go(batch, s.next >= items.len()) {
                ready.notify_one();
            }
        };
        // The next item this worker may start, waiting while it would be
        // too far ahead of the consumer.
        let claim = || {
            let mut s = lock();
            loop {
                if s.abandoned || s.next >= items.len() || stop() {
                    return None;
                }
                if s.next < s.consumed + ahead {
                    s.next += 1;
                    s.results.push_back(None);
                    return Some(s.next - 1);
                }
                s.blocked += 1;
                wake_consumer(&*s);
                s = advanced.wait(s).unwrap_or_else(|e| e.into_inner());
                s.blocked -= 1;
            }
        };
        thread::scope(|scope| {
            let mut outcome = Ok(());
            for n in 0..self.threads.max(1) {
                let (claim, lock, wake_consumer, advanced, ready) = (&claim, &lock, &wake_consumer, &advanced, &ready);
                lock().running += 1;
                let spawned = thread::Builder::new()
                    .name(format!("dochost-worker-{n}"))
                    .stack_size(self.stack_size)
                    .spawn_scoped(scope, move || {
                        // However the worker ends, the consumer hears of it;
                        // a panicking one stops the others, which would
                        // otherwise wait for its item forever (the scope then
                        // passes the panic on).
                        let _stopped = OnDrop(|| {
                            let mut s = lock();
                            s.running -= 1;
                            if thread::panicking() {
                                s.abandoned = true;
                                advanced.notify_all();
                            }
                            ready.notify_one();
                        });
                        while let Some(i) = claim() {
                            let result = work(&items[i]);
                            let mut s = lock();
                            let slot = i - s.front;
                            s.results[slot] = Some(result);
                            wake_consumer(&*s);
                        }
                    });
                if let Err(error) = spawned {
                    // The workers already started stop at their next claim.
                    let mut s = lock();
                    s.running -= 1;
                    s.abandoned = true;
                    outcome = Err(error).context("cannot start worker threads");
                    break;
                }
            }
            // Ends when every worker has stopped: all it started is here.
            let mut taken = Vec::with_capacity(batch);
            loop {
                let first = {
                    let mut s = lock();
                    while !s.consumer_may_go(batch, s.next >= items.len()) {
                        s.waiting = true;
                        s = ready.wait(s).unwrap_or_else(|e| e.into_inner());
                        s.waiting = false;
                    }
                    while let Some(Some(_)) = s.results.front() {
                        taken.push(s.results.pop_front().flatten().expect("a ready result"));
                    }
                    if taken.is_empty() {
                        // Every worker has stopped and nothing more will come
                        // (after a failure or a panic, a gap may be left).
                        break;
                    }
                    s.front += taken.len();
                    s.front - taken.len()
                };
                for (i, result) in (first..).zip(taken.drain(..)) {
                    if outcome.is_ok() {
                        outcome = consume(&items[i], result);
                    }
                    let mut s = lock();
                    s.consumed += 1;
                    s.abandoned |= outcome.is_err();
                    if s.blocked > 0 || s.abandoned {
                        advanced.notify_all();
                    }
                }
            }
            outcome
        })
    }
}

/// Runs its closure when dropped, on a panic too.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
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
