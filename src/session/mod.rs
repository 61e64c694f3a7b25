//! Sessions: the manager that starts them, the registry of live ones, the worker processes
//! they run in, the JS thread pool inside a worker, and their logs. Plain Rust messages
//! only: the JS side lives in [`crate::runtime`], and in a server it runs only in worker
//! processes ([`crate::worker`]); the manager never runs script code.
//!
//! A start records the history row, registers the session (so the control URL finds it at
//! once), sends it to the worker with the fewest sessions and waits for `AppEvents.Started`
//! to be dispatched. When the session ends (or its worker dies), its log and history row are
//! persisted before it leaves the registry; a failed write is retried until it succeeds.

pub mod awaited;
mod history_writer;
mod live;
pub mod log;
pub mod pool;
pub mod registry;
pub mod storage;
pub mod transcript;
pub mod workers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::runtime::{CallSetup, FinishReason, Limits, ScenarioSource, SessionSpec, StorageAnswer};
use crate::store::{CallRecord, HistoryStart, RecordRecord, SessionWrite, StoreHandle};
use crate::telephony::CallSummary;
use crate::worker::protocol::{StartSession, ToWorker};
use history_writer::HistoryWriter;
use log::SessionLog;
pub use registry::SessionAbout;
use registry::{NewEntry, Registry, SessionEntry};
use workers::{WorkerEvent, WorkerSettings, Workers};

/// How long a start waits for a worker to be ready (after the server started, or while a
/// dead one is replaced) before it fails.
const WORKER_WAIT: Duration = Duration::from_secs(5);
/// How long a failed history write waits before it is tried again.
const WRITE_RETRY: Duration = Duration::from_millis(250);
/// How often a write that keeps failing is logged.
const WRITE_FAILURE_LOG_EVERY: Duration = Duration::from_secs(60);

/// Settings of the session runtime.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub limits: Limits,
    /// Events waiting per session before the control URL answers 503.
    pub queue_len: usize,
    pub workers: WorkerSettings,
    /// `http://host:port` of the control listener.
    pub control_base: String,
    pub control_secure_base: String,
    /// `https://host:port` of the API listener (log URLs).
    pub api_secure_base: String,
    /// `serve --clock virtual`: calls' media and far-end waits take no time.
    pub instant_media: bool,
}

/// What to start.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub account_id: u64,
    pub application_id: u64,
    pub application_name: String,
    pub rule_id: u64,
    pub rule_name: String,
    pub user_id: Option<u64>,
    pub custom_data: String,
    pub conference_name: Option<String>,
    pub scenarios: Vec<ScenarioSource>,
    /// Outbound far ends and an inbound call to place (docs/telephony.md#driving-calls-on-a-server).
    pub calls: CallSetup,
}

/// The prefix of a server session's call ids: they name their session, so that a far-end
/// action (`/voxrun/v1/calls/{call_id}/...`) finds it.
pub fn call_prefix(session_id: u64) -> String {
    format!("{session_id}-")
}

/// The session a server call id belongs to (see [`call_prefix`]).
pub fn session_of_call(call_id: &str) -> Option<u64> {
    call_id.split_once('-')?.0.parse().ok()
}

pub use live::{FarEndError, LiveSession, SessionLogSource, SessionState};

/// What the API answers.
#[derive(Debug, Clone)]
pub struct StartedSession {
    pub id: u64,
    pub access_url: String,
    pub access_secure_url: String,
}

#[derive(Debug)]
pub enum StartError {
    /// No room on any worker thread.
    Full,
    Internal(String),
}

pub struct SessionManager {
    config: SessionConfig,
    history: Arc<HistoryWriter>,
    store: StoreHandle,
    workers: Arc<Workers>,
    registry: Arc<Registry>,
    shutting_down: AtomicBool,
    /// (account, conference name) → the lock that serializes starts of that conference.
    conference_starts: dashmap::DashMap<(u64, String), Arc<tokio::sync::Mutex<()>>>,
}

impl SessionManager {
    /// Start the worker processes and the task that hears from them. Must be called inside
    /// a tokio runtime.
    pub fn new(config: SessionConfig, store: StoreHandle) -> Result<Arc<Self>, String> {
        let history = HistoryWriter::start(store.clone())
            .map_err(|e| format!("cannot read the call history: {e}"))?;
        let registry = Arc::new(Registry::default());
        let (events_tx, mut events) = mpsc::unbounded_channel();
        let workers = Workers::start(config.workers.clone(), registry.clone(), events_tx);
        let me = Arc::new(SessionManager {
            history,
            workers,
            registry,
            shutting_down: AtomicBool::new(false),
            conference_starts: dashmap::DashMap::new(),
            config,
            store,
        });
        let weak = Arc::downgrade(&me);
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                let Some(me) = weak.upgrade() else { return };
                tokio::spawn(async move { me.on_worker_event(event).await });
            }
        });
        Ok(me)
    }

    async fn on_worker_event(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Ended { session, outcome } => {
                if let Some(e) = self.registry.by_id(session) {
                    let calls = self.calls_write(&e, &outcome.transcript, &outcome.calls);
                    if e.mark_closed() {
                        self.finish_close(
                            &e,
                            outcome.finish_reason,
                            outcome.custom_data,
                            Some(calls),
                        )
                        .await;
                    } else {
                        // Closed already (watchdog, shutdown): the session's own transcript
                        // still replaces the one received so far.
                        self.write_until_done(session, "transcript and calls", vec![calls])
                            .await;
                    }
                }
            }
            WorkerEvent::Storage { session, request } => {
                let Some(e) = self.registry.by_id(session) else {
                    return;
                };
                let id = request.id;
                let now = chrono::Utc::now().timestamp();
                let answer = self
                    .store
                    .call(move |s| Ok(storage::answer(s, &request, now)))
                    .await
                    .unwrap_or_else(|e| StorageAnswer::Failed(format!("the storage failed: {e}")));
                e.worker.send(ToWorker::Storage {
                    session,
                    id,
                    answer,
                });
            }
            WorkerEvent::Died { worker, why } => {
                for e in self.registry.on_worker(worker) {
                    // Ended on its own just before (its row is being written), or failed.
                    if e.has_failed() || e.is_closed() {
                        continue;
                    }
                    tracing::warn!(session = e.id, worker, "session failed: {why}");
                    e.log
                        .push(&format!("{} JS session error: {why}", log_time()));
                    e.fail();
                    self.close_entry(&e, FinishReason::JsError).await;
                }
            }
        }
    }

    pub fn registry(&self) -> Arc<Registry> {
        self.registry.clone()
    }

    /// Start a session (or join the live conference of that name).
    pub async fn start(self: &Arc<Self>, req: StartRequest) -> Result<StartedSession, StartError> {
        // Runs to the end even if the caller goes away: a half-done start would leave its
        // history row "running" and its conference lock behind.
        let me = self.clone();
        match tokio::spawn(async move { me.start_detached(req).await }).await {
            Ok(r) => r,
            Err(e) => Err(StartError::Internal(format!("session start failed: {e}"))),
        }
    }

    async fn start_detached(
        self: &Arc<Self>,
        req: StartRequest,
    ) -> Result<StartedSession, StartError> {
        if self.shutting_down.load(Ordering::SeqCst) {
            return Err(StartError::Internal("the server is shutting down".into()));
        }
        let Some(name) = req.conference_name.clone() else {
            return self.start_new(req).await;
        };
        // One start per conference name at a time, so that overlapping calls join one session.
        let key = (req.account_id, name);
        let lock = self
            .conference_starts
            .entry(key.clone())
            .or_default()
            .clone();
        let result = {
            let _turn = lock.lock().await;
            match self.registry.conference(key.0, &key.1) {
                Some(live) => Ok(self.urls(&live)),
                None => self.start_new(req).await,
            }
        };
        // Forget the lock unless another call holds it (the map's copy and ours make two).
        self.conference_starts
            .remove_if(&key, |_, l| Arc::strong_count(l) <= 2);
        result
    }

    async fn start_new(self: &Arc<Self>, req: StartRequest) -> Result<StartedSession, StartError> {
        let token = random_hex(16);
        let secret = random_hex(16);
        let log_secret = random_hex(16);
        let row = HistoryStart {
            account_id: req.account_id,
            application_id: req.application_id,
            application_name: req.application_name.clone(),
            rule_id: req.rule_id,
            rule_name: req.rule_name.clone(),
            user_id: req.user_id,
            custom_data: req.custom_data.clone(),
            conference_name: req.conference_name.clone(),
            log_secret: log_secret.clone(),
        };
        // Durable (group-committed with whatever else is being written) before the session
        // is placed. Placing it while the row is written was measured: no faster, and ~15 %
        // more memory per idle session (BENCHMARKS.md, 2026-12-03).
        let id = self.history.reserve();
        self.history
            .write(SessionWrite::Start { id, row })
            .await
            .map_err(|e| StartError::Internal(format!("cannot record the session: {e}")))?;
        let log = Arc::new(SessionLog::new());
        let began = Instant::now();
        let Some(worker) = self.workers.pick_waiting(WORKER_WAIT).await else {
            log.push(&format!(
                "{} session not started: no worker process has room for it",
                log_time()
            ));
            let ending = Ending {
                id,
                rule: &req.rule_name,
                reason: FinishReason::JsError,
            };
            self.close(ending, req.custom_data, &log, began, None).await;
            return Err(StartError::Full);
        };
        let access_url = format!("{}/request/{token}/{secret}", self.config.control_base);
        let access_secure_url = format!(
            "{}/request/{token}/{secret}",
            self.config.control_secure_base
        );
        let spec = SessionSpec {
            session_id: id,
            account_id: req.account_id,
            application_id: req.application_id,
            access_url,
            access_secure_url,
            log_url: format!("{}/logs/{id}/{log_secret}", self.config.api_secure_base),
            conference_name: req.conference_name.clone(),
            custom_data: req.custom_data.clone(),
            control_secret: Some(secret.clone()),
            scenarios: req.scenarios,
            calls: CallSetup {
                call_prefix: call_prefix(id),
                instant_media: self.config.instant_media,
                ..req.calls
            },
        };
        let entry = Arc::new(SessionEntry::new(NewEntry {
            id,
            account_id: req.account_id,
            token,
            secret,
            worker: worker.clone(),
            log,
            conference: req.conference_name,
            custom_data: req.custom_data,
            started_at: began,
            about: SessionAbout {
                application_id: req.application_id,
                application_name: req.application_name.clone(),
                rule_id: req.rule_id,
                rule_name: req.rule_name.clone(),
                start_date: chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            },
        }));
        entry.log.push(&format!(
            "{} [voxrun] Worker process {} runs this session",
            log_time(),
            worker.pid
        ));
        // Registered before the worker hears of it, so its first message finds the entry.
        self.registry.insert(entry.clone());
        let sent = worker.start(StartSession {
            spec,
            limits: self.config.limits.clone(),
            queue_len: self.config.queue_len,
        });
        tracing::info!(
            session = id,
            rule = %entry.about.rule_name,
            application = %entry.about.application_name,
            worker_pid = worker.pid,
            "session started"
        );
        if !sent {
            entry.log.push(&format!(
                "{} JS session error: its worker process died before the session could start",
                log_time()
            ));
            entry.fail();
            self.close_entry(&entry, FinishReason::JsError).await;
        }
        // Answer after Started has been dispatched (or the load failed, or the worker died).
        entry.settled().await;
        Ok(self.urls(&entry))
    }

    fn urls(&self, e: &SessionEntry) -> StartedSession {
        StartedSession {
            id: e.id,
            access_url: format!(
                "{}/request/{}/{}",
                self.config.control_base, e.token, e.secret
            ),
            access_secure_url: format!(
                "{}/request/{}/{}",
                self.config.control_secure_base, e.token, e.secret
            ),
        }
    }

    /// Persist the log (and `calls`, the transcript and calls, in the same transaction) and
    /// close the history row, then drop the session from the registry. A failed write (disk
    /// full, I/O error) is retried until it succeeds: the row and the log are never dropped.
    async fn close(
        &self,
        ending: Ending<'_>,
        custom_data: String,
        log: &SessionLog,
        began: Instant,
        calls: Option<SessionWrite>,
    ) {
        let Ending { id, rule, reason } = ending;
        let elapsed = began.elapsed();
        let duration = elapsed.as_secs_f64().ceil() as u64;
        let finish = SessionWrite::Finish {
            id,
            duration,
            reason: reason.as_str().to_string(),
            custom_data,
            log: log.snapshot(),
        };
        // Calls first: a closed row always has them.
        let what = if calls.is_some() {
            "history, log and transcript"
        } else {
            "history and log"
        };
        let writes: Vec<SessionWrite> = calls.into_iter().chain([finish]).collect();
        self.write_until_done(id, what, writes).await;
        self.registry.remove(id);
        log.finish();
        tracing::info!(
            session = id,
            rule = %rule,
            reason = reason.as_str(),
            duration_ms = elapsed.as_millis() as u64,
            "session ended"
        );
    }

    /// The write that saves a session's transcript and calls beside its history row.
    fn calls_write(
        &self,
        e: &SessionEntry,
        transcript: &[String],
        calls: &[CallSummary],
    ) -> SessionWrite {
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
        let wall_start = now.saturating_sub(e.started_at.elapsed().as_secs());
        let calls: Vec<CallRecord> = calls
            .iter()
            .map(|c| CallRecord {
                call_id: c.call_id.clone(),
                start_time: wall_start + c.start_ms / 1000,
                duration: c.duration_s,
                local_number: c.local_number.clone(),
                remote_number: c.remote_number.clone(),
                incoming: c.incoming,
                successful: c.successful,
                record_url: c.record_url.clone(),
            })
            .collect();
        let records: Vec<RecordRecord> = calls
            .iter()
            .filter_map(|c| {
                Some(RecordRecord {
                    record_id: None,
                    record_name: Some(format!("{}.mp3", c.call_id)),
                    record_url: c.record_url.clone()?,
                    start_time: c.start_time,
                    duration: c.duration,
                    call_id: c.call_id.clone(),
                })
            })
            .collect();
        SessionWrite::Calls {
            id: e.id,
            transcript: format!("[{}]", transcript.join(",")),
            calls,
            records,
        }
    }

    /// Write records of session `id` (together, group-committed) until it succeeds: a
    /// failed write (disk full, I/O error) is retried, never dropped, with an error line now
    /// and then.
    async fn write_until_done(&self, id: u64, what: &'static str, writes: Vec<SessionWrite>) {
        let mut last_warning: Option<Instant> = None;
        while let Err(e) = self.history.write_together(writes.clone()).await {
            if last_warning.is_none_or(|t| t.elapsed() >= WRITE_FAILURE_LOG_EVERY) {
                tracing::error!(session = id, error = %e, "cannot persist the session's {what}; retrying until it works");
                last_warning = Some(Instant::now());
            }
            tokio::time::sleep(WRITE_RETRY).await;
        }
    }

    /// Close a session that cannot report its own end (worker died, stuck thread, shutdown
    /// overrun): its transcript is kept up to the last entry received, with the calls it
    /// names.
    async fn close_entry(&self, e: &SessionEntry, reason: FinishReason) {
        if e.mark_closed() {
            let transcript = e.transcript.lines_from(0);
            let calls = transcript::calls_of(&transcript);
            let calls = self.calls_write(e, &transcript, &calls);
            self.finish_close(e, reason, e.custom_data.clone(), Some(calls))
                .await;
        }
    }

    /// Closes a registered session whose `mark_closed` this caller won (by itself, the
    /// watchdog or shutdown, whichever is first).
    async fn finish_close(
        &self,
        e: &SessionEntry,
        reason: FinishReason,
        custom_data: String,
        calls: Option<SessionWrite>,
    ) {
        e.worker.release();
        let ending = Ending {
            id: e.id,
            rule: &e.about.rule_name,
            reason,
        };
        self.close(ending, custom_data, &e.log, e.started_at, calls)
            .await;
        e.transcript.finish();
    }

    /// Ask a session to end.
    fn terminate(&self, e: &Arc<SessionEntry>, reason: FinishReason) {
        e.mark_stopping();
        e.worker.send(ToWorker::Terminate {
            session: e.id,
            reason,
        });
    }

    /// Stop accepting starts, terminate every session (Terminating/Terminated run) and wait
    /// for their history to be written, up to `grace`.
    pub async fn shutdown(&self, grace: Duration) {
        self.shutting_down.store(true, Ordering::SeqCst);
        for e in self.registry.all() {
            self.terminate(&e, FinishReason::Admin);
        }
        let deadline = Instant::now() + grace;
        while !self.registry.is_empty() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for e in self.registry.all() {
            e.fail();
            self.close_entry(&e, FinishReason::Admin).await;
        }
        self.workers.stop();
    }
}

/// A session being closed: what its history row and the "session ended" line need.
struct Ending<'a> {
    id: u64,
    rule: &'a str,
    reason: FinishReason,
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    hex::encode(b)
}

/// `YYYY-MM-DD HH:mm:ss.mmm` now, for system lines written outside the runtime.
pub fn log_time() -> String {
    crate::runtime::line_time(chrono::Utc::now().timestamp_millis())
}
