//! A short wait for input a thread expects soon, before it goes to sleep.
//!
//! A forwarded control request crosses four wake-ups (client, supervisor, worker,
//! supervisor). On the small VMs voxrun is measured on, a thread woken on an idle core waits
//! tens of microseconds for that core to leave its halt: with the guest's own idle polling
//! turned on, the control URL at 8 connections went from 34k to 46k requests/s
//! (BENCHMARKS.md, session 18). A thread that knows an answer is on its way polls for it for
//! [`SPIN_FOR`] first, and gives its core to any other runnable thread between two polls, so
//! the wait only uses time the core would have spent idle.

use std::os::fd::RawFd;
use std::time::{Duration, Instant};

/// How long a thread polls for expected input before it sleeps. 30 us: about 27 % more
/// control requests/s at 8 connections and 8 % more at 32 with `wrk`; 15 and 50 us were not
/// distinguishable from it (BENCHMARKS.md, session 18).
pub const SPIN_FOR: Duration = Duration::from_micros(30);

/// Polls `fds` until one has input (or is no longer valid), for at most [`SPIN_FOR`],
/// yielding the core between polls. The caller sleeps in its runtime afterwards either way;
/// this only decides how soon it finds its input there.
pub fn until_readable(fds: &[RawFd]) {
    let _ = poll_for(fds, SPIN_FOR);
}

/// The process's epoll instances (an epoll descriptor polls readable while any descriptor
/// it watches has input): found in `/proc/self/fd`, empty where that cannot be read.
pub fn epoll_instances() -> Vec<RawFd> {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    dir.filter_map(|entry| {
        let entry = entry.ok()?;
        let fd: RawFd = entry.file_name().to_str()?.parse().ok()?;
        let target = std::fs::read_link(entry.path()).ok()?;
        (target.as_os_str() == "anon_inode:[eventpoll]").then_some(fd)
    })
    .collect()
}

/// How a [`poll_for`] ended.
#[derive(Debug, PartialEq, Eq)]
enum Spun {
    Readable,
    GaveUp,
}

fn poll_for(fds: &[RawFd], limit: Duration) -> Spun {
    if fds.is_empty() {
        return Spun::GaveUp;
    }
    let mut polled: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let count = polled.len() as libc::nfds_t;
    let start = Instant::now();
    loop {
        // SAFETY: `polled` is a valid array of `count` pollfds for the call's duration; a
        // timeout of 0 never blocks.
        let ready = unsafe { libc::poll(polled.as_mut_ptr(), count, 0) };
        if ready != 0 {
            return Spun::Readable;
        }
        if start.elapsed() >= limit {
            return Spun::GaveUp;
        }
        // SAFETY: no arguments; lets another runnable thread have this core.
        unsafe {
            libc::sched_yield();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsRawFd;

    #[test]
    fn returns_when_input_arrives_and_gives_up_without_it() {
        let (mut a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let fds = [b.as_raw_fd()];
        assert_eq!(poll_for(&fds, Duration::from_millis(1)), Spun::GaveUp);
        // Input written while it polls ends the wait, long before its limit.
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            a.write_all(b"x").unwrap();
            a
        });
        assert_eq!(poll_for(&fds, Duration::from_secs(600)), Spun::Readable);
        drop(writer.join().unwrap());
        assert_eq!(poll_for(&[], Duration::from_secs(600)), Spun::GaveUp);
    }

    #[test]
    fn a_runtime_epoll_instance_is_found_and_polls_readable_with_input() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let found = epoll_instances();
        assert!(!found.is_empty(), "no epoll instance in /proc/self/fd");
        let (mut a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        b.set_nonblocking(true).unwrap();
        let _registered = rt.block_on(async { tokio::net::UnixStream::from_std(b).unwrap() });
        a.write_all(b"x").unwrap();
        // The runtime's instance (one of those found) now has input.
        assert_eq!(poll_for(&found, Duration::from_secs(600)), Spun::Readable);
    }
}
