//! Live sessions by control token (and by id, for the log URL), in concurrent maps so that
//! a control request costs one lookup whatever the number of sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use dashmap::DashMap;
use tokio::sync::{mpsc, Notify};

use super::log::SessionLog;
use crate::runtime::SessionMsg;

/// What the control listener and the manager know of a live session.
pub struct SessionEntry {
    pub id: u64,
    pub account_id: u64,
    pub token: String,
    /// Hex, ≥ 128 random bits. Compared in constant time.
    pub secret: String,
    pub inbox: mpsc::Sender<SessionMsg>,
    pub log: Arc<SessionLog>,
    pub worker_id: usize,
    pub conference: Option<String>,
    /// The initial custom data (what history keeps if the session cannot report its own).
    pub custom_data: String,
    pub started_at: Instant,
    failed: AtomicBool,
    failed_notify: Notify,
    closed: AtomicBool,
}

impl SessionEntry {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: u64,
        account_id: u64,
        token: String,
        secret: String,
        inbox: mpsc::Sender<SessionMsg>,
        log: Arc<SessionLog>,
        worker_id: usize,
        conference: Option<String>,
        custom_data: String,
        started_at: Instant,
    ) -> Self {
        SessionEntry {
            id,
            account_id,
            token,
            secret,
            inbox,
            log,
            worker_id,
            conference,
            custom_data,
            started_at,
            failed: AtomicBool::new(false),
            failed_notify: Notify::new(),
            closed: AtomicBool::new(false),
        }
    }

    /// Mark the session failed from outside its thread (the watchdog): waiting requests wake.
    pub fn fail(&self) {
        self.failed.store(true, Ordering::SeqCst);
        self.failed_notify.notify_waiters();
    }

    /// True for the first caller only: who closes the history row.
    pub fn mark_closed(&self) -> bool {
        !self.closed.swap(true, Ordering::SeqCst)
    }

    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    /// Resolves once [`fail`](Self::fail) has been called.
    pub async fn failed(&self) {
        loop {
            let notified = self.failed_notify.notified();
            if self.has_failed() {
                return;
            }
            notified.await;
        }
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

    pub fn on_worker(&self, worker_id: usize) -> Vec<Arc<SessionEntry>> {
        self.by_id
            .iter()
            .filter(|e| e.worker_id == worker_id)
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
