//! Per-context host state. Every native op reaches it through [`host`]; the session loop
//! keeps its own `Rc` to the same value.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use boa_engine::{Context, JsNativeError, JsResult, JsValue};
use tokio::sync::Notify;

use super::clock::SessionClock;
use super::log::SessionLog;
use super::net::NetState;
use super::{HttpReply, Limits};
use crate::telephony::transcript::What;
use crate::telephony::Emulator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Running,
    /// `Terminating` is being dispatched: no timers, one Net request.
    Terminating,
    /// `Terminated` is being dispatched: only the log works.
    Terminated,
}

/// A control request whose handler returned a Promise.
pub(crate) struct PendingReply {
    pub(crate) tx: super::ReplyTo,
    /// When it is answered 504, in session time (ms since the session started): a virtual
    /// or driven clock reaches it without a real wait.
    pub(crate) due_ms: u64,
    /// The request's method and (masked) path, for the transcript.
    pub(crate) method: String,
    pub(crate) path: String,
}

pub(crate) struct Host {
    pub(crate) clock: Rc<SessionClock>,
    pub(crate) log: SessionLog,
    pub(crate) limits: Limits,
    pub(crate) custom_data: RefCell<String>,
    pub(crate) phase: Cell<Phase>,
    pub(crate) terminate_requested: Cell<bool>,
    /// The work item the dispatch script takes with `op_run_take`.
    pub(crate) work: RefCell<Option<JsValue>>,
    pub(crate) timers: RefCell<Timers>,
    /// Control requests waiting for `op_event_reply`, by request id.
    pub(crate) replies: RefCell<HashMap<u64, PendingReply>>,
    pub(crate) net: NetState,
    /// Woken when a Net request completes.
    pub(crate) wake: Rc<Notify>,
    /// Uncaught errors the prelude reported (`op_log_uncaught`).
    pub(crate) uncaught: Cell<u32>,
    /// The session's emulated calls and its transcript (docs/telephony.md).
    pub(crate) calls: RefCell<Emulator>,
    /// `voxrun run`: no more requests will come, so an idle session may end.
    pub(crate) input_done: Cell<bool>,
    /// The session's application (ApplicationStorage is per application).
    pub(crate) application_id: u64,
    /// ApplicationStorage requests sent and not answered yet; the last id used.
    pub(crate) storage_pending: RefCell<BTreeSet<u64>>,
    pub(crate) storage_next: Cell<u64>,
    /// `serve --clock virtual`: media and far-end waits take no time (timers stay real).
    pub(crate) instant_media: bool,
    /// How far media time is ahead of the session clock (instant media only).
    pub(crate) media_skew: Cell<u64>,
    /// Transcript entries already sent out through the link.
    transcript_sent: Cell<usize>,
}

impl Host {
    pub(crate) fn new(
        clock: Rc<SessionClock>,
        log: SessionLog,
        limits: Limits,
        calls: Emulator,
        application_id: u64,
    ) -> Self {
        let wake = Rc::new(Notify::new());
        Host {
            net: NetState::new(&limits, wake.clone()),
            clock,
            log,
            limits,
            custom_data: RefCell::new(String::new()),
            phase: Cell::new(Phase::Running),
            terminate_requested: Cell::new(false),
            work: RefCell::new(None),
            timers: RefCell::new(Timers::default()),
            replies: RefCell::new(HashMap::new()),
            wake,
            uncaught: Cell::new(0),
            calls: RefCell::new(calls),
            input_done: Cell::new(false),
            application_id,
            storage_pending: RefCell::new(BTreeSet::new()),
            storage_next: Cell::new(0),
            instant_media: false,
            media_skew: Cell::new(0),
            transcript_sent: Cell::new(0),
        }
    }

    /// Sends the transcript entries recorded since the last call out through the link.
    pub(crate) fn flush_transcript(&self) {
        let calls = self.calls.borrow();
        let t = calls.transcript();
        let sent = self.transcript_sent.get();
        if t.len() > sent {
            for line in t.lines_from(sent) {
                self.log.link().transcript(&line);
            }
            self.transcript_sent.set(t.len());
        }
    }

    /// The emulator's time: the session clock, plus what instant media skipped.
    pub(crate) fn media_now(&self) -> u64 {
        self.clock
            .elapsed_ms()
            .saturating_add(self.media_skew.get())
    }

    /// Instant media: moves media time on to the emulator's next due item.
    pub(crate) fn skip_media_waits(&self) {
        if !self.instant_media {
            return;
        }
        let next = self.calls.borrow().next_due();
        let now = self.media_now();
        if let Some(at) = next.filter(|at| *at > now) {
            self.media_skew.set(self.media_skew.get() + (at - now));
        }
    }

    /// Answers a pending control request, if it is still waiting, and records it in the
    /// transcript.
    pub(crate) fn reply(&self, id: u64, reply: HttpReply) {
        let pending = self.replies.borrow_mut().remove(&id);
        if let Some(p) = pending {
            self.answer(p, reply);
        }
    }

    /// Sends `reply` to a request taken out of [`Host::replies`].
    pub(crate) fn answer(&self, p: PendingReply, reply: HttpReply) {
        let what = What::Request {
            method: p.method,
            path: p.path,
            status: reply.status,
        };
        let now = self.media_now();
        self.calls
            .borrow_mut()
            .transcript_mut()
            .record(now, None, what);
        // The entry goes out before the reply, so that a link can send both at once.
        self.flush_transcript();
        p.tx.send(reply);
    }
}

/// The host state of the context `ctx`.
pub(crate) fn host(ctx: &Context) -> JsResult<Rc<Host>> {
    ctx.get_data::<Rc<Host>>()
        .cloned()
        .ok_or_else(|| JsNativeError::error().with_message("no session").into())
}

#[derive(Debug, Clone, Copy)]
struct Timer {
    due_ms: u64,
    interval_ms: Option<u64>,
}

/// Active timers by id; the callbacks live in the prelude, keyed by the same id.
#[derive(Debug, Default)]
pub(crate) struct Timers {
    next_id: u32,
    active: BTreeMap<u32, Timer>,
}

impl Timers {
    /// Starts a timer due `delay_ms` after `now_ms`; `None` when `max` are active.
    pub(crate) fn start(
        &mut self,
        now_ms: u64,
        delay_ms: u64,
        repeat: bool,
        max: usize,
    ) -> Option<u32> {
        if self.active.len() >= max {
            return None;
        }
        self.next_id = self.next_id.wrapping_add(1).max(1);
        while self.active.contains_key(&self.next_id) {
            self.next_id = self.next_id.wrapping_add(1).max(1);
        }
        let timer = Timer {
            due_ms: now_ms.saturating_add(delay_ms),
            interval_ms: repeat.then_some(delay_ms),
        };
        self.active.insert(self.next_id, timer);
        Some(self.next_id)
    }

    pub(crate) fn stop(&mut self, id: u32) {
        self.active.remove(&id);
    }

    pub(crate) fn clear(&mut self) {
        self.active.clear();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    pub(crate) fn next_due(&self) -> Option<u64> {
        self.active.values().map(|t| t.due_ms).min()
    }

    /// The earliest timer due at `now_ms` (ties: lowest id) and whether it is done
    /// (a timeout) or rescheduled (an interval). `catch_up`: an interval's next run counts
    /// from its due time (manual clock) rather than from now.
    pub(crate) fn take_due(&mut self, now_ms: u64, catch_up: bool) -> Option<(u32, bool)> {
        let (&id, _) = self
            .active
            .iter()
            .filter(|(_, t)| t.due_ms <= now_ms)
            .min_by_key(|(&id, t)| (t.due_ms, id))?;
        let timer = self.active.get_mut(&id)?;
        match timer.interval_ms {
            Some(every) => {
                let base = if catch_up { timer.due_ms } else { now_ms };
                timer.due_ms = base.saturating_add(every.max(1));
                Some((id, false))
            }
            None => {
                self.active.remove(&id);
                Some((id, true))
            }
        }
    }
}
