//! Live sessions by control token (and by id, for the log URL), in concurrent maps so that
//! a control request costs one lookup whatever the number of sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use dashmap::DashMap;
use tokio::sync::Notify;

use super::log::SessionLog;
use super::workers::WorkerLink;
use crate::runtime::StartResult;

/// What the control listener and the manager know of a live session.
pub struct SessionEntry {
    pub id: u64,
    pub account_id: u64,
    pub token: String,
    /// Hex, ≥ 128 random bits. Compared in constant time.
    pub secret: String,
    /// The worker process the session runs in (it never moves).
    pub worker: Arc<WorkerLink>,
    pub log: Arc<SessionLog>,
    /// Its transcript so far (docs/telephony.md#the-transcript).
    pub transcript: Arc<super::transcript::LiveTranscript>,
    pub conference: Option<String>,
    /// The initial custom data (what history keeps if the session cannot report its own).
    pub custom_data: String,
    pub started_at: Instant,
    /// What `GET /voxrun/v1/sessions` shows of it.
    pub about: SessionAbout,
    failed: AtomicBool,
    /// Started was dispatched, the load failed, or the session is over.
    settled: AtomicBool,
    settled_notify: Notify,
    closed: AtomicBool,
    /// Asked to end (a stop or the server's shutdown).
    stopping: AtomicBool,
}

/// A live session as the session list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAbout {
    pub application_id: u64,
    pub application_name: String,
    pub rule_id: u64,
    pub rule_name: String,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub start_date: String,
}

/// The parts a new entry is made of.
pub struct NewEntry {
    pub id: u64,
    pub account_id: u64,
    pub token: String,
    pub secret: String,
    pub worker: Arc<WorkerLink>,
    pub log: Arc<SessionLog>,
    pub conference: Option<String>,
    pub custom_data: String,
    pub started_at: Instant,
    pub about: SessionAbout,
}

impl SessionEntry {
    pub fn new(n: NewEntry) -> Self {
        SessionEntry {
            id: n.id,
            account_id: n.account_id,
            token: n.token,
            secret: n.secret,
            worker: n.worker,
            log: n.log,
            conference: n.conference,
            custom_data: n.custom_data,
            started_at: n.started_at,
            about: n.about,
            transcript: Arc::new(super::transcript::LiveTranscript::default()),
            failed: AtomicBool::new(false),
            settled: AtomicBool::new(false),
            settled_notify: Notify::new(),
            closed: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
        }
    }

    /// Mark the session failed from outside it (its worker died); its waiting requests are
    /// answered when the worker's link drops their senders.
    pub fn fail(&self) {
        self.failed.store(true, Ordering::SeqCst);
        self.settle();
    }

    /// The worker reported how Started went.
    pub fn set_started(&self, _result: StartResult) {
        self.settle();
    }

    fn settle(&self) {
        self.settled.store(true, Ordering::SeqCst);
        self.settled_notify.notify_waiters();
    }

    /// Resolves once Started was dispatched, the load failed or the session is over.
    pub async fn settled(&self) {
        loop {
            let notified = self.settled_notify.notified();
            if self.settled.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }

    /// True for the first caller only: who closes the history row.
    pub fn mark_closed(&self) -> bool {
        let first = !self.closed.swap(true, Ordering::SeqCst);
        self.settle();
        first
    }

    /// Its history row is being (or has been) closed.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Started was dispatched, the load failed, or the session is over.
    pub fn is_settled(&self) -> bool {
        self.settled.load(Ordering::SeqCst)
    }

    /// The session was asked to end.
    pub fn mark_stopping(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }
}

#[derive(Default)]
pub struct Registry {
    by_token: DashMap<String, Arc<SessionEntry>>,
    by_id: DashMap<u64, Arc<SessionEntry>>,
    /// (account, conference name) → session id.
    conferences: DashMap<(u64, String), u64>,
}

impl Registry {
    pub fn insert(&self, entry: Arc<SessionEntry>) {
        if let Some(name) = &entry.conference {
            self.conferences
                .insert((entry.account_id, name.clone()), entry.id);
        }
        self.by_id.insert(entry.id, entry.clone());
        self.by_token.insert(entry.token.clone(), entry);
    }

    pub fn remove(&self, id: u64) {
        if let Some((_, e)) = self.by_id.remove(&id) {
            self.by_token.remove(&e.token);
            if let Some(name) = &e.conference {
                self.conferences
                    .remove_if(&(e.account_id, name.clone()), |_, v| *v == id);
            }
        }
    }

    pub fn by_token(&self, token: &str) -> Option<Arc<SessionEntry>> {
        self.by_token.get(token).map(|e| e.value().clone())
    }

    pub fn by_id(&self, id: u64) -> Option<Arc<SessionEntry>> {
        self.by_id.get(&id).map(|e| e.value().clone())
    }

    pub fn conference(&self, account_id: u64, name: &str) -> Option<Arc<SessionEntry>> {
        let id = *self.conferences.get(&(account_id, name.to_string()))?;
        self.by_id(id).filter(|e| !e.has_failed())
    }

    pub fn on_worker(&self, worker_id: u64) -> Vec<Arc<SessionEntry>> {
        self.by_id
            .iter()
            .filter(|e| e.worker.id == worker_id)
            .map(|e| e.value().clone())
            .collect()
    }

    pub fn all(&self) -> Vec<Arc<SessionEntry>> {
        self.by_id.iter().map(|e| e.value().clone()).collect()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
