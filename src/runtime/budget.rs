//! The per-event CPU limit of one session ([`EventBudget`]).
//!
//! Only the time *this* session's code is being polled counts, so the other sessions
//! sharing its worker thread (which run whenever it yields) do not use it up. And it is
//! CPU time, not wall time: on a loaded machine (a CI runner, a laptop building code) a
//! handler that is preempted does not run out of its limit while it waits for a core.
//!
//! Reading the thread CPU clock is a system call (about 0.7 µs here, against 25 ns for the
//! monotonic clock), and most polls are a few microseconds long. So a poll shorter than
//! [`PRECISE_AFTER`] of wall time is charged its wall time, and a longer one its thread
//! CPU time, counted from a per-thread sample taken at most [`PRECISE_AFTER`] before the
//! poll began: no clock call on the short path, and at most one system call per
//! [`PRECISE_AFTER`] per thread to keep the sample fresh. The charge is off by less than
//! [`PRECISE_AFTER`] per poll, which is small against a limit of a second.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::time::{Duration, Instant};

use crate::cpu::thread_cpu;

/// Polls shorter than this (wall time) are charged their wall time.
const PRECISE_AFTER: Duration = Duration::from_millis(10);

thread_local! {
    /// This thread's last CPU clock reading, and when it was taken.
    static SAMPLE: Cell<Option<(Instant, Duration)>> = const { Cell::new(None) };
}

/// Where a poll began: the wall clock, and the thread's CPU time at most
/// [`PRECISE_AFTER`] before it (`None` if the CPU clock cannot be read).
#[derive(Clone, Copy)]
struct PollStart {
    wall: Instant,
    cpu: Option<Duration>,
}

impl PollStart {
    fn now() -> Self {
        let wall = Instant::now();
        let cpu = SAMPLE.with(|s| match s.get() {
            Some((at, cpu)) if wall.saturating_duration_since(at) < PRECISE_AFTER => Some(cpu),
            _ => {
                let cpu = thread_cpu();
                s.set(cpu.map(|c| (wall, c)));
                cpu
            }
        });
        PollStart { wall, cpu }
    }

    /// What this poll has used so far.
    fn used(self) -> Duration {
        let wall = self.wall.elapsed();
        if wall < PRECISE_AFTER {
            return wall;
        }
        match (self.cpu, thread_cpu()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => wall,
        }
    }
}

/// The per-event CPU limit of one session (see the module doc).
pub(crate) struct EventBudget {
    limit: Cell<Duration>,
    spent: Cell<Duration>,
    poll: Cell<Option<PollStart>>,
}

impl EventBudget {
    pub(crate) fn new(limit: Duration) -> Self {
        EventBudget {
            limit: Cell::new(limit),
            spent: Cell::new(Duration::ZERO),
            poll: Cell::new(None),
        }
    }

    pub(crate) fn set_limit(&self, limit: Duration) {
        self.limit.set(limit);
    }

    /// A new event: nothing used yet.
    pub(crate) fn reset(&self) {
        self.spent.set(Duration::ZERO);
        self.poll.set(None);
    }

    /// Time used so far, the current poll included.
    pub(crate) fn used(&self) -> Duration {
        let running = self.poll.get().map(PollStart::used).unwrap_or_default();
        self.spent.get() + running
    }

    pub(crate) fn exceeded(&self) -> bool {
        self.used() >= self.limit.get()
    }
}

/// Runs `fut`, charging the time spent inside its polls to `budget` (a nested `metered`
/// on the same budget charges nothing twice).
pub(crate) async fn metered<F: Future>(budget: &EventBudget, fut: F) -> F::Output {
    let mut fut = pin!(fut);
    std::future::poll_fn(|cx| {
        let outer = budget.poll.get().is_some();
        if !outer {
            budget.poll.set(Some(PollStart::now()));
        }
        let r = fut.as_mut().poll(cx);
        if !outer {
            if let Some(start) = budget.poll.take() {
                budget.spent.set(budget.spent.get() + start.used());
            }
        }
        r
    })
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cpu::burn_cpu;

    #[test]
    fn a_poll_that_burns_cpu_is_charged_and_trips_the_limit() {
        let budget = EventBudget::new(Duration::from_millis(30));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(metered(&budget, async {
            burn_cpu(Duration::from_millis(60))
        }));
        assert!(budget.exceeded(), "used {:?}", budget.used());
        budget.reset();
        assert!(!budget.exceeded());
    }

    #[test]
    fn time_asleep_inside_a_poll_is_not_charged() {
        // A preempted or blocked thread uses wall time, not CPU time: like a handler on a
        // loaded machine, it must not run out of its limit.
        let budget = EventBudget::new(Duration::from_millis(100));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(metered(&budget, async {
            std::thread::sleep(Duration::from_millis(300))
        }));
        assert!(!budget.exceeded(), "used {:?}", budget.used());
    }

    #[test]
    fn time_between_polls_is_not_charged() {
        let budget = EventBudget::new(Duration::from_millis(100));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(metered(&budget, async {
            tokio::time::sleep(Duration::from_millis(300)).await
        }));
        assert!(!budget.exceeded(), "used {:?}", budget.used());
    }
}
