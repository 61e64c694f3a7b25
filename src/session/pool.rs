//! The JS worker pool: OS threads, each with a tokio current-thread runtime, a `LocalSet` and
//! so its own Boa heap. Sessions are pinned to a thread at creation and never move.
//!
//! Each thread holds at most `per_thread` sessions (a GC pause scans every session on the
//! thread); the pool adds threads up to `max_threads`. A heartbeat task on every thread lets
//! the [`watchdog`](WorkerPool::stuck_workers) notice a thread stuck in script code that Boa
//! cannot interrupt; such a thread is retired: no new sessions go there, and a fresh thread
//! takes its place.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::cpu::{is_stuck, thread_cpu, ThreadClock};

/// Work to start on a worker thread: builds the (non-`Send`) session future there.
pub type Job = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()>>> + Send>;

/// Threads started before sessions begin to share one (one per core on the target
/// machines), unless the pool is told otherwise ([`WorkerPool::with_min_threads`]).
const MIN_THREADS: usize = 2;

/// How often a worker proves it is alive.
const HEARTBEAT: Duration = Duration::from_millis(100);

/// One worker thread as the pool sees it.
pub struct Worker {
    pub id: usize,
    jobs: mpsc::UnboundedSender<Job>,
    sessions: AtomicUsize,
    /// Milliseconds since the pool's epoch at the last heartbeat.
    last_beat: AtomicU64,
    /// The thread's CPU time (ns) at the last heartbeat, and its CPU clock (set when the
    /// thread starts): the watchdog counts CPU burned since, not wall time.
    cpu_at_beat: AtomicU64,
    clock: OnceLock<ThreadClock>,
    retired: AtomicBool,
}

impl Worker {
    /// Called on the worker's own thread: records its CPU clock, before anything runs there.
    fn bind_thread(&self) {
        if let Some(clock) = ThreadClock::current() {
            let _ = self.clock.set(clock);
        }
        self.beat(self.last_beat.load(Ordering::Relaxed));
    }

    /// Called on the worker's own thread: it is back in its event loop at `now_ms`.
    fn beat(&self, now_ms: u64) {
        if let Some(cpu) = thread_cpu() {
            self.cpu_at_beat
                .store(cpu.as_nanos() as u64, Ordering::Relaxed);
        }
        self.last_beat.store(now_ms, Ordering::Relaxed);
    }

    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::Relaxed)
    }

    pub fn is_retired(&self) -> bool {
        self.retired.load(Ordering::Relaxed)
    }
}

/// A placed session's claim on its worker; dropping it frees the slot.
pub struct Slot {
    worker: Arc<Worker>,
}

impl Slot {
    pub fn worker_id(&self) -> usize {
        self.worker.id
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.sessions.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Why a session could not be placed.
#[derive(Debug, PartialEq, Eq)]
pub enum PlaceError {
    /// Every thread is at its cap and the pool is at its maximum.
    Full,
    /// A thread could not be started.
    Spawn(String),
}

pub struct WorkerPool {
    workers: Mutex<Vec<Arc<Worker>>>,
    next_id: AtomicUsize,
    max_threads: usize,
    per_thread: usize,
    min_threads: usize,
    epoch: Instant,
    /// Run on a JS thread just before it goes idle (the worker writes the frames the
    /// thread holds back, `worker::flush_held`).
    on_idle: Option<fn()>,
}

impl WorkerPool {
    pub fn new(max_threads: usize, per_thread: usize) -> Arc<Self> {
        Self::with_min_threads(max_threads, per_thread, MIN_THREADS)
    }

    /// A pool that fills its threads one after another once it has `min` of them (a worker
    /// process, whose siblings already spread sessions over the cores, uses 1).
    pub fn with_min_threads(max_threads: usize, per_thread: usize, min: usize) -> Arc<Self> {
        Self::build(max_threads, per_thread, min, None)
    }

    /// [`WorkerPool::with_min_threads`], whose threads run `on_idle` before they go idle.
    pub fn with_idle_hook(
        max_threads: usize,
        per_thread: usize,
        min: usize,
        on_idle: fn(),
    ) -> Arc<Self> {
        Self::build(max_threads, per_thread, min, Some(on_idle))
    }

    fn build(
        max_threads: usize,
        per_thread: usize,
        min: usize,
        on_idle: Option<fn()>,
    ) -> Arc<Self> {
        let mut pool = WorkerPool {
            workers: Mutex::new(Vec::new()),
            next_id: AtomicUsize::new(0),
            max_threads: max_threads.max(1),
            per_thread: per_thread.max(1),
            min_threads: min.max(1),
            epoch: Instant::now(),
            on_idle,
        };
        pool.min_threads = pool.min_threads.min(pool.max_threads);
        Arc::new(pool)
    }

    /// Make the calling thread the pool's first JS thread: its jobs and heartbeat run as
    /// local tasks of the `LocalSet` this is called in. A worker process does this with its
    /// main thread, so that a control request for a session there is dispatched without a
    /// hop to another thread.
    pub fn adopt_current_thread(self: &Arc<Self>) -> Result<(), PlaceError> {
        let (worker, rx) = self.new_worker();
        worker.bind_thread();
        tokio::task::spawn_local(heartbeat(worker.clone(), Arc::downgrade(self)));
        tokio::task::spawn_local(run_jobs(rx));
        self.workers
            .lock()
            .map_err(|_| PlaceError::Spawn("pool lock poisoned".into()))?
            .push(worker);
        Ok(())
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Reserve a slot on a live thread with room (starting a thread if needed) and start
    /// `job` there. The job gets the slot so that the slot lives as long as the session.
    pub fn place<F>(self: &Arc<Self>, job: F) -> Result<usize, PlaceError>
    where
        F: FnOnce(Slot) -> Pin<Box<dyn Future<Output = ()>>> + Send + 'static,
    {
        let worker = self.reserve()?;
        let slot = Slot {
            worker: worker.clone(),
        };
        let id = worker.id;
        let job: Job = Box::new(move || job(slot));
        if worker.jobs.send(job).is_err() {
            // The thread is gone; the dropped job's slot was released with it.
            worker.retired.store(true, Ordering::Relaxed);
            return Err(PlaceError::Spawn("worker thread has stopped".into()));
        }
        Ok(id)
    }

    fn reserve(self: &Arc<Self>) -> Result<Arc<Worker>, PlaceError> {
        let mut workers = self
            .workers
            .lock()
            .map_err(|_| PlaceError::Spawn("pool lock poisoned".into()))?;
        workers.retain(|w| !(w.is_retired() && w.sessions() == 0));
        // Fill the least-loaded live thread that has room: spreads GC pauses.
        let best = workers
            .iter()
            .filter(|w| !w.is_retired() && w.sessions() < self.per_thread)
            .min_by_key(|w| w.sessions())
            .cloned();
        let live = workers.iter().filter(|w| !w.is_retired()).count();
        // Stuck threads spin until their loop ends; bound how many may pile up.
        let room_for_thread = live < self.max_threads && workers.len() < 2 * self.max_threads;
        let worker = match best {
            // Below MIN_THREADS, a new thread beats sharing one: spreads the start-up load.
            Some(w) if live >= self.min_threads.min(self.max_threads) || !room_for_thread => w,
            _ if room_for_thread => {
                let w = self.spawn_worker()?;
                workers.push(w.clone());
                w
            }
            Some(w) => w,
            None => return Err(PlaceError::Full),
        };
        worker.sessions.fetch_add(1, Ordering::Relaxed);
        Ok(worker)
    }

    /// A thread's record and the receiver of its jobs.
    fn new_worker(&self) -> (Arc<Worker>, mpsc::UnboundedReceiver<Job>) {
        let (tx, rx) = mpsc::unbounded_channel::<Job>();
        let worker = Arc::new(Worker {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            jobs: tx,
            sessions: AtomicUsize::new(0),
            last_beat: AtomicU64::new(self.now_ms()),
            cpu_at_beat: AtomicU64::new(0),
            clock: OnceLock::new(),
            retired: AtomicBool::new(false),
        });
        (worker, rx)
    }

    fn spawn_worker(self: &Arc<Self>) -> Result<Arc<Worker>, PlaceError> {
        let (worker, rx) = self.new_worker();
        let beat = worker.clone();
        let pool = Arc::downgrade(self);
        let mut rt = tokio::runtime::Builder::new_current_thread();
        rt.enable_all();
        if let Some(hook) = self.on_idle {
            rt.on_thread_park(hook);
        }
        let rt = rt.build().map_err(|e| PlaceError::Spawn(e.to_string()))?;
        std::thread::Builder::new()
            .name(format!("voxrun-js-{}", worker.id))
            // Boa recurses on the native stack; give it room beyond the recursion limit.
            .stack_size(16 * 1024 * 1024)
            .spawn(move || {
                beat.bind_thread();
                let local = tokio::task::LocalSet::new();
                local.spawn_local(heartbeat(beat, pool));
                local.block_on(&rt, run_jobs(rx));
            })
            .map_err(|e| PlaceError::Spawn(e.to_string()))?;
        Ok(worker)
    }

    /// Workers that have missed heartbeats for longer than `limit` while burning CPU
    /// ([`crate::cpu::is_stuck`]), every time they are asked about (a session placed there
    /// just before it stopped answering is found on the next check). They are retired:
    /// nothing new is placed there.
    pub fn stuck_workers(&self, limit: Duration) -> Vec<usize> {
        let now = self.now_ms();
        let Ok(workers) = self.workers.lock() else {
            return Vec::new();
        };
        let mut stuck = Vec::new();
        for w in workers.iter() {
            let silent =
                Duration::from_millis(now.saturating_sub(w.last_beat.load(Ordering::Relaxed)));
            let cpu_since = || {
                let at_beat = Duration::from_nanos(w.cpu_at_beat.load(Ordering::Relaxed));
                Some(w.clock.get()?.read()?.saturating_sub(at_beat))
            };
            if is_stuck(silent, cpu_since, limit) {
                w.retired.store(true, Ordering::Relaxed);
                stuck.push(w.id);
            }
        }
        stuck
    }

    /// (live threads, sessions placed).
    pub fn stats(&self) -> (usize, usize) {
        let Ok(workers) = self.workers.lock() else {
            return (0, 0);
        };
        let live = workers.iter().filter(|w| !w.is_retired()).count();
        (live, workers.iter().map(|w| w.sessions()).sum())
    }
}

/// Starts each session job placed on this thread.
async fn run_jobs(mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(job) = rx.recv().await {
        tokio::task::spawn_local(job());
    }
}

/// Proves every `HEARTBEAT` that `worker`'s thread gets back to its event loop.
async fn heartbeat(worker: Arc<Worker>, pool: std::sync::Weak<WorkerPool>) {
    let mut tick = tokio::time::interval(HEARTBEAT);
    loop {
        tick.tick().await;
        let Some(pool) = pool.upgrade() else { break };
        worker.beat(pool.now_ms());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::sync::mpsc as std_mpsc;

    fn park_job(
        done: std_mpsc::Sender<String>,
        hold: Arc<tokio::sync::Notify>,
    ) -> impl FnOnce(Slot) -> Pin<Box<dyn Future<Output = ()>>> + Send {
        move |slot| {
            Box::pin(async move {
                let name = std::thread::current()
                    .name()
                    .unwrap_or_default()
                    .to_string();
                let _ = done.send(name);
                hold.notified().await;
                drop(slot);
            })
        }
    }

    #[test]
    fn caps_sessions_per_thread_and_grows_threads_up_to_the_maximum() {
        let pool = WorkerPool::new(2, 2);
        let hold = Arc::new(tokio::sync::Notify::new());
        let (tx, rx) = std_mpsc::channel();
        for _ in 0..4 {
            pool.place(park_job(tx.clone(), hold.clone())).unwrap();
        }
        let mut threads: Vec<String> = (0..4)
            .map(|_| rx.recv_timeout(Duration::from_secs(5)).unwrap())
            .collect();
        threads.sort();
        threads.dedup();
        assert_eq!(
            threads.len(),
            2,
            "four sessions at two per thread need two threads"
        );
        assert_eq!(
            pool.place(park_job(tx.clone(), hold.clone())),
            Err(PlaceError::Full)
        );
        assert_eq!(pool.stats(), (2, 4));
    }

    #[test]
    fn a_stuck_thread_is_retired_and_replaced() {
        let pool = WorkerPool::new(2, 10);
        let (tx, rx) = std_mpsc::channel();
        pool.place(move |slot| {
            Box::pin(async move {
                let _ = tx.send(
                    std::thread::current()
                        .name()
                        .unwrap_or_default()
                        .to_string(),
                );
                // Holds the thread the way a loop inside a native callback would.
                crate::cpu::burn_cpu(Duration::from_secs(3));
                drop(slot);
            })
        })
        .unwrap();
        let stuck_name = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let stuck = loop {
            std::thread::sleep(Duration::from_millis(100));
            let stuck = pool.stuck_workers(Duration::from_millis(500));
            if !stuck.is_empty() || Instant::now() > deadline {
                break stuck;
            }
        };
        assert_eq!(stuck.len(), 1);
        let (tx2, rx2) = std_mpsc::channel();
        let hold = Arc::new(tokio::sync::Notify::new());
        pool.place(park_job(tx2, hold)).unwrap();
        let fresh = rx2.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_ne!(
            fresh, stuck_name,
            "new sessions must not land on the stuck thread"
        );
    }

    #[test]
    fn a_thread_that_waits_without_burning_cpu_is_not_stuck() {
        // Like a thread starved of a core on a loaded machine: silent, but not running away.
        let pool = WorkerPool::new(2, 10);
        let (tx, rx) = std_mpsc::channel();
        pool.place(move |slot| {
            Box::pin(async move {
                let _ = tx.send(());
                std::thread::sleep(Duration::from_millis(1500));
                drop(slot);
            })
        })
        .unwrap();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        std::thread::sleep(Duration::from_millis(900));
        assert!(pool.stuck_workers(Duration::from_millis(500)).is_empty());
    }
}
