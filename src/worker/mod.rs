//! The worker process (docs/isolation.md): `voxrun worker`, started by `voxrun serve` with nothing but
//! its socket (fd [`SOCKET_FD`]), an empty environment and an empty private working
//! directory. It holds a pool of JS threads ([`crate::session::pool`]) and runs the sessions
//! the supervisor sends it; everything it says goes back as [`protocol::FromWorker`].
//!
//! The worker's main thread reads the socket, reports health and is also the pool's first JS
//! thread: sessions fill it first, so their control requests need no hop to another thread.
//! A thread stuck in a native builtin stops its heartbeats (the main thread's stops the
//! worker's own), and the supervisor kills the whole process. When the socket closes the
//! worker exits at once, stuck threads and all. Both ends register the socket for reading
//! only ([`socket`]): a peer's read must not wake the other side for nothing. Frames go
//! out through the [`outbox`], and a main thread that has been answering polls the socket
//! briefly before it sleeps ([`spin`]).

mod outbox;
pub mod protocol;
pub mod socket;
pub mod spin;

use std::future::Future;
use std::os::fd::FromRawFd;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot};

use crate::runtime::{
    run_session, ClockSource, FinishReason, HttpReply, ReplyTo, ReplyType, SessionLink, SessionMsg,
    SessionOutcome, StartResult, StorageRequest,
};
use crate::session::pool::WorkerPool;
use outbox::{flush_held, Out};
use protocol::{ControlOutcome, FromWorker, Health, StartSession, ToWorker};

/// The descriptor a worker finds its socket on.
pub const SOCKET_FD: i32 = 3;

/// How often a worker reports its health.
pub const HEARTBEAT_MS: u64 = 100;

/// What a worker is started with (its command-line flags).
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub js_threads_max: usize,
    pub sessions_per_thread: usize,
    /// A JS thread silent this long is reported as stuck.
    pub stuck_after: Duration,
}

/// `voxrun worker`: serve the supervisor on fd 3 until it closes; returns the exit code.
pub fn main(opts: WorkerOptions) -> i32 {
    if !fd_is_socket(SOCKET_FD) {
        eprintln!(
            "voxrun worker: no socket on fd {SOCKET_FD}; workers are started by `voxrun serve`"
        );
        return 2;
    }
    abort_on_panic();
    // Each JS thread keeps a context ready for its next session (a start skips the build).
    crate::runtime::keep_spare_contexts();
    // SAFETY: fd 3 is an open socket (checked above) that nothing else in this process owns.
    let stream = unsafe { std::os::unix::net::UnixStream::from_raw_fd(SOCKET_FD) };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .on_thread_park(park_main_thread)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("voxrun worker: cannot start a runtime: {e}");
            return 1;
        }
    };
    // The main thread is also the pool's first JS thread (see `serve`).
    let local = tokio::task::LocalSet::new();
    match local.block_on(&rt, serve(stream, opts)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("voxrun worker: {e}");
            1
        }
    }
}

/// A panic (an engine bug) would end only the task it hit: its session would vanish with no
/// end reported, and the thread's engine state could be left half changed for the other
/// sessions on it. So a panic ends the worker, like any crash: the supervisor fails its
/// sessions, with the panic's message from stderr in their logs, and replaces it.
fn abort_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("voxrun worker: internal error: {info}");
        std::process::abort();
    }));
}

fn fd_is_socket(fd: i32) -> bool {
    // SAFETY: fstat only writes into the buffer it is given.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut st) == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

/// Resident set size of this process, from `/proc/self/statm`. The file stays open (each
/// read from offset 0 is current): a worker asks after every session end, and opening it
/// each time cost as much as reading it.
pub fn rss_bytes() -> u64 {
    use std::os::unix::fs::FileExt;
    static STATM: OnceLock<Option<std::fs::File>> = OnceLock::new();
    let Some(file) = STATM
        .get_or_init(|| std::fs::File::open("/proc/self/statm").ok())
        .as_ref()
    else {
        return 0;
    };
    let mut buf = [0u8; 128];
    let Ok(n) = file.read_at(&mut buf, 0) else {
        return 0;
    };
    let pages: u64 = std::str::from_utf8(&buf[..n])
        .ok()
        .and_then(|t| t.split_whitespace().nth(1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages.saturating_mul(page.max(0) as u64)
}

/// What a process's exit status means, in words for a session log or the terminal.
pub fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGABRT) => {
            "aborted (a native stack overflow, an allocation over its memory cap, or an internal error)".to_string()
        }
        Some(libc::SIGSEGV) => "crashed (segmentation fault)".to_string(),
        Some(libc::SIGKILL) => "was killed (SIGKILL)".to_string(),
        Some(sig) => format!("was killed by signal {sig}"),
        None => format!("exited with status {}", status.code().unwrap_or(-1)),
    }
}

/// For a child about to exec script code (a worker, or `voxrun run`'s session): the
/// address-space cap, no core dumps, and death with its parent. Runs between fork and
/// exec, so it calls only async-signal-safe functions.
pub fn confine_child(memory_max: u64) -> std::io::Result<()> {
    // SAFETY: setrlimit and prctl on this process only.
    unsafe {
        let cap = libc::rlimit {
            rlim_cur: memory_max as libc::rlim_t,
            rlim_max: memory_max as libc::rlim_t,
        };
        if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    Ok(())
}

type Inboxes = Arc<DashMap<u64, mpsc::Sender<SessionMsg>>>;

async fn serve(stream: std::os::unix::net::UnixStream, opts: WorkerOptions) -> Result<(), String> {
    let writer = stream.try_clone().map_err(|e| format!("socket: {e}"))?;
    let stream = socket::ReadHalf::new(stream).map_err(|e| format!("socket: {e}"))?;
    let mut source = protocol::reader(stream);
    let out = outbox::install(writer).map_err(|e| format!("outbox sweeper: {e}"))?;
    out.send(FromWorker::Ready {
        pid: std::process::id(),
    });
    // Sessions fill the main thread first: their control requests are read from the socket
    // and dispatched on the thread that runs them. More threads come when it is full.
    let pool =
        WorkerPool::with_idle_hook(opts.js_threads_max, opts.sessions_per_thread, 1, flush_held);
    pool.adopt_current_thread()
        .map_err(|e| format!("JS thread: {e:?}"))?;
    let inboxes: Inboxes = Arc::new(DashMap::new());
    tokio::spawn(heartbeats(out.clone(), pool.clone(), opts.stuck_after));
    loop {
        match source.next().await {
            // The supervisor is gone (or closed us): nothing left to do.
            None => return Ok(()),
            Some(Err(e)) => return Err(format!("socket: {e}")),
            Some(Ok(frame)) => {
                FRAMES_READ.fetch_add(1, Ordering::Relaxed);
                let msg = protocol::decode::<ToWorker>(&frame)?;
                handle(msg, &out, &pool, &inboxes);
                // A stream of frames for other threads' sessions may keep this thread
                // from going idle: what it holds must not wait for that.
                out.flush_stale();
            }
        }
    }
}

/// Frames read from the supervisor so far, and how many had been read when the main thread
/// last went to sleep ([`park_main_thread`]).
static FRAMES_READ: AtomicU64 = AtomicU64::new(0);
static FRAMES_AT_PARK: AtomicU64 = AtomicU64::new(0);

/// The main thread's park hook: it writes what it holds, and if it has been answering the
/// supervisor since it last slept (frames came in), it polls the socket briefly for the
/// next one before it sleeps ([`spin`]). Woken only by its own timers, it sleeps at once.
fn park_main_thread() {
    flush_held();
    let read = FRAMES_READ.load(Ordering::Relaxed);
    if FRAMES_AT_PARK.swap(read, Ordering::Relaxed) != read {
        spin::until_readable(&[SOCKET_FD]);
    }
}

async fn heartbeats(out: Out, pool: Arc<WorkerPool>, stuck_after: Duration) {
    let mut tick = tokio::time::interval(Duration::from_millis(HEARTBEAT_MS));
    loop {
        tick.tick().await;
        // This task runs on the main thread (a JS thread too): its CPU time here is what
        // the supervisor compares with when the heartbeats stop.
        let health = Health {
            rss_bytes: rss_bytes(),
            stuck_thread: !pool.stuck_workers(stuck_after).is_empty(),
            main_thread_cpu_ns: crate::cpu::thread_cpu().map(|c| c.as_nanos() as u64),
        };
        out.send(FromWorker::Heartbeat(health));
    }
}

fn handle(msg: ToWorker, out: &Out, pool: &Arc<WorkerPool>, inboxes: &Inboxes) {
    match msg {
        ToWorker::Start(start) => start_session(*start, out, pool, inboxes),
        ToWorker::Http {
            session,
            request,
            event,
        } => {
            let Some(inbox) = inboxes.get(&session).map(|e| e.value().clone()) else {
                out.send(FromWorker::Reply {
                    request,
                    outcome: ControlOutcome::Gone,
                });
                return;
            };
            // The session's thread writes the answer itself.
            let reply_out = out.clone();
            let reply = ReplyTo::callback(move |r| {
                let outcome = match r {
                    Some(reply) => ControlOutcome::Reply(reply),
                    None => ControlOutcome::Unanswered,
                };
                reply_out.hold(FromWorker::Reply { request, outcome });
            });
            let refused = match inbox.try_send(SessionMsg::Http(event, reply)) {
                Ok(()) => return,
                Err(mpsc::error::TrySendError::Full(msg)) => (ControlOutcome::Busy, msg),
                Err(mpsc::error::TrySendError::Closed(msg)) => (ControlOutcome::Gone, msg),
            };
            // Answer with the refusal, not with the dropped ReplyTo's "unanswered".
            if let (outcome, SessionMsg::Http(_, reply)) = refused {
                reply.cancel();
                out.send(FromWorker::Reply { request, outcome });
            }
        }
        ToWorker::Terminate { session, reason } => {
            deliver(inboxes, session, SessionMsg::Terminate { reason });
        }
        ToWorker::Storage {
            session,
            id,
            answer,
        } => {
            deliver(inboxes, session, SessionMsg::Storage { id, answer });
        }
        ToWorker::FarEnd {
            session,
            request,
            call,
            act,
        } => {
            let (done, result) = oneshot::channel();
            if !deliver(inboxes, session, SessionMsg::FarEnd { call, act, done }) {
                out.send(FromWorker::Reply {
                    request,
                    outcome: ControlOutcome::Gone,
                });
                return;
            }
            let out = out.clone();
            tokio::task::spawn_local(async move {
                let outcome = match result.await {
                    Ok(Ok(())) => ControlOutcome::Reply(HttpReply {
                        status: 204,
                        content_type: None,
                        body: Vec::new(),
                    }),
                    Ok(Err(msg)) => ControlOutcome::Reply(HttpReply {
                        status: 409,
                        content_type: Some(ReplyType::Text),
                        body: msg.into_bytes(),
                    }),
                    Err(_) => ControlOutcome::Gone,
                };
                out.send(FromWorker::Reply { request, outcome });
            });
        }
    }
}

/// Sends every log entry of one session to the supervisor.
struct LogToSupervisor {
    session: u64,
    out: Out,
}

impl SessionLink for LogToSupervisor {
    fn write(&self, line: &str) {
        // At once: a line written just before script code hangs must still arrive.
        self.out.send(FromWorker::Log {
            session: self.session,
            line: line.to_string(),
        });
    }

    fn write_soon(&self, line: &str) {
        self.out.hold(FromWorker::Log {
            session: self.session,
            line: line.to_string(),
        });
    }

    fn transcript(&self, line: &str) {
        self.out.hold(FromWorker::Transcript {
            session: self.session,
            line: line.to_string(),
        });
    }

    fn flush(&self) {
        // The thread's park hook writes the rest before it sleeps (see [`Outbox`]).
        self.out.flush_stale();
    }

    fn storage(&self, request: StorageRequest) -> Result<(), String> {
        self.out.send(FromWorker::Storage {
            session: self.session,
            request,
        });
        Ok(())
    }
}

/// Hands `msg` to session `session`'s inbox, waiting for room if it is full; `false` when
/// there is no such session.
fn deliver(inboxes: &Inboxes, session: u64, msg: SessionMsg) -> bool {
    let Some(inbox) = inboxes.get(&session).map(|e| e.value().clone()) else {
        return false;
    };
    if let Err(mpsc::error::TrySendError::Full(msg)) = inbox.try_send(msg) {
        tokio::spawn(async move {
            let _ = inbox.send(msg).await;
        });
    }
    true
}

fn start_session(start: StartSession, out: &Out, pool: &Arc<WorkerPool>, inboxes: &Inboxes) {
    let StartSession {
        spec,
        limits,
        queue_len,
    } = start;
    let id = spec.session_id;
    let custom_data = spec.custom_data.clone();
    let (inbox_tx, inbox_rx) = mpsc::channel(queue_len.max(1));
    inboxes.insert(id, inbox_tx);
    let session_out = out.clone();
    let session_inboxes = inboxes.clone();
    let placed = pool.place(move |slot| {
        Box::pin(async move {
            let out = session_out;
            let log: Rc<dyn SessionLink> = Rc::new(LogToSupervisor {
                session: id,
                out: out.clone(),
            });
            let (started_tx, mut started_rx) = oneshot::channel::<StartResult>();
            let session = run_session(spec, limits, ClockSource::System, log, inbox_rx, started_tx);
            tokio::pin!(session);
            // After a long poll (a slow handler, a budget slice), what it held goes out.
            let mut session = std::future::poll_fn(|cx| {
                let poll = session.as_mut().poll(cx);
                out.flush_stale();
                poll
            });
            // Started goes out as soon as it is known, and always before Ended.
            let mut told = false;
            let outcome = loop {
                tokio::select! {
                    biased;
                    r = &mut started_rx, if !told => {
                        told = true;
                        if let Ok(result) = r {
                            out.send(FromWorker::Started { session: id, result });
                        }
                    }
                    o = &mut session => break o,
                }
            };
            if !told {
                if let Ok(result) = started_rx.try_recv() {
                    out.send(FromWorker::Started {
                        session: id,
                        result,
                    });
                }
            }
            session_inboxes.remove(&id);
            // What the session left behind, before its end: the supervisor decides on
            // recycling before anything else is placed here.
            out.send(FromWorker::Heartbeat(Health {
                rss_bytes: rss_bytes(),
                stuck_thread: false,
                main_thread_cpu_ns: None,
            }));
            out.send(FromWorker::Ended {
                session: id,
                outcome,
            });
            drop(slot);
        })
    });
    if let Err(e) = placed {
        inboxes.remove(&id);
        let msg = format!("session not started: {e:?}");
        out.send(FromWorker::Started {
            session: id,
            result: StartResult::Failed(msg),
        });
        out.send(FromWorker::Ended {
            session: id,
            outcome: SessionOutcome {
                finish_reason: FinishReason::JsError,
                custom_data,
                system_error: true,
                idle: false,
                transcript: Vec::new(),
                calls: Vec::new(),
            },
        });
    }
}
