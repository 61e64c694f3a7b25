//! The sessions of one test file and their shared virtual clock (docs/testing.md). Plain Rust:
//! the test file's context (`context.rs`) reaches it through its ops.
//!
//! Every session runs on the manual clock; the driver moves them all in step with
//! [`SessionMsg::Sync`], to the earliest moment anything is due anywhere, so that sessions,
//! far ends and the test see one timeline and a run is the same every time.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::runtime::{
    run_session, CallSetup, ClockSource, FinishReason, Limits, MemoryStorage, ScenarioSource,
    SessionLink, SessionMsg, SessionOutcome, SessionSpec, StartResult, StorageRequest,
};
use crate::telephony::peer::{Answer, PeerScript, PeerTable};
use crate::telephony::Inbound;

/// Where the virtual clock of a test file starts (2024-01-01T00:00:00Z): fixed, so that
/// every run prints the same times.
pub(crate) const START_WALL_MS: u64 = 1_704_067_200_000;
/// A session with nothing left to do ends after this long, as on a server
/// (`--session-idle-timeout`'s default).
pub(crate) const IDLE_MS: u64 = 60_000;
/// A wait that sees nothing happen for this long fails (docs/testing.md).
pub(crate) const WAIT_MAX_MS: u64 = 3_600_000;
/// Inbox capacity of a test session.
const INBOX: usize = 128;

/// What a session writes: its log lines and transcript lines, kept for the test.
#[derive(Default)]
pub(crate) struct Record {
    pub(crate) log: RefCell<Vec<String>>,
    pub(crate) transcript: RefCell<Vec<String>>,
}

struct Link {
    record: Rc<Record>,
    storage: Rc<MemoryStorage>,
    inbox: mpsc::Sender<SessionMsg>,
    world_now: Rc<Cell<u64>>,
}

impl SessionLink for Link {
    fn write(&self, line: &str) {
        self.record.log.borrow_mut().push(line.to_string());
    }

    fn transcript(&self, line: &str) {
        self.record.transcript.borrow_mut().push(line.to_string());
    }

    fn storage(&self, request: StorageRequest) -> Result<(), String> {
        let now = (self.world_now.get() / 1000) as i64;
        let answer = self.storage.answer(&request, now);
        self.inbox
            .try_send(SessionMsg::Storage {
                id: request.id,
                answer,
            })
            .map_err(|_| "too many requests at once".to_string())
    }
}

/// One session a test started.
pub(crate) struct TestSession {
    pub(crate) id: u64,
    pub(crate) inbox: mpsc::Sender<SessionMsg>,
    pub(crate) record: Rc<Record>,
    task: RefCell<Option<JoinHandle<SessionOutcome>>>,
    pub(crate) ended: RefCell<Option<FinishReason>>,
}

/// How a test asked for a session (`voxrun.start`, `voxrun.callIn`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartArgs {
    pub(crate) scenarios: Vec<String>,
    #[serde(default)]
    pub(crate) custom_data: String,
    /// JSON text of `{PATTERN: PEER}` (text, so that the patterns keep their order).
    #[serde(default)]
    pub(crate) peers: Option<String>,
    #[serde(default)]
    pub(crate) inbound: Option<InboundArgs>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InboundArgs {
    pub(crate) to: String,
    #[serde(default)]
    pub(crate) from: Option<String>,
    /// JSON text of the caller's peer script.
    #[serde(default)]
    pub(crate) caller: Option<String>,
    #[serde(default)]
    pub(crate) custom_data: Option<String>,
}

/// What one round of [`World::sync`] found.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Round {
    pub(crate) next_due_wall_ms: Option<u64>,
    pub(crate) busy: bool,
    pub(crate) live: usize,
}

pub(crate) struct World {
    /// The test file's folder: scenario paths are relative to it.
    dir: PathBuf,
    now: Rc<Cell<u64>>,
    storage: Rc<MemoryStorage>,
    pub(crate) sessions: RefCell<Vec<Rc<TestSession>>>,
    next_id: Cell<u64>,
}

impl World {
    pub(crate) fn new(dir: PathBuf) -> Self {
        World {
            dir,
            now: Rc::new(Cell::new(START_WALL_MS)),
            storage: Rc::new(MemoryStorage::default()),
            sessions: RefCell::new(Vec::new()),
            next_id: Cell::new(1),
        }
    }

    /// The virtual wall clock, ms since the Unix epoch.
    pub(crate) fn now(&self) -> u64 {
        self.now.get()
    }

    pub(crate) fn set_now(&self, wall_ms: u64) {
        if wall_ms > self.now.get() {
            self.now.set(wall_ms);
        }
    }

    pub(crate) fn session(&self, id: u64) -> Option<Rc<TestSession>> {
        self.sessions.borrow().iter().find(|s| s.id == id).cloned()
    }

    /// Something that changes whenever anything happens: the clock, a log or transcript
    /// line, a session's end.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut f = self.now.get();
        for s in self.sessions.borrow().iter() {
            f = f
                .wrapping_add(s.record.log.borrow().len() as u64)
                .wrapping_add(s.record.transcript.borrow().len() as u64)
                .wrapping_add(u64::from(s.ended.borrow().is_some()));
        }
        f
    }

    /// Starts a session on this thread; the receiver reports how `Started` went.
    pub(crate) fn start(
        &self,
        args: StartArgs,
    ) -> Result<(u64, oneshot::Receiver<StartResult>), String> {
        let spec = self.spec(args)?;
        let id = spec.session_id;
        let (tx, rx) = mpsc::channel(INBOX);
        let record = Rc::new(Record::default());
        let link: Rc<dyn SessionLink> = Rc::new(Link {
            record: record.clone(),
            storage: self.storage.clone(),
            inbox: tx.clone(),
            world_now: self.now.clone(),
        });
        let limits = Limits {
            // The driver ends idle sessions in virtual time; real time plays no part.
            idle_timeout: Duration::from_secs(86_400),
            max_duration: Duration::from_secs(86_400),
            ..Limits::default()
        };
        let clock = ClockSource::Manual {
            start_ms: self.now.get(),
        };
        let (started_tx, started_rx) = oneshot::channel();
        let task = tokio::task::spawn_local(run_session(spec, limits, clock, link, rx, started_tx));
        self.sessions.borrow_mut().push(Rc::new(TestSession {
            id,
            inbox: tx,
            record,
            task: RefCell::new(Some(task)),
            ended: RefCell::new(None),
        }));
        Ok((id, started_rx))
    }

    fn spec(&self, args: StartArgs) -> Result<SessionSpec, String> {
        let mut scenarios = Vec::new();
        for name in &args.scenarios {
            let path = self.dir.join(name);
            let source = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read scenario {name}: {e}"))?;
            scenarios.push(ScenarioSource {
                name: name.clone(),
                source,
            });
        }
        let mut peers = match &args.peers {
            Some(text) => PeerTable::parse_str(text).map_err(|e| format!("peers: {e}"))?,
            None => PeerTable::default(),
        };
        // A number no pattern matches rings until the test answers it (`c.answer()`).
        peers.entries.push((
            ".*".to_string(),
            PeerScript {
                answer: Answer::Never,
                steps: Vec::new(),
            },
        ));
        let inbound = match args.inbound {
            Some(a) => {
                let caller = match &a.caller {
                    Some(text) => {
                        PeerScript::parse_str(text).map_err(|e| format!("caller: {e}"))?
                    }
                    None => PeerScript::default(),
                };
                Some(Inbound {
                    to: a.to,
                    from: a
                        .from
                        .unwrap_or_else(|| crate::telephony::DEFAULT_CALLER.to_string()),
                    caller,
                    custom_data: a.custom_data,
                    ..Inbound::default()
                })
            }
            None => None,
        };
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        Ok(SessionSpec {
            session_id: id,
            access_url: format!("http://127.0.0.1/request/test-{id}"),
            access_secure_url: format!("https://127.0.0.1/request/test-{id}"),
            custom_data: args.custom_data,
            scenarios,
            calls: CallSetup {
                peers,
                inbound,
                ..CallSetup::default()
            },
            ..SessionSpec::default()
        })
    }

    /// Moves every live session to the current time and lets it run what is due; notes
    /// the sessions that ended.
    pub(crate) async fn sync(&self) -> Round {
        let mut round = Round::default();
        let list: Vec<Rc<TestSession>> = self.sessions.borrow().clone();
        for s in list {
            if s.ended.borrow().is_some() {
                continue;
            }
            let (tx, rx) = oneshot::channel();
            let sent = s
                .inbox
                .send(SessionMsg::Sync {
                    wall_ms: self.now.get(),
                    done: tx,
                })
                .await
                .is_ok();
            let report = if sent { rx.await.ok() } else { None };
            match report {
                Some(r) => {
                    round.busy |= r.busy;
                    round.next_due_wall_ms = match (round.next_due_wall_ms, r.next_due_wall_ms) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    round.live += 1;
                }
                None => self.reap(&s).await,
            }
        }
        round
    }

    /// Waits for a session whose inbox closed to hand over its outcome.
    async fn reap(&self, s: &TestSession) {
        let task = s.task.borrow_mut().take();
        let reason = match task {
            Some(t) => t.await.map_or(FinishReason::JsError, |o| o.finish_reason),
            None => FinishReason::JsError,
        };
        *s.ended.borrow_mut() = Some(reason);
    }

    /// Ends every live session with `reason`, and waits until they have.
    pub(crate) async fn end_all(&self, reason: FinishReason) {
        let list: Vec<Rc<TestSession>> = self.sessions.borrow().clone();
        for s in &list {
            if s.ended.borrow().is_none() {
                let _ = s.inbox.send(SessionMsg::Terminate { reason }).await;
            }
        }
        for s in &list {
            if s.ended.borrow().is_none() {
                self.reap(s).await;
            }
        }
    }
}
