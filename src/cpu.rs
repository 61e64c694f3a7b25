//! Thread CPU clocks, and the one rule that calls a silent thread stuck.
//!
//! The per-event limit and the watchdogs count CPU time, not wall time: on a loaded machine
//! (a CI runner, a laptop building code) a thread that waits for a core is not running
//! away, and killing its worker would end healthy sessions.

use std::time::Duration;

/// A thread that stays silent this many times the stuck limit is stuck even when it burns
/// no CPU (blocked in a system call, or its CPU clock cannot be read).
const BLOCKED_FACTOR: u32 = 10;

/// CPU time of the calling thread; `None` when the clock cannot be read.
pub fn thread_cpu() -> Option<Duration> {
    read_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn read_clock(clock: libc::clockid_t) -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let r = unsafe { libc::clock_gettime(clock, &mut ts) };
    (r == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

/// The CPU clock of one thread of this process, readable from any other thread.
#[derive(Debug, Clone, Copy)]
pub struct ThreadClock(libc::clockid_t);

impl ThreadClock {
    /// The calling thread's clock.
    pub fn current() -> Option<ThreadClock> {
        let mut clock: libc::clockid_t = 0;
        // SAFETY: `pthread_self` is always valid for the calling thread; `clock` is writable.
        let r = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
        (r == 0).then_some(ThreadClock(clock))
    }

    /// CPU time of the thread so far; `None` once it has exited.
    pub fn read(self) -> Option<Duration> {
        read_clock(self.0)
    }
}

/// CPU time of the main thread of process `pid` (`/proc/<pid>/task/<pid>/schedstat`, the
/// same count as `CLOCK_THREAD_CPUTIME_ID` inside it); `None` when it cannot be read.
pub fn main_thread_cpu_of(pid: u32) -> Option<Duration> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/schedstat")).ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Whether a thread that has not answered for `silent` (wall time) is stuck in code that
/// does not return: it burned more than `limit` of CPU since it last answered
/// (`cpu_since`), or it has been silent for [`BLOCKED_FACTOR`] × `limit` whatever it did.
/// An unreadable CPU clock (`None`) falls back to wall time. `cpu_since` is only asked
/// for once the thread has been silent past `limit`.
pub fn is_stuck(
    silent: Duration,
    cpu_since: impl FnOnce() -> Option<Duration>,
    limit: Duration,
) -> bool {
    if silent <= limit {
        return false;
    }
    match cpu_since() {
        Some(cpu) => cpu > limit || silent > limit * BLOCKED_FACTOR,
        None => true,
    }
}

/// Burns `d` of the calling thread's CPU time, however long that takes on a loaded machine.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn burn_cpu(d: Duration) {
    let start = thread_cpu().unwrap();
    while thread_cpu().unwrap() - start < d {
        std::hint::black_box(0u64);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_thread_is_stuck_when_it_burns_cpu_not_when_it_waits() {
        let limit = Duration::from_secs(2);
        let s = Duration::from_secs;
        // Answered recently: never stuck.
        assert!(!is_stuck(s(1), || Some(s(1)), limit));
        // Silent and burning CPU: stuck.
        assert!(is_stuck(s(3), || Some(Duration::from_millis(2500)), limit));
        // Silent but starved of CPU (a loaded machine): not yet.
        assert!(!is_stuck(s(5), || Some(s(1)), limit));
        // Silent for ten times the limit: stuck whatever it did.
        assert!(is_stuck(s(21), || Some(Duration::ZERO), limit));
        // No CPU clock: wall time decides.
        assert!(is_stuck(s(3), || None, limit));
    }

    #[test]
    fn another_threads_clock_counts_that_threads_cpu() {
        let (clock_tx, clock_rx) = std::sync::mpsc::channel();
        let (spun_tx, spun_rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            clock_tx.send(ThreadClock::current().unwrap()).unwrap();
            burn_cpu(Duration::from_millis(50));
            spun_tx.send(()).unwrap();
            done_rx.recv().unwrap();
        });
        let clock = clock_rx.recv().unwrap();
        let waiting_here = thread_cpu().unwrap();
        spun_rx.recv().unwrap();
        assert!(clock.read().unwrap() >= Duration::from_millis(50));
        // Waiting for it burned (next to) nothing on this thread.
        assert!(thread_cpu().unwrap() - waiting_here < Duration::from_millis(50));
        done_tx.send(()).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn the_main_thread_of_a_process_can_be_read_from_proc() {
        let cpu = main_thread_cpu_of(std::process::id());
        assert!(cpu.is_some_and(|c| c > Duration::ZERO), "{cpu:?}");
        assert_eq!(main_thread_cpu_of(u32::MAX), None);
    }
}
