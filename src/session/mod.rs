//! Sessions: the manager that starts them, the registry of live ones, the worker pool they run
//! on, and their logs. Plain Rust messages only: the JS side lives in [`crate::runtime`].
//!
//! A start records the history row, registers the session (so the control URL finds it at
//! once), places it on a worker thread and waits for `AppEvents.Started` to be dispatched.
//! When the session ends, its log and history row are persisted before it leaves the
//! registry. A watchdog fails the sessions of a thread stuck where Boa cannot interrupt.

pub mod log;
pub mod pool;
pub mod registry;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use crate::runtime::{
    run_session, ClockSource, FinishReason, Limits, LogSink, ScenarioSource, SessionMsg,
    SessionOutcome, SessionSpec, StartResult,
};
use crate::store::{HistoryStart, StoreHandle};
use log::SessionLog;
use pool::{PlaceError, WorkerPool};
use registry::{Registry, SessionEntry};

/// Settings of the session runtime.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub limits: Limits,
    /// Events waiting per session before the control URL answers 503.
    pub queue_len: usize,
    pub js_threads_max: usize,
    pub sessions_per_thread: usize,
    /// `http://host:port` of the control listener.
    pub control_base: String,
    pub control_secure_base: String,
    /// `https://host:port` of the API listener (log URLs).
    pub api_secure_base: String,
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
}

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
    store: StoreHandle,
    pool: Arc<WorkerPool>,
    registry: Arc<Registry>,
    shutting_down: AtomicBool,
    /// (account, conference name) → the lock that serializes starts of that conference.
    conference_starts: dashmap::DashMap<(u64, String), Arc<tokio::sync::Mutex<()>>>,
}

struct LogToBuffer(Arc<SessionLog>);

impl LogSink for LogToBuffer {
    fn write(&self, line: &str) {
        self.0.push(line);
    }
}

impl SessionManager {
    pub fn new(config: SessionConfig, store: StoreHandle) -> Arc<Self> {
        Arc::new(SessionManager {
            pool: WorkerPool::new(config.js_threads_max, config.sessions_per_thread),
            registry: Arc::new(Registry::default()),
            shutting_down: AtomicBool::new(false),
            conference_starts: dashmap::DashMap::new(),
            config,
            store,
        })
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
        let id = self
            .store
            .call(move |s| s.create_history(&row))
            .await
            .map_err(|e| StartError::Internal(e.to_string()))?;
        let (inbox_tx, inbox_rx) = mpsc::channel(self.config.queue_len.max(1));
        let log = Arc::new(SessionLog::new());
        let access_url = format!("{}/request/{token}/{secret}", self.config.control_base);
        let access_secure_url = format!(
            "{}/request/{token}/{secret}",
            self.config.control_secure_base
        );
        let spec = SessionSpec {
            session_id: id,
            account_id: req.account_id,
            application_id: req.application_id,
            access_url: access_url.clone(),
            access_secure_url: access_secure_url.clone(),
            log_url: format!("{}/logs/{id}/{log_secret}", self.config.api_secure_base),
            conference_name: req.conference_name.clone(),
            custom_data: req.custom_data.clone(),
            control_secret: Some(secret.clone()),
            scenarios: req.scenarios,
        };
        let (started_tx, started_rx) = oneshot::channel::<StartResult>();
        let (done_tx, done_rx) = oneshot::channel::<SessionOutcome>();
        let limits = self.config.limits.clone();
        let sink_log = log.clone();
        let began = Instant::now();
        let placed = self.pool.place(move |slot| {
            Box::pin(async move {
                let sink: std::rc::Rc<dyn LogSink> = std::rc::Rc::new(LogToBuffer(sink_log));
                let outcome = run_session(
                    spec,
                    limits,
                    ClockSource::System,
                    sink,
                    inbox_rx,
                    started_tx,
                )
                .await;
                let _ = done_tx.send(outcome);
                drop(slot);
            })
        });
        let worker_id = match placed {
            Ok(w) => w,
            Err(e) => {
                let reason = match &e {
                    PlaceError::Full => "no room for another session",
                    PlaceError::Spawn(_) => "a worker thread could not be started",
                };
                log.push(&format!("{} session not started: {reason}", log_time()));
                self.close(id, FinishReason::JsError, req.custom_data, &log, began)
                    .await;
                return Err(match e {
                    PlaceError::Full => StartError::Full,
                    PlaceError::Spawn(m) => StartError::Internal(m),
                });
            }
        };
        let entry = Arc::new(SessionEntry::new(
            id,
            req.account_id,
            token,
            secret,
            inbox_tx,
            log.clone(),
            worker_id,
            req.conference_name,
            req.custom_data.clone(),
            began,
        ));
        self.registry.insert(entry.clone());
        let me = self.clone();
        let ended = entry.clone();
        tokio::spawn(async move {
            match done_rx.await {
                Ok(o) => me.close_once(&ended, o.finish_reason, o.custom_data).await,
                // The thread died under it.
                Err(_) => me.close_entry(&ended, FinishReason::JsError).await,
            }
        });
        // Answer after Started has been dispatched (or the load failed, or the watchdog
        // failed the session because its thread got stuck).
        tokio::select! {
            _ = started_rx => {}
            _ = entry.failed() => {}
        }
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

    /// Persist the log and close the history row, then drop the session from the registry.
    async fn close(
        &self,
        id: u64,
        reason: FinishReason,
        custom_data: String,
        log: &SessionLog,
        began: Instant,
    ) {
        let duration = began.elapsed().as_secs_f64().ceil() as u64;
        let text = log.snapshot();
        let reason_text = reason.as_str().to_string();
        let r = self
            .store
            .call(move |s| s.finish_history(id, duration, &reason_text, &custom_data, &text))
            .await;
        if let Err(e) = r {
            tracing::error!(session = id, error = %e, "could not persist the session's history");
        }
        self.registry.remove(id);
    }

    /// Close a session that cannot report its own end (stuck thread, shutdown overrun).
    async fn close_entry(&self, e: &SessionEntry, reason: FinishReason) {
        self.close_once(e, reason, e.custom_data.clone()).await;
    }

    /// Close a registered session once: by itself, the watchdog or shutdown, whichever is first.
    async fn close_once(&self, e: &SessionEntry, reason: FinishReason, custom_data: String) {
        if e.mark_closed() {
            self.close(e.id, reason, custom_data, &e.log, e.started_at)
                .await;
        }
    }

    /// The log of a session, live or finished, if `secret` is its log secret.
    pub async fn log_text(&self, id: u64, secret: String) -> Option<String> {
        let stored = self
            .store
            .call(move |s| s.history_log(id, &secret))
            .await
            .ok()??;
        // A live session's log is in memory; the stored one is empty until it ends.
        Some(match self.registry.by_id(id) {
            Some(live) => live.log.snapshot(),
            None => stored,
        })
    }

    /// Check worker heartbeats every `period`; fail the sessions of a stuck thread.
    pub fn spawn_watchdog(self: &Arc<Self>, period: Duration, stuck_after: Duration) {
        let me = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                let Some(me) = me.upgrade() else { break };
                for worker in me.pool.stuck_workers(stuck_after) {
                    for entry in me.registry.on_worker(worker) {
                        if entry.has_failed() {
                            continue;
                        }
                        tracing::warn!(
                            session = entry.id,
                            worker,
                            "worker thread stuck; failing its session"
                        );
                        entry.log.push(&format!(
                            "{} JS session error: the script did not return control (a loop inside a native callback?)",
                            log_time()
                        ));
                        entry.fail();
                        // When the thread comes back, the session must end, not live on
                        // unseen: queue its termination now.
                        me.terminate(&entry, FinishReason::JsError);
                        me.close_entry(&entry, FinishReason::JsError).await;
                    }
                }
            }
        });
    }

    /// Ask a session to end; a full inbox gets the message as soon as there is room.
    fn terminate(&self, e: &Arc<SessionEntry>, reason: FinishReason) {
        let msg = SessionMsg::Terminate { reason };
        if let Err(mpsc::error::TrySendError::Full(msg)) = e.inbox.try_send(msg) {
            let inbox = e.inbox.clone();
            tokio::spawn(async move {
                let _ = inbox.send(msg).await;
            });
        }
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
    }
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    hex::encode(b)
}

/// `YYYY-MM-DD HH:mm:ss.mmm` now, for system lines written outside the runtime.
pub fn log_time() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S%.3f")
        .to_string()
}
