//! The worker process (SPEC §11): `voxrun worker`, started by `voxrun serve` with nothing but
//! its socket (fd [`SOCKET_FD`]), an empty environment and an empty private working
//! directory. It holds a pool of JS threads ([`crate::session::pool`]) and runs the sessions
//! the supervisor sends it; everything it says goes back as [`protocol::FromWorker`].
//!
//! The worker's main thread only reads and writes the socket and reports health; script code
//! runs on the pool's threads, so a thread stuck in a native builtin is still reported (and
//! the supervisor kills the whole process). When the socket closes the worker exits at once,
//! stuck threads and all.

pub mod protocol;

use std::os::fd::FromRawFd;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};

use crate::runtime::{
    run_session, ClockSource, FinishReason, LogSink, SessionMsg, SessionOutcome, StartResult,
};
use crate::session::pool::WorkerPool;
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
    limit_malloc_arenas();
    // SAFETY: fd 3 is an open socket (checked above) that nothing else in this process owns.
    let stream = unsafe { std::os::unix::net::UnixStream::from_raw_fd(SOCKET_FD) };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("voxrun worker: cannot start a runtime: {e}");
            return 1;
        }
    };
    match rt.block_on(serve(stream, opts)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("voxrun worker: {e}");
            1
        }
    }
}

fn fd_is_socket(fd: i32) -> bool {
    // SAFETY: fstat only writes into the buffer it is given.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut st) == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

/// glibc reserves 64 MiB of address space per malloc arena (up to 8 per core); under the
/// worker's `RLIMIT_AS` cap that would count against scripts for nothing.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Resident set size of this process, from `/proc/self/statm`.
pub fn rss_bytes() -> u64 {
    let Ok(text) = std::fs::read_to_string("/proc/self/statm") else {
        return 0;
    };
    let pages: u64 = text
        .split_whitespace()
        .nth(1)
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
            "aborted (a native stack overflow or an allocation over its memory cap)".to_string()
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

type Out = mpsc::UnboundedSender<FromWorker>;
type Inboxes = Arc<DashMap<u64, mpsc::Sender<SessionMsg>>>;

async fn serve(stream: std::os::unix::net::UnixStream, opts: WorkerOptions) -> Result<(), String> {
    stream
        .set_nonblocking(true)
        .map_err(|e| format!("socket: {e}"))?;
    let stream = tokio::net::UnixStream::from_std(stream).map_err(|e| format!("socket: {e}"))?;
    let (mut sink, mut source) = protocol::framed(stream).split();
    let (out, mut out_rx) = mpsc::unbounded_channel::<FromWorker>();
    // One writer: many frames per flush when they pile up.
    let mut writer = tokio::spawn(async move {
        while let Some(msg) = out_rx.recv().await {
            sink.feed(protocol::encode(&msg)?)
                .await
                .map_err(|e| e.to_string())?;
            while let Ok(msg) = out_rx.try_recv() {
                sink.feed(protocol::encode(&msg)?)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            sink.flush().await.map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    });
    let _ = out.send(FromWorker::Ready {
        pid: std::process::id(),
    });
    let pool = WorkerPool::new(opts.js_threads_max, opts.sessions_per_thread);
    let inboxes: Inboxes = Arc::new(DashMap::new());
    tokio::spawn(heartbeats(
        out.clone(),
        pool.clone(),
        inboxes.clone(),
        opts.stuck_after,
    ));
    loop {
        tokio::select! {
            frame = source.next() => match frame {
                // The supervisor is gone (or closed us): nothing left to do.
                None => return Ok(()),
                Some(Err(e)) => return Err(format!("socket: {e}")),
                Some(Ok(frame)) => {
                    let msg = protocol::decode::<ToWorker>(&frame)?;
                    handle(msg, &out, &pool, &inboxes);
                }
            },
            r = &mut writer => {
                return match r {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(e),
                    Err(e) => Err(e.to_string()),
                };
            }
        }
    }
}

async fn heartbeats(out: Out, pool: Arc<WorkerPool>, inboxes: Inboxes, stuck_after: Duration) {
    let mut tick = tokio::time::interval(Duration::from_millis(HEARTBEAT_MS));
    loop {
        tick.tick().await;
        let health = Health {
            rss_bytes: rss_bytes(),
            stuck_thread: !pool.stuck_workers(stuck_after).is_empty(),
            sessions: inboxes.len() as u32,
        };
        if out.send(FromWorker::Heartbeat(health)).is_err() {
            return;
        }
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
                let _ = out.send(FromWorker::Reply {
                    request,
                    outcome: ControlOutcome::Gone,
                });
                return;
            };
            let (tx, rx) = oneshot::channel();
            let outcome = match inbox.try_send(SessionMsg::Http(event, tx)) {
                Ok(()) => {
                    let out = out.clone();
                    tokio::spawn(async move {
                        let outcome = match rx.await {
                            Ok(reply) => ControlOutcome::Reply(reply),
                            Err(_) => ControlOutcome::Unanswered,
                        };
                        let _ = out.send(FromWorker::Reply { request, outcome });
                    });
                    return;
                }
                Err(mpsc::error::TrySendError::Full(_)) => ControlOutcome::Busy,
                Err(mpsc::error::TrySendError::Closed(_)) => ControlOutcome::Gone,
            };
            let _ = out.send(FromWorker::Reply { request, outcome });
        }
        ToWorker::Terminate { session, reason } => {
            let Some(inbox) = inboxes.get(&session).map(|e| e.value().clone()) else {
                return;
            };
            let msg = SessionMsg::Terminate { reason };
            // A full inbox gets the message as soon as there is room.
            if let Err(mpsc::error::TrySendError::Full(msg)) = inbox.try_send(msg) {
                tokio::spawn(async move {
                    let _ = inbox.send(msg).await;
                });
            }
        }
    }
}

/// Sends every log entry of one session to the supervisor.
struct LogToSupervisor {
    session: u64,
    out: Out,
}

impl LogSink for LogToSupervisor {
    fn write(&self, line: &str) {
        let _ = self.out.send(FromWorker::Log {
            session: self.session,
            line: line.to_string(),
        });
    }
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
            let log: Rc<dyn LogSink> = Rc::new(LogToSupervisor {
                session: id,
                out: out.clone(),
            });
            let (started_tx, mut started_rx) = oneshot::channel::<StartResult>();
            let session = run_session(spec, limits, ClockSource::System, log, inbox_rx, started_tx);
            tokio::pin!(session);
            // Started goes out as soon as it is known, and always before Ended.
            let mut told = false;
            let outcome = loop {
                tokio::select! {
                    biased;
                    r = &mut started_rx, if !told => {
                        told = true;
                        if let Ok(result) = r {
                            let _ = out.send(FromWorker::Started { session: id, result });
                        }
                    }
                    o = &mut session => break o,
                }
            };
            if !told {
                if let Ok(result) = started_rx.try_recv() {
                    let _ = out.send(FromWorker::Started {
                        session: id,
                        result,
                    });
                }
            }
            session_inboxes.remove(&id);
            let _ = out.send(FromWorker::Ended {
                session: id,
                outcome,
            });
            drop(slot);
        })
    });
    if let Err(e) = placed {
        inboxes.remove(&id);
        let msg = format!("session not started: {e:?}");
        let _ = out.send(FromWorker::Started {
            session: id,
            result: StartResult::Failed(msg),
        });
        let _ = out.send(FromWorker::Ended {
            session: id,
            outcome: SessionOutcome {
                finish_reason: FinishReason::JsError,
                custom_data,
                system_error: true,
            },
        });
    }
}
