//! What the API asks of live (and ended) sessions: the list, a stop, the log and the
//! transcript while they run, and far-end actions on their calls.

use std::sync::Arc;

use super::log::SessionLog;
use super::registry::SessionAbout;
use super::{session_of_call, transcript, FinishReason, SessionManager};
use crate::telephony::FarEndAct;
use crate::worker::protocol::ControlOutcome;

/// A live session, as `GET /voxrun/v1/sessions` lists it.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub id: u64,
    pub about: SessionAbout,
    pub calls: Vec<String>,
    pub state: SessionState,
}

/// Where a live session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Its scenarios are loading; `Started` has not been dispatched yet.
    Starting,
    Running,
    /// Asked to end (a stop or the server's shutdown); Terminating may be running.
    Stopping,
}

/// Why a far-end action was not done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FarEndError {
    /// No live call of that id in the account.
    NoSuchCall,
    /// The call exists but the action cannot be done (it ended, ...).
    Refused(String),
}

/// A session's log as the API serves it.
pub enum SessionLogSource {
    /// The session runs: its log so far, and more to come.
    Live(Arc<SessionLog>),
    /// The session ended: its stored log.
    Stored(String),
}

impl SessionManager {
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

    /// The log of a session of the account, live or stored; `Ok(None)`: no such session.
    pub async fn session_log(
        &self,
        account_id: u64,
        id: u64,
    ) -> Result<Option<SessionLogSource>, String> {
        if let Some(e) = self
            .registry
            .by_id(id)
            .filter(|e| e.account_id == account_id)
        {
            return Ok(Some(SessionLogSource::Live(e.log.clone())));
        }
        // The row is closed (log written) before the session leaves the registry.
        let stored = self
            .store
            .call(move |s| match s.history_row(account_id, id)? {
                Some(row) => s.history_log(id, &row.log_secret),
                None => Ok(None),
            })
            .await
            .map_err(|e| e.to_string())?;
        Ok(stored.map(SessionLogSource::Stored))
    }

    /// The live sessions of an account, oldest first.
    pub fn live(&self, account_id: u64) -> Vec<LiveSession> {
        let mut all: Vec<LiveSession> = self
            .registry
            .all()
            .into_iter()
            .filter(|e| e.account_id == account_id && !e.is_closed())
            .map(|e| LiveSession {
                id: e.id,
                about: e.about.clone(),
                calls: e.transcript.calls(),
                state: if e.is_stopping() {
                    SessionState::Stopping
                } else if e.is_settled() {
                    SessionState::Running
                } else {
                    SessionState::Starting
                },
            })
            .collect();
        all.sort_by_key(|s| s.id);
        all
    }

    /// Ends a live session of the account ("Terminated administratively"); `false` when
    /// there is no such live session.
    pub fn stop(&self, account_id: u64, id: u64) -> bool {
        match self.registry.by_id(id) {
            Some(e) if e.account_id == account_id && !e.is_closed() => {
                self.terminate(&e, FinishReason::Admin);
                true
            }
            _ => false,
        }
    }

    /// A live session's transcript so far and a watch on it, if it is live.
    pub fn live_transcript(
        &self,
        account_id: u64,
        id: u64,
    ) -> Option<Arc<transcript::LiveTranscript>> {
        self.registry
            .by_id(id)
            .filter(|e| e.account_id == account_id)
            .map(|e| e.transcript.clone())
    }

    /// Acts as the far end of a live call of the account.
    pub async fn far_end(
        &self,
        account_id: u64,
        call: &str,
        act: FarEndAct,
    ) -> Result<(), FarEndError> {
        let id = session_of_call(call).ok_or(FarEndError::NoSuchCall)?;
        let e = self
            .registry
            .by_id(id)
            .filter(|e| e.account_id == account_id && !e.is_closed())
            .ok_or(FarEndError::NoSuchCall)?;
        let rx = e
            .worker
            .far_end(id, call.to_string(), act)
            .ok_or(FarEndError::NoSuchCall)?;
        match rx.await {
            Ok(ControlOutcome::Reply(r)) if r.status < 300 => Ok(()),
            Ok(ControlOutcome::Reply(r)) => Err(FarEndError::Refused(
                String::from_utf8_lossy(&r.body).into_owned(),
            )),
            _ => Err(FarEndError::NoSuchCall),
        }
    }
}
