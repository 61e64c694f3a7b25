//! Worker processes as the supervisor sees them (docs/isolation.md).
//!
//! [`Workers`] starts `--js-workers` copies of this binary as `voxrun worker`, each with one
//! end of a Unix socket pair on fd 3, an empty environment, an empty private working
//! directory, `RLIMIT_AS` at `--worker-memory-max` and no other descriptor. One task per
//! worker ([`Workers::run_link`]) writes its messages, reads its answers and, when the socket
//! closes, reaps the process and reports a [`WorkerEvent::Died`]. A supervision tick kills
//! a worker that stops beating or reports a stuck JS thread, drains one whose RSS passed
//! `--worker-recycle-rss`, and keeps the number of workers up, backing off while new ones
//! keep dying before they are ready.

use std::collections::VecDeque;
use std::os::fd::{AsRawFd, RawFd};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use futures_util::StreamExt;
use tokio::io::AsyncBufReadExt;
use tokio::sync::{mpsc, oneshot, Notify};

use super::awaited::Waiting;
use super::registry::Registry;
use crate::runtime::StorageRequest;
use crate::runtime::{HttpEvent, SessionOutcome};
use crate::telephony::FarEndAct;
use crate::worker::protocol::{self, ControlOutcome, FromWorker, StartSession, ToWorker};
use crate::worker::socket;
use crate::worker::{HEARTBEAT_MS, SOCKET_FD};

/// How worker processes are run.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The voxrun binary (the supervisor's own, unless a test or example says otherwise).
    pub exe: PathBuf,
    pub count: usize,
    /// `RLIMIT_AS` of each worker, bytes.
    pub memory_max: u64,
    /// A worker past this RSS takes no new sessions and is replaced once it is empty.
    pub recycle_rss: u64,
    pub js_threads_max: usize,
    pub sessions_per_thread: usize,
    /// A JS thread (or the worker) silent this long is stuck.
    pub stuck_after: Duration,
}

/// How long a new worker may take to say `Ready`.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the supervision tick runs.
const TICK: Duration = Duration::from_millis(HEARTBEAT_MS);
/// Longest pause between two attempts to start a worker that keeps failing.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Lines of a worker's stderr kept to explain its death.
const STDERR_TAIL: usize = 4;

/// What the session manager hears from the workers.
#[derive(Debug)]
pub enum WorkerEvent {
    Ended {
        session: u64,
        outcome: SessionOutcome,
    },
    /// The worker process is gone; every session still on it must be failed.
    Died { worker: u64, why: String },
    /// A session asks ApplicationStorage for something.
    Storage {
        session: u64,
        request: StorageRequest,
    },
}

/// One worker process.
pub struct WorkerLink {
    pub id: u64,
    pub pid: u32,
    out: Outgoing,
    sessions: AtomicUsize,
    capacity: usize,
    pending: DashMap<u64, Waiting>,
    next_request: AtomicU64,
    spawned_at: Instant,
    /// Milliseconds after `spawned_at` of the last heartbeat from its main thread, and that
    /// thread's CPU time (ns) then.
    last_beat_ms: AtomicU64,
    cpu_at_beat_ns: AtomicU64,
    ready: AtomicBool,
    draining: AtomicBool,
    /// Dying or dead: takes nothing new.
    gone: AtomicBool,
    kill: Notify,
    /// Why the supervisor killed it, and whether that was routine (recycling, shutdown).
    kill_reason: Mutex<Option<(String, bool)>>,
    rss: AtomicU64,
    stderr_tail: Mutex<VecDeque<String>>,
}

impl WorkerLink {
    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }

    /// A session placed here ended.
    pub fn release(&self) {
        let _ = self
            .sessions
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }

    pub fn is_gone(&self) -> bool {
        self.gone.load(Ordering::SeqCst)
    }

    pub fn send(&self, msg: ToWorker) -> bool {
        if self.is_gone() {
            return false;
        }
        self.out.send(self.id, &msg)
    }

    pub fn start(&self, start: StartSession) -> bool {
        self.send(ToWorker::Start(Box::new(start)))
    }

    /// Sends the message `make` builds for a new request id; the receiver resolves with
    /// the worker's `Reply` to it, or fails when the worker dies first.
    fn ask(&self, make: impl FnOnce(u64) -> ToWorker) -> Option<oneshot::Receiver<ControlOutcome>> {
        let request = self.next_request.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending.insert(request, Waiting::new(tx));
        if self.send(make(request)) {
            Some(rx)
        } else {
            self.pending.remove(&request);
            None
        }
    }

    /// Forward a control request.
    pub fn http(
        &self,
        session: u64,
        event: HttpEvent,
    ) -> Option<oneshot::Receiver<ControlOutcome>> {
        self.ask(|request| ToWorker::Http {
            session,
            request,
            event,
        })
    }

    /// Act as a call's far end; the answer is 204, or 409 and the error text.
    pub fn far_end(
        &self,
        session: u64,
        call: String,
        act: FarEndAct,
    ) -> Option<oneshot::Receiver<ControlOutcome>> {
        self.ask(|request| ToWorker::FarEnd {
            session,
            request,
            call,
            act,
        })
    }

    /// Kill the process (once); the link's task reaps it and reports the death.
    fn kill(&self, reason: String) {
        self.kill_for(reason, false);
    }

    /// Kill the process as a routine step, not a fault.
    fn retire(&self, reason: &str) {
        self.kill_for(reason.to_string(), true);
    }

    fn kill_for(&self, reason: String, routine: bool) {
        if let Ok(mut r) = self.kill_reason.lock() {
            r.get_or_insert((reason, routine));
        }
        self.gone.store(true, Ordering::SeqCst);
        self.kill.notify_one();
    }

    fn beat(&self) {
        self.last_beat_ms.store(
            self.spawned_at.elapsed().as_millis() as u64,
            Ordering::Relaxed,
        );
    }

    fn silent_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_beat_ms.load(Ordering::Relaxed));
        self.spawned_at.elapsed().saturating_sub(last)
    }

    /// Silent past `limit` while its main thread burns CPU ([`crate::cpu::is_stuck`]).
    fn is_stuck(&self, limit: Duration) -> bool {
        let at_beat = Duration::from_nanos(self.cpu_at_beat_ns.load(Ordering::Relaxed));
        let cpu_since =
            || crate::cpu::main_thread_cpu_of(self.pid).map(|c| c.saturating_sub(at_beat));
        crate::cpu::is_stuck(self.silent_for(), cpu_since, limit)
    }

    fn why_dead(&self, status: Option<std::process::ExitStatus>) -> String {
        let killed_for = self
            .kill_reason
            .lock()
            .ok()
            .and_then(|r| r.as_ref().map(|(why, _)| why.clone()));
        let how = match status {
            Some(s) => crate::worker::describe_exit(s),
            None => "ended".to_string(),
        };
        let mut why = match killed_for {
            Some(r) => format!("{r}; the worker process was killed"),
            None => format!("the worker process {how}"),
        };
        let tail: Vec<String> = self
            .stderr_tail
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default();
        if !tail.is_empty() {
            why.push_str(&format!(" ({})", tail.join(" / ")));
        }
        why
    }
}

/// Frames to one worker, written by the link's writer ([`Outgoing::drain`]). A frame is
/// appended to the queue's buffer and the writer woken; before it writes, the writer lets
/// the other tasks that are ready on its thread run first, so the frames of the control
/// requests that arrived together go out in one write (one system call, one wake-up of the
/// worker) instead of one each.
struct Outgoing {
    half: socket::WriteHalf,
    queue: Mutex<Queue>,
    wake: Notify,
}

#[derive(Default)]
struct Queue {
    /// Whole frames, in order, not yet taken by the writer.
    bytes: Vec<u8>,
    closed: bool,
}

/// The writer keeps a buffer at most this large between writes.
const KEEP_BUFFER: usize = 64 * 1024;

impl Outgoing {
    fn new(half: socket::WriteHalf) -> Self {
        Outgoing {
            half,
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
        }
    }

    /// `false` once the socket is broken (or `msg` cannot be encoded).
    fn send(&self, worker: u64, msg: &ToWorker) -> bool {
        let Ok(mut q) = self.queue.lock() else {
            return false;
        };
        if q.closed {
            return false;
        }
        let first = q.bytes.is_empty();
        if let Err(e) = protocol::frame_into(msg, &mut q.bytes) {
            tracing::error!(worker, error = %e, "cannot send to a worker");
            return false;
        }
        drop(q);
        if first {
            self.wake.notify_one();
        }
        true
    }

    /// Writes queued frames as the socket takes them; returns when it breaks.
    async fn drain(&self) {
        let mut buf = Vec::new();
        loop {
            self.wake.notified().await;
            // The tasks woken with the sender (other control requests read in the same
            // poll of the sockets) queue their frames before this one write.
            tokio::task::yield_now().await;
            match self.queue.lock() {
                Ok(mut q) => std::mem::swap(&mut q.bytes, &mut buf),
                Err(_) => return,
            }
            if self.half.write_all(&buf).await.is_err() {
                return self.close();
            }
            buf.clear();
            buf.shrink_to(KEEP_BUFFER);
        }
    }

    fn close(&self) {
        if let Ok(mut q) = self.queue.lock() {
            q.closed = true;
            q.bytes = Vec::new();
        }
    }
}

/// Most worker processes per `--js-workers`, draining ones included (see [`Workers::top_up`]).
const PROCESSES_PER_WORKER: usize = 2;

/// The supervisor's set of worker processes.
pub struct Workers {
    settings: WorkerSettings,
    registry: Arc<Registry>,
    events: mpsc::UnboundedSender<WorkerEvent>,
    links: Mutex<Vec<Arc<WorkerLink>>>,
    next_id: AtomicU64,
    /// Workers in a row that died before they were ready.
    crash_streak: AtomicU32,
    not_before: Mutex<Instant>,
    stopping: AtomicBool,
    /// Notified whenever a worker says Ready.
    ready_notify: Notify,
}

impl Workers {
    /// Start the workers and their supervision; events go to `events`.
    pub fn start(
        settings: WorkerSettings,
        registry: Arc<Registry>,
        events: mpsc::UnboundedSender<WorkerEvent>,
    ) -> Arc<Self> {
        let me = Arc::new(Workers {
            settings,
            registry,
            events,
            links: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(0),
            crash_streak: AtomicU32::new(0),
            not_before: Mutex::new(Instant::now()),
            stopping: AtomicBool::new(false),
            ready_notify: Notify::new(),
        });
        me.top_up();
        let weak = Arc::downgrade(&me);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            loop {
                tick.tick().await;
                let Some(me) = weak.upgrade() else { return };
                if me.stopping.load(Ordering::SeqCst) {
                    return;
                }
                me.supervise();
            }
        });
        me
    }

    fn live(&self) -> Vec<Arc<WorkerLink>> {
        self.links
            .lock()
            .map(|l| l.iter().filter(|w| !w.is_gone()).cloned().collect())
            .unwrap_or_default()
    }

    /// The ready, non-draining worker with the fewest sessions (the oldest on a tie), with
    /// one more session counted on it; `None` when every worker is full or none is ready.
    pub fn pick(&self) -> Option<Arc<WorkerLink>> {
        let links = self.links.lock().ok()?;
        let best = links
            .iter()
            .filter(|w| !w.is_gone() && w.ready.load(Ordering::SeqCst))
            .filter(|w| !w.draining.load(Ordering::SeqCst) && w.sessions() < w.capacity)
            .min_by_key(|w| w.sessions())?
            .clone();
        best.sessions.fetch_add(1, Ordering::SeqCst);
        Some(best)
    }

    /// [`pick`](Self::pick), waiting up to `limit` while workers are still starting (just
    /// after the server started, or while a dead one is being replaced).
    pub async fn pick_waiting(&self, limit: Duration) -> Option<Arc<WorkerLink>> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let ready = self.ready_notify.notified();
            if let Some(w) = self.pick() {
                return Some(w);
            }
            let starting = self.live().iter().any(|w| !w.ready.load(Ordering::SeqCst));
            if !starting && self.stopping.load(Ordering::SeqCst) {
                return None;
            }
            // Woken by the next Ready, or by the deadline; a worker that frees a slot is
            // found by the periodic re-check.
            if tokio::time::timeout_at(deadline, async {
                tokio::select! {
                    _ = ready => {}
                    _ = tokio::time::sleep(TICK) => {}
                }
            })
            .await
            .is_err()
            {
                return self.pick();
            }
        }
    }

    /// Kill every worker and start no more.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        for w in self.live() {
            w.retire("the server is stopping");
        }
    }

    fn supervise(self: &Arc<Self>) {
        let stuck_after = self.settings.stuck_after;
        for w in self.live() {
            if w.ready.load(Ordering::SeqCst) {
                if w.is_stuck(stuck_after) {
                    // Its main thread is a JS thread too: silence is most often script
                    // code that does not return.
                    w.kill(
                        "the worker stopped answering (a JS thread did not return from script code: a loop inside a native builtin?)"
                            .to_string(),
                    );
                    continue;
                }
            } else if w.spawned_at.elapsed() > START_TIMEOUT {
                w.kill("the worker did not start in time".to_string());
                continue;
            }
            if w.draining.load(Ordering::SeqCst) && w.sessions() == 0 {
                w.retire("recycled");
            }
        }
        self.top_up();
    }

    /// Start workers until `count` take sessions, unless backing off. Draining workers
    /// (past `--worker-recycle-rss`) live on beside their replacements, but at most
    /// [`PROCESSES_PER_WORKER`] × `count` processes run at once: when a replacement needs
    /// the place of one, the largest draining worker is ended with its sessions. Otherwise a
    /// few sessions that each hold a worker's memory would make the supervisor start
    /// worker after worker, each up to `--worker-memory-max`, until the host runs out.
    fn top_up(self: &Arc<Self>) {
        if self.stopping.load(Ordering::SeqCst) {
            return;
        }
        let wanted = self.settings.count.max(1);
        let most = wanted.saturating_mul(PROCESSES_PER_WORKER);
        loop {
            let live = self.live();
            let draining = |w: &&Arc<WorkerLink>| w.draining.load(Ordering::SeqCst);
            let serving = live.iter().filter(|w| !draining(w)).count();
            if serving >= wanted {
                return;
            }
            if live.len() >= most {
                if let Some(w) = live
                    .iter()
                    .filter(draining)
                    .max_by_key(|w| w.rss.load(Ordering::Relaxed))
                {
                    w.kill(format!(
                        "the worker passed --worker-recycle-rss and its place was needed for new sessions (at most {most} worker processes run at once)"
                    ));
                }
                // Its death tops up again.
                return;
            }
            let not_before = self
                .not_before
                .lock()
                .map(|t| *t)
                .unwrap_or_else(|_| Instant::now());
            if Instant::now() < not_before {
                return;
            }
            if let Err(e) = self.spawn_one() {
                tracing::error!(error = %e, "cannot start a worker process");
                self.failed_start();
                return;
            }
        }
    }

    /// A worker died before it was ready (or could not be started): wait longer each time.
    fn failed_start(&self) {
        let streak = self.crash_streak.fetch_add(1, Ordering::SeqCst) + 1;
        let backoff =
            Duration::from_millis(100u64.saturating_mul(1 << streak.min(16))).min(MAX_BACKOFF);
        if streak > 1 {
            tracing::warn!(
                failures = streak,
                retry_in_ms = backoff.as_millis() as u64,
                "worker processes keep dying on start; backing off"
            );
        }
        if let Ok(mut t) = self.not_before.lock() {
            *t = Instant::now() + backoff;
        }
    }

    fn spawn_one(self: &Arc<Self>) -> Result<(), String> {
        let (ours, theirs) =
            std::os::unix::net::UnixStream::pair().map_err(|e| format!("socket pair: {e}"))?;
        // Owner-only (0700), empty, removed when the worker is gone.
        let dir = tempfile::Builder::new()
            .prefix("voxrun-worker-")
            .tempdir()
            .map_err(|e| format!("worker directory: {e}"))?;
        let s = &self.settings;
        let mut cmd = tokio::process::Command::new(&s.exe);
        cmd.arg("worker")
            .arg("--js-threads-max")
            .arg(s.js_threads_max.to_string())
            .arg("--sessions-per-thread")
            .arg(s.sessions_per_thread.to_string())
            .arg("--stuck-after-ms")
            .arg(s.stuck_after.as_millis().to_string())
            .env_clear()
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let fd = theirs.as_raw_fd();
        let memory_max = s.memory_max;
        // SAFETY: the closure runs in the forked child before exec and calls only
        // async-signal-safe functions (dup2, fcntl, close_range, setrlimit, prctl).
        unsafe {
            cmd.pre_exec(move || child_setup(fd, memory_max));
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("{}: {e}", s.exe.display()))?;
        drop(theirs);
        let pid = child.id().unwrap_or(0);
        let socket = |e: std::io::Error| format!("socket: {e}");
        let read_half = socket::ReadHalf::new(ours.try_clone().map_err(socket)?).map_err(socket)?;
        let write_half = socket::WriteHalf::new(ours).map_err(socket)?;
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let link = Arc::new(WorkerLink {
            id,
            pid,
            out: Outgoing::new(write_half),
            sessions: AtomicUsize::new(0),
            capacity: s.js_threads_max.saturating_mul(s.sessions_per_thread),
            pending: DashMap::new(),
            next_request: AtomicU64::new(0),
            spawned_at: Instant::now(),
            last_beat_ms: AtomicU64::new(0),
            cpu_at_beat_ns: AtomicU64::new(0),
            ready: AtomicBool::new(false),
            draining: AtomicBool::new(false),
            gone: AtomicBool::new(false),
            kill: Notify::new(),
            kill_reason: Mutex::new(None),
            rss: AtomicU64::new(0),
            stderr_tail: Mutex::new(VecDeque::new()),
        });
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(read_stderr(link.clone(), stderr));
        }
        if let Ok(mut links) = self.links.lock() {
            links.push(link.clone());
        }
        tracing::debug!(worker = id, pid, "worker process started");
        tokio::spawn(self.clone().run_link(link, child, read_half, dir));
        Ok(())
    }

    /// Write to, read from and finally reap one worker.
    async fn run_link(
        self: Arc<Self>,
        link: Arc<WorkerLink>,
        mut child: tokio::process::Child,
        stream: socket::ReadHalf,
        dir: tempfile::TempDir,
    ) {
        let mut source = protocol::reader(stream);
        let writer = link.out.drain();
        let reader = async {
            while let Some(Ok(frame)) = source.next().await {
                match protocol::decode::<FromWorker>(&frame) {
                    Ok(msg) => self.on_message(&link, msg),
                    Err(e) => {
                        tracing::warn!(worker = link.id, error = %e, "worker sent a bad message");
                        return;
                    }
                }
            }
        };
        tokio::select! {
            _ = writer => {}
            _ = reader => {}
            _ = link.kill.notified() => {}
        }
        link.gone.store(true, Ordering::SeqCst);
        link.out.close();
        let _ = child.start_kill();
        let status = child.wait().await.ok();
        drop(dir);
        let why = link.why_dead(status);
        let routine = link
            .kill_reason
            .lock()
            .ok()
            .is_some_and(|r| r.as_ref().is_some_and(|(_, routine)| *routine));
        if !routine {
            tracing::warn!(worker = link.id, pid = link.pid, "{why}");
            if !link.ready.load(Ordering::SeqCst) {
                self.failed_start();
            }
        }
        // Requests waiting on this worker get their answer now (503).
        link.pending.clear();
        if let Ok(mut links) = self.links.lock() {
            links.retain(|w| w.id != link.id);
        }
        let _ = self.events.send(WorkerEvent::Died {
            worker: link.id,
            why,
        });
        self.top_up();
    }

    fn on_message(&self, link: &WorkerLink, msg: FromWorker) {
        match msg {
            FromWorker::Ready { .. } => {
                link.beat();
                link.ready.store(true, Ordering::SeqCst);
                self.crash_streak.store(0, Ordering::SeqCst);
                self.ready_notify.notify_waiters();
            }
            FromWorker::Heartbeat(h) => {
                if let Some(cpu) = h.main_thread_cpu_ns {
                    link.cpu_at_beat_ns.store(cpu, Ordering::Relaxed);
                    link.beat();
                }
                link.rss.store(h.rss_bytes, Ordering::Relaxed);
                // At once, not at the next tick: the worker reports its RSS right before a
                // session's end, so no start that follows that end lands here.
                if h.rss_bytes > self.settings.recycle_rss
                    && !link.draining.swap(true, Ordering::SeqCst)
                {
                    tracing::info!(
                        worker = link.id,
                        rss = h.rss_bytes,
                        "worker passed --worker-recycle-rss; it takes no new sessions and is replaced when empty"
                    );
                }
                if h.stuck_thread {
                    link.kill(
                        "a JS thread did not return from script code (a loop inside a native builtin?)"
                            .to_string(),
                    );
                }
            }
            FromWorker::Started { session, result } => {
                if let Some(e) = self.registry.by_id(session) {
                    e.set_started(result);
                }
            }
            FromWorker::Log { session, line } => {
                if let Some(e) = self.registry.by_id(session) {
                    e.log.push(&line);
                    super::log::trace_scenario_line(session, &e.secret, &line);
                }
            }
            FromWorker::Reply { request, outcome } => {
                if let Some((_, waiting)) = link.pending.remove(&request) {
                    waiting.answer(outcome);
                }
            }
            FromWorker::Ended { session, outcome } => {
                let _ = self.events.send(WorkerEvent::Ended { session, outcome });
            }
            FromWorker::Transcript { session, line } => {
                if let Some(e) = self.registry.by_id(session) {
                    e.transcript.push(line);
                }
            }
            FromWorker::Storage { session, request } => {
                let _ = self.events.send(WorkerEvent::Storage { session, request });
            }
        }
    }
}

async fn read_stderr(link: Arc<WorkerLink>, stderr: tokio::process::ChildStderr) {
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim().is_empty() || line.starts_with("note: run with `RUST_BACKTRACE") {
            continue;
        }
        tracing::warn!(worker = link.id, "worker: {line}");
        if let Ok(mut tail) = link.stderr_tail.lock() {
            if tail.len() == STDERR_TAIL {
                tail.pop_front();
            }
            tail.push_back(line.chars().take(300).collect());
        }
    }
}

/// `close_range` flag: set close-on-exec instead of closing (linux/close_range.h).
const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;

/// In the forked child: the socket onto fd 3, every other descriptor above it close-on-exec, the
/// terminal's and service manager's stop signals ignored, the address-space cap, no core
/// dumps, and death with the supervisor.
fn child_setup(fd: RawFd, memory_max: u64) -> std::io::Result<()> {
    // SAFETY: plain system calls on descriptors and limits of this (child) process.
    unsafe {
        if fd == SOCKET_FD {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                return Err(std::io::Error::last_os_error());
            }
        } else if libc::dup2(fd, SOCKET_FD) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // Everything std opened is close-on-exec already; this also marks descriptors
        // another library may have left without the flag. Marked, not closed: std reports a
        // failed exec through a close-on-exec pipe that must stay open until the exec.
        // Old kernels (before 5.11): best effort.
        libc::syscall(
            libc::SYS_close_range,
            (SOCKET_FD + 1) as libc::c_uint,
            libc::c_uint::MAX,
            CLOSE_RANGE_CLOEXEC,
        );
        // A Ctrl-C in the terminal (SIGINT to the whole process group) or a service manager
        // that signals every process of the server must not kill the workers under their
        // sessions: the supervisor ends the sessions (Terminating, Terminated) and then the
        // workers, and a worker whose supervisor is gone exits when its socket closes.
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::signal(sig, libc::SIG_IGN);
        }
    }
    crate::worker::confine_child(memory_max)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn settings(exe: &str) -> WorkerSettings {
        WorkerSettings {
            exe: PathBuf::from(exe),
            count: 2,
            memory_max: 1 << 30,
            recycle_rss: 1 << 30,
            js_threads_max: 1,
            sessions_per_thread: 1,
            stuck_after: Duration::from_secs(2),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_worker_that_dies_on_start_is_restarted_with_backoff_not_in_a_hot_loop() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        // Exits at once, never says Ready.
        let workers = Workers::start(settings("/bin/false"), Arc::new(Registry::default()), tx);
        let mut deaths = 0;
        let until = tokio::time::Instant::now() + Duration::from_secs(3);
        while let Ok(Some(event)) = tokio::time::timeout_at(until, rx.recv()).await {
            assert!(matches!(event, WorkerEvent::Died { .. }), "{event:?}");
            deaths += 1;
        }
        workers.stop();
        let started = workers.next_id.load(Ordering::SeqCst);
        // Without backoff this would be thousands; with it, a handful (200, 400, 800 ms ...).
        assert!(
            deaths >= 2,
            "the dead workers were not replaced at all: {deaths}"
        );
        assert!(
            started <= 12,
            "{started} starts in 3 s: restarting in a hot loop"
        );
        assert!(workers.crash_streak.load(Ordering::SeqCst) >= 2);
        assert!(
            workers.pick().is_none(),
            "a session was placed with no worker alive"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_binary_is_an_error_and_a_backoff_not_a_panic() {
        let (tx, _rx) = mpsc::unbounded_channel();
        let workers = Workers::start(
            settings("/nonexistent/voxrun"),
            Arc::new(Registry::default()),
            tx,
        );
        assert!(workers.pick().is_none());
        assert!(workers.crash_streak.load(Ordering::SeqCst) >= 1);
        workers.stop();
    }
}
