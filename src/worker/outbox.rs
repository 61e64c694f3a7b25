//! Frames to the supervisor, written by whichever thread of the worker has one (the main
//! thread's heartbeats, a JS thread's log lines and replies): no writer task has to be
//! woken, which is one thread hop less on every control request.
//!
//! Replies to control requests, transcript entries and the runtime's line for each control
//! request are held in a buffer of the thread that made them, and go out together: in the
//! same write as that thread's next other frame, when the thread is about to go idle (the
//! runtimes' park hook, [`flush_held`]), or once the oldest of them is [`HOLD_FOR`] old
//! (checked as each is held, after each poll of a session, and after each frame the main
//! thread reads). When requests queue up for a thread, their frames then share one write
//! and one wake-up of the supervisor instead of paying one each. A session lives on one
//! thread, so its frames keep their order.
//!
//! A thread that hangs in a native builtin checks nothing: a sweeper thread writes what any
//! thread has held for longer than [`SWEEP_EVERY`] (the line of the request a handler hangs
//! in, say), long before the supervisor kills the worker for the hang. Every other log line
//! goes out at once, behind what its thread holds: a line written just before script code
//! crashes the process must still arrive.

use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use super::protocol::{self, FromWorker};

pub(crate) struct Outbox {
    stream: Mutex<std::os::unix::net::UnixStream>,
}

pub(crate) type Out = Arc<Outbox>;

/// Frames held by one thread, and when the oldest of them was held.
#[derive(Default)]
struct Held {
    bytes: Vec<u8>,
    since: Option<Instant>,
}

type SharedHeld = Arc<Mutex<Held>>;

thread_local! {
    /// Frames held by this thread (see the module doc). Behind a lock only so that the
    /// sweeper can write them when this thread hangs; nobody else takes it.
    static HELD: SharedHeld = {
        let held = SharedHeld::default();
        if let Ok(mut all) = EVERY_THREAD.lock() {
            all.retain(|h| h.strong_count() > 0);
            all.push(Arc::downgrade(&held));
        }
        held
    };
}

/// The held buffers of the worker's threads (of those still alive).
static EVERY_THREAD: Mutex<Vec<Weak<Mutex<Held>>>> = Mutex::new(Vec::new());

/// The worker's one outbox, for the park hook ([`flush_held`]).
static OUTBOX: OnceLock<Out> = OnceLock::new();

/// Held frames past this many bytes are written at once.
const HOLD_MAX: usize = 64 * 1024;

/// Held frames are written once the oldest is this old, even while the thread is busy.
/// Short enough that the supervisor writes the first responses of a batch while this
/// thread still runs the rest (a batch held whole left a core idle meanwhile: 20 us gave
/// about 8 % more control requests per second than 100 us, BENCHMARKS.md, session 17),
/// long enough that a few replies share each write.
const HOLD_FOR: Duration = Duration::from_micros(20);

/// How often the sweeper looks for frames a thread has held too long.
const SWEEP_EVERY: Duration = Duration::from_millis(25);

/// The worker's outbox on `stream`, and its sweeper; the park hook ([`flush_held`]) writes
/// through it.
pub(crate) fn install(stream: std::os::unix::net::UnixStream) -> std::io::Result<Out> {
    let out = OUTBOX.get_or_init(|| {
        Arc::new(Outbox {
            stream: Mutex::new(stream),
        })
    });
    std::thread::Builder::new()
        .name("outbox-sweeper".into())
        .spawn(|| loop {
            std::thread::sleep(SWEEP_EVERY);
            sweep();
        })?;
    Ok(out.clone())
}

/// Writes the frames this thread holds; the park hook of every JS thread of a worker.
pub(crate) fn flush_held() {
    if let Some(out) = OUTBOX.get() {
        out.flush();
    }
}

/// Writes what any thread has held for [`SWEEP_EVERY`] or longer, a hung one's included; a
/// buffer its thread is using right now is left to that thread.
fn sweep() {
    let Some(out) = OUTBOX.get() else { return };
    let all: Vec<SharedHeld> = match EVERY_THREAD.lock() {
        Ok(all) => all.iter().filter_map(Weak::upgrade).collect(),
        Err(_) => return,
    };
    for held in all {
        if let Ok(mut h) = held.try_lock() {
            if h.since.is_some_and(|t| t.elapsed() >= SWEEP_EVERY) {
                out.write_held(&mut h);
            }
        }
    }
}

impl Outbox {
    /// Best effort: when the supervisor is gone the main loop sees the socket close and
    /// the worker exits.
    pub(crate) fn send(&self, msg: FromWorker) {
        // Behind what the thread holds, in the same write.
        self.with_held(|h| {
            if protocol::frame_into(&msg, &mut h.bytes).is_ok() {
                self.write_held(h);
            }
        });
    }

    /// Queues a frame on this thread (see the module doc).
    pub(crate) fn hold(&self, msg: FromWorker) {
        self.with_held(|h| {
            if protocol::frame_into(&msg, &mut h.bytes).is_err() {
                return;
            }
            let since = *h.since.get_or_insert_with(Instant::now);
            if h.bytes.len() >= HOLD_MAX || since.elapsed() >= HOLD_FOR {
                self.write_held(h);
            }
        });
    }

    /// Writes what this thread holds.
    pub(crate) fn flush(&self) {
        self.with_held(|h| self.write_held(h));
    }

    /// Writes what this thread holds if the oldest of it is [`HOLD_FOR`] old.
    pub(crate) fn flush_stale(&self) {
        self.with_held(|h| {
            if h.since.is_some_and(|t| t.elapsed() >= HOLD_FOR) {
                self.write_held(h);
            }
        });
    }

    fn with_held(&self, f: impl FnOnce(&mut Held)) {
        HELD.with(|held| {
            // Poisoned only if a write panicked; the frames are still whole.
            let mut h = held.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut h);
        });
    }

    /// Writes `held` and empties it, keeping its buffer (but not a large one) for the next.
    fn write_held(&self, held: &mut Held) {
        held.since = None;
        if held.bytes.is_empty() {
            return;
        }
        self.write(&held.bytes);
        held.bytes.clear();
        held.bytes.shrink_to(HOLD_MAX);
    }

    fn write(&self, bytes: &[u8]) {
        let Ok(mut stream) = self.stream.lock() else {
            return;
        };
        let _ = write_all(&mut stream, bytes);
    }
}

/// `write_all` on a non-blocking socket (tokio shares the descriptor): waits for room
/// with `poll` instead of failing with `WouldBlock`.
fn write_all(stream: &mut std::os::unix::net::UnixStream, mut buf: &[u8]) -> std::io::Result<()> {
    use std::io::{ErrorKind, Write};
    use std::os::fd::AsRawFd;
    while !buf.is_empty() {
        match stream.write(buf) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                let mut pfd = libc::pollfd {
                    fd: stream.as_raw_fd(),
                    events: libc::POLLOUT,
                    revents: 0,
                };
                // SAFETY: one valid pollfd for the duration of the call.
                unsafe {
                    libc::poll(&mut pfd, 1, 1000);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The only test that installs the process's outbox (it is one per process).
    #[test]
    fn what_a_hung_thread_holds_is_written_for_it() {
        let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        ours.set_nonblocking(true).unwrap();
        let out = install(ours).unwrap();
        let (held, hang) = std::sync::mpsc::channel::<()>();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            out.hold(FromWorker::Log {
                session: 3,
                line: "HTTP request POST /x".into(),
            });
            held.send(()).unwrap();
            // Hangs, as in a native builtin: it neither parks nor holds another frame.
            let _ = finished.recv();
        });
        hang.recv().unwrap();
        theirs
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut len = [0u8; 4];
        theirs.read_exact(&mut len).unwrap();
        let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
        theirs.read_exact(&mut frame).unwrap();
        let msg = protocol::decode::<FromWorker>(&frame).unwrap();
        assert!(
            matches!(&msg, FromWorker::Log { session: 3, line } if line == "HTTP request POST /x"),
            "{msg:?}"
        );
        done.send(()).unwrap();
        thread.join().unwrap();
    }
}
