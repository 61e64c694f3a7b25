//! The answers the supervisor waits on from its workers, counted for its runtime's park hook
//! ([`before_park`]): while one is on its way, the supervisor's thread polls its runtime's
//! epoll instance (every socket it serves: the workers' and the clients') for a moment
//! before it sleeps there ([`crate::worker::spin`]).

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use tokio::sync::oneshot;

use crate::worker::protocol::ControlOutcome;

/// Requests forwarded to a worker and not answered yet, over all workers.
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// The epoll instances of `voxrun serve`'s process: its runtime's ([`watch_runtime`]).
static RUNTIME_POLL: OnceLock<Vec<RawFd>> = OnceLock::new();

/// Where one forwarded request's answer goes; counted in [`WAITING`] until it is answered or
/// dropped (its worker died).
pub(crate) struct Waiting {
    tx: Option<oneshot::Sender<ControlOutcome>>,
    counted_in: &'static AtomicUsize,
}

impl Waiting {
    pub(crate) fn new(tx: oneshot::Sender<ControlOutcome>) -> Self {
        Self::counted_in(&WAITING, tx)
    }

    fn counted_in(count: &'static AtomicUsize, tx: oneshot::Sender<ControlOutcome>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Waiting {
            tx: Some(tx),
            counted_in: count,
        }
    }

    pub(crate) fn answer(mut self, outcome: ControlOutcome) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(outcome);
        }
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.counted_in.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Called once `voxrun serve`'s runtime is built: its epoll instance is what
/// [`before_park`] polls.
pub fn watch_runtime() {
    let _ = RUNTIME_POLL.set(crate::worker::spin::epoll_instances());
}

/// The park hook of `voxrun serve`'s runtime: while a worker owes an answer, poll for input
/// briefly before the thread sleeps.
pub fn before_park() {
    if WAITING.load(Ordering::Relaxed) == 0 {
        return;
    }
    if let Some(fds) = RUNTIME_POLL.get() {
        crate::worker::spin::until_readable(fds);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The count the park hook looks at goes back down however a wait ends.
    #[test]
    fn every_wait_is_counted_until_answered_or_dropped() {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let (tx1, rx1) = oneshot::channel();
        let (tx2, rx2) = oneshot::channel();
        let answered = Waiting::counted_in(&COUNT, tx1);
        let dropped = Waiting::counted_in(&COUNT, tx2);
        assert_eq!(COUNT.load(Ordering::Relaxed), 2);
        answered.answer(ControlOutcome::Busy);
        assert_eq!(COUNT.load(Ordering::Relaxed), 1);
        drop(dropped);
        assert_eq!(COUNT.load(Ordering::Relaxed), 0);
        assert!(matches!(rx1.blocking_recv(), Ok(ControlOutcome::Busy)));
        assert!(
            rx2.blocking_recv().is_err(),
            "a dropped wait answers nothing"
        );
    }
}
