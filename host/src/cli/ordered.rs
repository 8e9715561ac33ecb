//! Work on a list in parallel, results in input order, memory bounded.
//!
//! Workers take items from a window that never reaches more than `ahead`
//! items past the last one consumed, so at most `ahead` results are held at
//! once however long the list; the caller consumes each result in input
//! order on its own thread while the workers go on. No batch barriers: a
//! core that finishes early takes the next item instead of waiting for the
//! slowest item of a batch. The consumer is woken for a run of [`BATCH`]
//! results (or sooner when a worker would wait for it, or at the end), not
//! for each one: waking it for every document cost a context switch per
//! document and took a core from the workers.
//!
//! Items may belong to a group (for dochost, the directory a result is
//! written to) that gains nothing from two workers at once. A worker takes
//! the first item of the window whose group no other worker is on, and the
//! first item of all only when there is none: so workers spread over the
//! groups the window holds, and share one when it holds one.

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

/// An item of the window; a waiting one with its group.
enum Slot<'g, R, G: ?Sized> {
    Waiting(Option<&'g G>),
    Started,
    Done(R),
}

/// What the workers and the consumer share.
struct Shared<'g, R, G: ?Sized> {
    /// Items before this one are in the window or were consumed.
    reached: usize,
    /// Items in the window not yet started.
    waiting: usize,
    /// Items consumed so far.
    consumed: usize,
    /// The item `slots[0]` is.
    front: usize,
    /// The window: every item reached and not yet taken by the consumer.
    slots: VecDeque<Slot<'g, R, G>>,
    /// The items being worked on, with their groups.
    started: Vec<(usize, Option<&'g G>)>,
    /// The consumer failed or a worker panicked: start nothing more.
    abandoned: bool,
    /// Workers not yet stopped.
    running: usize,
    /// Workers waiting for the consumer to catch up.
    blocked: usize,
    /// The consumer is waiting for results.
    consumer_waits: bool,
}

impl<R, G: PartialEq + ?Sized> Shared<'_, R, G> {
    /// Whether every item has been started.
    fn all_started(&self, len: usize) -> bool {
        self.reached >= len && self.waiting == 0
    }

    /// Whether the consumer has enough to do, or must not wait any longer.
    fn consumer_may_go(&self, batch: usize, len: usize) -> bool {
        let ready = self.slots.iter().take(batch).take_while(|r| matches!(r, Slot::Done(_))).count();
        ready >= batch || (ready > 0 && (self.blocked > 0 || self.all_started(len) || self.abandoned)) || self.running == 0
    }

    /// The item to start next: the first waiting one whose group no started
    /// item has, else the first waiting one.
    fn pick(&self) -> Option<usize> {
        let mut waiting = self.slots.iter().enumerate().filter_map(|(k, slot)| match slot {
            Slot::Waiting(group) => Some((k, *group)),
            _ => None,
        });
        let first = waiting.next()?;
        let free = |(_, group): &(usize, Option<&G>)| group.is_none_or(|g| self.started.iter().all(|(_, other)| *other != Some(g)));
        Some(self.front + std::iter::once(first).chain(waiting).find(free).unwrap_or(first).0)
    }
}

impl Workers {
    /// `work` on every item of `items` on the worker threads, and `consume`
    /// each result in input order on this thread. Items of the same `group`
    /// are not worked on at once while the window holds others. Before an
    /// item is started `stop()` is asked: once it says yes nothing more
    /// starts, and every item already started is finished and consumed. If
    /// `consume` fails, nothing more starts, the remaining results are
    /// dropped and the error is returned.
    pub fn for_each_ordered<T: Sync, R: Send, G: PartialEq + Sync + ?Sized>(
        &self,
        items: &[T],
        group: &(dyn Fn(&T) -> Option<&G> + Sync),
        stop: &(dyn Fn() -> bool + Sync),
        work: &(dyn Fn(&T) -> R + Sync),
        mut consume: impl FnMut(&T, R) -> Result<()>,
    ) -> Result<()> {
        let ahead = self.ahead.max(1);
        let batch = BATCH.min(ahead);
        let len = items.len();
        let shared = Mutex::new(Shared {
            reached: 0,
            waiting: 0,
            consumed: 0,
            front: 0,
            slots: VecDeque::new(),
            started: Vec::new(),
            abandoned: false,
            running: 0,
            blocked: 0,
            consumer_waits: false,
        });
        // Workers wait on `advanced` for the consumer, the consumer on `ready`.
        let (advanced, ready) = (Condvar::new(), Condvar::new());
        let lock = || shared.lock().unwrap_or_else(|e| e.into_inner());
        let wake_consumer = |s: &Shared<R, G>| {
            if s.consumer_waits && s.consumer_may_go(batch, len) {
                ready.notify_one();
            }
        };
        // The next item this worker may start, waiting while the window is
        // full and every item in it started.
        let claim = || {
            let mut s = lock();
            loop {
                if s.abandoned || s.all_started(len) || stop() {
                    return None;
                }
                let end = len.min(s.consumed + ahead);
                while s.reached < end {
                    let waiting = Slot::Waiting(group(&items[s.reached]));
                    s.slots.push_back(waiting);
                    s.reached += 1;
                    s.waiting += 1;
                }
                if let Some(i) = s.pick() {
                    let slot = i - s.front;
                    let Slot::Waiting(group) = std::mem::replace(&mut s.slots[slot], Slot::Started) else { unreachable!("picked a waiting item") };
                    s.waiting -= 1;
                    s.started.push((i, group));
                    return Some(i);
                }
                s.blocked += 1;
                wake_consumer(&s);
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
                            s.slots[slot] = Slot::Done(result);
                            s.started.retain(|&(started, _)| started != i);
                            wake_consumer(&s);
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
                    while !s.consumer_may_go(batch, len) {
                        s.consumer_waits = true;
                        s = ready.wait(s).unwrap_or_else(|e| e.into_inner());
                        s.consumer_waits = false;
                    }
                    while let Some(Slot::Done(_)) = s.slots.front() {
                        let Some(Slot::Done(result)) = s.slots.pop_front() else { unreachable!("a ready result") };
                        taken.push(result);
                    }
                    if taken.is_empty() {
                        // Every worker has stopped and nothing more will
                        // come. After a stop, items past one never started
                        // may have been done: they are consumed too (after
                        // a failure or a panic, one started may be missing).
                        let mut rest = Vec::new();
                        for (k, slot) in std::mem::take(&mut s.slots).into_iter().enumerate() {
                            if let Slot::Done(result) = slot {
                                rest.push((s.front + k, result));
                            }
                        }
                        drop(s);
                        for (i, result) in rest {
                            if outcome.is_ok() {
                                outcome = consume(&items[i], result);
                            }
                        }
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

    fn no_groups<T>(_: &T) -> Option<&()> {
        None
    }

    #[test]
    fn results_arrive_in_input_order_whatever_the_finishing_order() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        workers(4, 16)
            .for_each_ordered(
                &items,
                &no_groups,
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
                &no_groups,
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
                &no_groups,
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

    /// Items "a" 0–3 and "b" 4–7: the first two started run at once.
    fn two_groups() -> Vec<(usize, &'static str)> {
        (0..8).map(|i| (i, if i < 4 { "a" } else { "b" })).collect()
    }

    fn group_of<'a>(item: &'a (usize, &'static str)) -> Option<&'a str> {
        Some(item.1)
    }

    #[test]
    fn a_second_worker_takes_an_item_of_another_group_and_results_stay_in_order() {
        let items = two_groups();
        let order = Mutex::new(Vec::new());
        // The first two items started wait for each other: both are running
        // when the second is picked.
        let both = std::sync::Barrier::new(2);
        let mut seen = Vec::new();
        workers(2, 8)
            .for_each_ordered(
                &items,
                &group_of,
                &|| false,
                &|&(i, _)| {
                    let n = {
                        let mut order = order.lock().unwrap();
                        order.push(i);
                        order.len()
                    };
                    if n <= 2 {
                        both.wait();
                    }
                    i
                },
                |&(item, _), i| {
                    assert_eq!(item, i);
                    seen.push(i);
                    Ok(())
                },
            )
            .unwrap();
        let order = order.into_inner().unwrap();
        assert_eq!(order[..2], [0, 4], "{order:?}");
        assert_eq!(seen, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn after_a_stop_items_done_past_one_never_started_are_consumed() {
        let items = two_groups();
        let started = AtomicUsize::new(0);
        let both = std::sync::Barrier::new(2);
        let mut consumed = Vec::new();
        workers(2, 8)
            .for_each_ordered(
                &items,
                &group_of,
                &|| started.load(Ordering::SeqCst) >= 2,
                &|&(i, _)| {
                    started.fetch_add(1, Ordering::SeqCst);
                    both.wait();
                    i
                },
                |_, i| {
                    consumed.push(i);
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(consumed, [0, 4], "items 1-3 never started");
    }

    #[test]
    fn a_panicking_worker_ends_the_run_with_its_panic_instead_of_a_hang() {
        let items: Vec<usize> = (0..1000).collect();
        let run = std::panic::catch_unwind(|| {
            workers(2, 4).for_each_ordered(&items, &no_groups, &|| false, &|&i| assert_ne!(i, 3, "a bug"), |_, ()| Ok(()))
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
                &no_groups,
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
